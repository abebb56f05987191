"""Values of plain SQL statements, as the ORM would give them.

A few hot pages read their rows with a plain statement (compiling the ORM query cost more than
running it). A plain statement's dates come back raw: SQLite gives text or a date and time
without its zone (stored in UTC), PostgreSQL an aware one. Such a statement may also read a date
and time as text (`CAST(… AS TEXT)`): Django reads PostgreSQL's in Python, about 3 µs each, 0.3 ms
for the 110 of an Élèves page; `as_aware_datetime` parses the text in C."""

from datetime import UTC, date, datetime

from django.utils.dateparse import parse_date


def placeholders(values: list | tuple) -> str:
    """`%s, %s, …`, one per value, for an `IN (…)` of parameters."""
    return ", ".join(["%s"] * len(values))


def as_date(value: date | str) -> date:
    return parse_date(value) if isinstance(value, str) else value  # type: ignore[return-value]


def as_aware_datetime(value: datetime | str | None) -> datetime | None:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value
