"""Values of plain SQL statements, as the ORM would give them.

A few hot pages read their rows with a plain statement (compiling the ORM query cost more than
running it). A plain statement's dates come back raw: SQLite gives text or a date and time
without its zone (stored in UTC), PostgreSQL an aware one. Such a statement may also read a date
and time as text (`CAST(… AS TEXT)`): Django reads PostgreSQL's in Python, about 3 µs each, 0.3 ms
for the 110 of an Élèves page; `as_aware_datetime` parses the text in C."""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from django.db import connection
from django.utils.dateparse import parse_date


def in_values(column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    """`column IN (…)` of parameters, as SQL and its parameters. On PostgreSQL one array
    parameter (`= ANY(%s)`): psycopg parses a statement of more than 50 parameters on each run
    (a page of 50 students' ids and its school made 51), one of a few only once."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(values)]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


def as_date(value: date | str) -> date:
    return parse_date(value) if isinstance(value, str) else value  # type: ignore[return-value]


def as_aware_datetime(value: datetime | str | None) -> datetime | None:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value
