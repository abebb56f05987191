"""What an import changes, computed (preview) and applied (write), for one organisation.

Rules (domain.md §3): students are matched on (organisation, INE); new ones are created, known
ones updated when an imported value differs (a disabled one is re-enabled); students absent from
the file are disabled, never deleted. Account links and certifiability are never touched.

Two ways to write the same outcome, inside the caller's transaction:
- PostgreSQL: COPY the rows into a temporary table, then one UPDATE of the rows whose values are
  DISTINCT FROM the file's, one UPDATE disabling the absent ones and one INSERT of the new INEs.
- other databases (SQLite in development and tests): the Python diff the preview uses, applied with
  bulk_create / bulk_update.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection, models
from django.utils import timezone

from accounts.models import Organization
from students.models import Student

from .reading import DIVISION, IMPORTED_FIELDS, LINE, ParsedFile

SAMPLE_SIZE = 50
_FIRST_NAME = IMPORTED_FIELDS.index("first_name")
_LAST_NAME = IMPORTED_FIELDS.index("last_name")
_PREFERRED_LAST_NAME = IMPORTED_FIELDS.index("preferred_last_name")
_UPDATED_FIELDS = IMPORTED_FIELDS[1:]
_SKIP_REASONS = {
    "left": "a quitté l'établissement (date de sortie)",
    "no_ine": "sans INE",
    "no_division": "sans classe",
}


@dataclass(slots=True)
class ImportCounts:
    created: int = 0
    updated: int = 0
    disabled: int = 0
    unchanged: int = 0
    skipped: int = 0


@dataclass(slots=True)
class ImportPlan:
    """The diff between the file and the database, student by student."""

    creates: list[tuple] = field(default_factory=list)
    # (student pk, row, [(field, old, new)…]); re-enabling shows as ("is_disabled", True, False)
    updates: list[tuple[int, tuple, list[tuple[str, object, object]]]] = field(default_factory=list)
    disables: list[tuple[int, str]] = field(default_factory=list)  # (pk, "NAME First — class")
    unchanged: int = 0

    def counts(self, parsed: ParsedFile) -> ImportCounts:
        return ImportCounts(
            created=len(self.creates),
            updated=len(self.updates),
            disabled=len(self.disables),
            unchanged=self.unchanged,
            skipped=len(parsed.skipped),
        )


def import_plan(*, organization: Organization, parsed: ParsedFile) -> ImportPlan:
    existing = {
        values[2]: values
        for values in Student.objects.filter(organization=organization).values_list(
            "pk", "is_disabled", *IMPORTED_FIELDS
        )
    }
    plan = ImportPlan()
    for row in parsed.rows:
        current = existing.pop(row[0], None)
        if current is None:
            plan.creates.append(row)
            continue
        changes = [
            (name, old, new)
            for name, old, new in zip(IMPORTED_FIELDS, current[2:], row[:LINE], strict=True)
            if old != new
        ]
        if current[1]:
            changes.append(("is_disabled", True, False))
        if changes:
            plan.updates.append((current[0], row, changes))
        else:
            plan.unchanged += 1
    plan.disables = [
        (values[0], _label(values[2:])) for values in existing.values() if not values[1]
    ]
    return plan


def import_preview(*, plan: ImportPlan, parsed: ParsedFile) -> dict:
    """What the preview page shows: counts, classes, and a sample of each kind of change."""
    skipped_by_reason = {reason: 0 for reason in _SKIP_REASONS}
    for student in parsed.skipped:
        skipped_by_reason[student.reason] = skipped_by_reason.get(student.reason, 0) + 1
    counts = plan.counts(parsed)
    return {
        "school_year": parsed.school_year,
        "counts": {
            "created": counts.created,
            "updated": counts.updated,
            "disabled": counts.disabled,
            "unchanged": counts.unchanged,
            "skipped": counts.skipped,
            "kept": len(parsed.rows),
        },
        "skipped_by_reason": [
            {"reason": _SKIP_REASONS.get(reason, reason), "count": count}
            for reason, count in skipped_by_reason.items()
        ],
        "divisions": [
            {"name": name, "count": count} for name, count in sorted(parsed.divisions.items())
        ],
        "creates": [_label(row) for row in plan.creates[:SAMPLE_SIZE]],
        "updates": [
            {"name": _label(row), "changes": [_change(*change) for change in changes]}
            for _, row, changes in plan.updates[:SAMPLE_SIZE]
        ],
        "disables": [label for _, label in plan.disables[:SAMPLE_SIZE]],
        "skipped": [
            {"name": student.label, "reason": _SKIP_REASONS.get(student.reason, student.reason)}
            for student in parsed.skipped[:SAMPLE_SIZE]
        ],
    }


def students_write(*, organization: Organization, parsed: ParsedFile) -> ImportCounts:
    """Apply the file to the organisation's students; call inside a transaction."""
    if connection.vendor == "postgresql":
        counts = _write_postgresql(organization, parsed.rows)
    else:
        counts = _write_generic(organization, parsed)
    counts.skipped = len(parsed.skipped)
    return counts


def _label(values) -> str:
    last_name = values[_PREFERRED_LAST_NAME] or values[_LAST_NAME]
    return f"{last_name} {values[_FIRST_NAME]} — {values[DIVISION]}"


def _change(name: str, old, new) -> dict:
    if name == "is_disabled":
        return {"field": "Réactivé", "old": "désactivé", "new": "actif"}
    model_field = Student._meta.get_field(name)
    assert isinstance(model_field, models.Field)  # one of IMPORTED_FIELDS: a column
    label = str(model_field.verbose_name)
    if name == "birthdate":
        old, new = old.strftime("%d/%m/%Y"), new.strftime("%d/%m/%Y")
    return {"field": label[:1].upper() + label[1:], "old": old or "—", "new": new or "—"}


# --- PostgreSQL -------------------------------------------------------------------------------
# The statements are built from the model's own names only; every value is a bound parameter.

_TABLE = Student._meta.db_table
_COLUMNS = ", ".join(IMPORTED_FIELDS)
_STAGING_COLUMNS = ", ".join(
    f"{name} date" if name == "birthdate" else f"{name} text" for name in IMPORTED_FIELDS
)
_CREATE_STAGING = f"CREATE TEMPORARY TABLE student_import_rows ({_STAGING_COLUMNS}) ON COMMIT DROP"
_COPY_STAGING = f"COPY student_import_rows ({_COLUMNS}) FROM STDIN"
# Without it, statistics taken while the school had no students make the planner probe the
# (never analysed) staging table by sequential scan for every student: minutes, not seconds.
_INDEX_STAGING = "CREATE UNIQUE INDEX ON student_import_rows (ine)"
_SET_FROM_FILE = ", ".join(f"{name} = r.{name}" for name in _UPDATED_FIELDS)
_STUDENT_VALUES = ", ".join(f"s.{name}" for name in _UPDATED_FIELDS)
_FILE_VALUES = ", ".join(f"r.{name}" for name in _UPDATED_FIELDS)
# Only rows whose imported values differ are written: importing the same file again changes
# nothing, not even updated_at.
_UPDATE_CHANGED = f"""
    UPDATE {_TABLE} AS s SET {_SET_FROM_FILE}, is_disabled = false, updated_at = now()
    FROM student_import_rows AS r
    WHERE s.organization_id = %(org)s AND s.ine = r.ine
      AND ({_STUDENT_VALUES}, s.is_disabled) IS DISTINCT FROM ({_FILE_VALUES}, false)"""  # noqa: S608
# Known INEs were updated above: the unique (organisation, INE) index skips them. A NOT EXISTS
# here, planned on statistics of an empty table, re-scanned the growing heap for every new row
# (an hour-long first import of 100 000 students after a VACUUM ANALYZE of the empty table).
_INSERT_NEW = f"""
    INSERT INTO {_TABLE} (organization_id, {_COLUMNS}, is_disabled, certifiability,
        created_at, updated_at)
    SELECT %(org)s, {_COLUMNS}, false, %(certifiability)s, now(), now()
    FROM student_import_rows AS r
    ON CONFLICT (organization_id, ine) DO NOTHING"""  # noqa: S608
_DISABLE_ABSENT = f"""
    UPDATE {_TABLE} AS s SET is_disabled = true, updated_at = now()
    WHERE s.organization_id = %(org)s AND NOT s.is_disabled
      AND NOT EXISTS (SELECT 1 FROM student_import_rows AS r WHERE r.ine = s.ine)"""  # noqa: S608


def _write_postgresql(organization: Organization, rows: list[tuple]) -> ImportCounts:
    params: dict[str, int | str] = {
        "org": organization.pk,
        "certifiability": Student.Certifiability.NOT_AVAILABLE,
    }
    with connection.cursor() as cursor:
        cursor.execute(_CREATE_STAGING)
        with cursor.copy(_COPY_STAGING) as copy:
            for row in rows:
                copy.write_row(row[:LINE])
        cursor.execute(_INDEX_STAGING)
        cursor.execute(_UPDATE_CHANGED, params)
        updated = cursor.rowcount
        # Before the INSERT, so that it only looks at the students the school already had.
        cursor.execute(_DISABLE_ABSENT, params)
        disabled = cursor.rowcount
        cursor.execute(_INSERT_NEW, params)
        created = cursor.rowcount
        # ON COMMIT DROP alone would leave it behind when the caller's transaction goes on.
        cursor.execute("DROP TABLE student_import_rows")
    return ImportCounts(
        created=created, updated=updated, disabled=disabled, unchanged=len(rows) - created - updated
    )


# --- Other databases --------------------------------------------------------------------------

_BATCH = 500


def _write_generic(organization: Organization, parsed: ParsedFile) -> ImportCounts:
    plan = import_plan(organization=organization, parsed=parsed)
    now = timezone.now()
    Student.objects.bulk_create(
        [
            Student(
                organization=organization,
                created_at=now,
                updated_at=now,
                **dict(zip(IMPORTED_FIELDS, row[:LINE], strict=True)),
            )
            for row in plan.creates
        ],
        batch_size=_BATCH,
    )
    updated = []
    for pk, row, _ in plan.updates:
        student = Student(pk=pk, is_disabled=False, updated_at=now)
        for name, value in zip(_UPDATED_FIELDS, row[1:LINE], strict=True):
            setattr(student, name, value)
        updated.append(student)
    Student.objects.bulk_update(
        updated, [*_UPDATED_FIELDS, "is_disabled", "updated_at"], batch_size=_BATCH
    )
    disabled = [pk for pk, _ in plan.disables]
    for start in range(0, len(disabled), _BATCH):
        Student.objects.filter(pk__in=disabled[start : start + _BATCH]).update(
            is_disabled=True, updated_at=now
        )
    return plan.counts(parsed)
