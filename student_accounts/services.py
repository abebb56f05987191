"""Student accounts (domain §5): identifiants and password resets, for one student or a thousand.

A reset is prepared (plan, identifiants, clear one-time passwords), hashed on a thread pool,
then applied in one short transaction: it is all or nothing. The clear passwords live only in
memory, then in the files of a reset job (encrypted, downloaded once) or the page of one student.
"""

import logging
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from accounts.models import AuditLog, Membership, Organization, User
from accounts.passwords import one_time_password_generate, passwords_hash
from accounts.services import (
    ONE_TIME_PASSWORD_FIELDS,
    audit_log_record,
    export_audit,
    user_mark_one_time_password,
)
from jobs.files import private_file_delete, private_file_save, private_file_take
from jobs.models import PrivateFile
from jobs.services import job_claim, job_enqueue, job_fail, job_progress_saver
from students.models import Student

from .documents import password_slips_render
from .exporters import password_reset_csv
from .identifiants import identifiant_generate, identifiant_part
from .models import PasswordResetJob
from .selectors import password_reset_plan

logger = logging.getLogger(__name__)

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "slips": "application/pdf"}


class StudentsOutsideOrganization(Exception):
    """A student of another school in the request: the whole reset is refused."""


@dataclass
class ResetLine:
    """One student's line of the CSV and slip."""

    student: Student
    identifiant: str
    password: str = field(repr=False)
    is_new_account: bool

    @property
    def division(self) -> str:
        return self.student.division

    @property
    def last_name(self) -> str:
        return self.student.display_last_name

    @property
    def first_name(self) -> str:
        return self.student.first_name


@dataclass
class PasswordReset:
    organization: Organization
    reset_by: User
    lines: list[ResetLine]  # sorted by class, then name
    skipped: list[Student]
    expires_at: datetime

    @property
    def reset_count(self) -> int:
        return sum(not line.is_new_account for line in self.lines)

    @property
    def identifiants_created_count(self) -> int:
        return sum(line.is_new_account for line in self.lines)


def _check_may_reset(
    *, organization: Organization, reset_by: User, students: Iterable[Student]
) -> None:
    is_admin = Membership.objects.filter(
        user=reset_by, organization=organization, role=Membership.Role.ADMIN
    ).exists()
    if not is_admin:
        raise PermissionDenied
    if any(student.organization_id != organization.id for student in students):
        raise StudentsOutsideOrganization


def _identifiant(student: Student, is_taken: Callable[[str], bool]) -> str:
    return identifiant_generate(
        first_name=student.first_name,
        last_name=student.display_last_name,
        birthdate=student.birthdate,
        is_taken=is_taken,
    )


def _new_identifiants(students: Sequence[Student]) -> list[str]:
    """Unique across the portal, and within this reset. One query checks every student's first
    choice (prénom.nom + DDMM); only the rare random fallback queries again."""
    first_choices = {_identifiant(student, lambda _candidate: False) for student in students}
    taken = set(User.objects.filter(username__in=first_choices).values_list("username", flat=True))
    chosen: set[str] = set()

    def is_taken(candidate: str) -> bool:
        if candidate in chosen or candidate in taken:
            return True
        if candidate in first_choices:
            return False
        return User.objects.filter(username=candidate).exists()

    identifiants = []
    for student in students:
        identifiant = _identifiant(student, is_taken)
        chosen.add(identifiant)
        identifiants.append(identifiant)
    return identifiants


def _class_then_name(line: ResetLine) -> tuple[str, str, str]:
    return (line.division, identifiant_part(line.last_name), identifiant_part(line.first_name))


def _identifiant_of(student: Student) -> str:
    # Only students who log in with an identifiant are in the plan's `to_reset`.
    assert student.user is not None and student.user.username
    return student.user.username


@sensitive_variables()
def password_reset_prepare(
    *, organization: Organization, students: Sequence[Student], reset_by: User
) -> PasswordReset:
    """Decide everything, write nothing: who is reset, the new identifiants, the passwords."""
    _check_may_reset(organization=organization, reset_by=reset_by, students=students)
    plan = password_reset_plan(students=students)
    lines = [
        ResetLine(student, _identifiant_of(student), one_time_password_generate(), False)
        for student in plan.to_reset
    ] + [
        ResetLine(student, identifiant, one_time_password_generate(), True)
        for student, identifiant in zip(
            plan.to_create, _new_identifiants(plan.to_create), strict=True
        )
    ]
    lines.sort(key=_class_then_name)
    return PasswordReset(
        organization=organization,
        reset_by=reset_by,
        lines=lines,
        skipped=plan.skipped,
        expires_at=timezone.now() + settings.ONE_TIME_PASSWORD_VALIDITY,
    )


def _hashes_collect(
    futures: Sequence[Future], on_progress: Callable[[int], None] | None = None
) -> list[str]:
    pending = set(futures)
    while pending:
        _done, pending = wait(pending, return_when=FIRST_COMPLETED)
        if on_progress:
            on_progress(sum(len(future.result()) for future in futures if future.done()))
    return [encoded for future in futures for encoded in future.result()]


@transaction.atomic
def password_reset_apply(
    *, reset: PasswordReset, hashes: Sequence[str], job: PasswordResetJob | None = None
) -> None:
    """Write the reset: new accounts, new one-time passwords, the audit trail (no password)."""
    new_accounts, users = [], []
    for line, encoded in zip(reset.lines, hashes, strict=True):
        if line.is_new_account:
            user = User(
                username=line.identifiant, first_name=line.first_name, last_name=line.last_name
            )
            new_accounts.append((line.student, user))
        else:
            # Not a new account: the student has one (password_reset_plan's `to_reset`).
            assert line.student.user is not None
            user = line.student.user
            users.append(user)
        user_mark_one_time_password(user=user, encoded_password=encoded)
    User.objects.bulk_create([user for _student, user in new_accounts])
    for student, user in new_accounts:
        student.user = user
    Student.objects.bulk_update([student for student, _ in new_accounts], ["user"], batch_size=500)
    User.objects.bulk_update(users, ONE_TIME_PASSWORD_FIELDS, batch_size=500)
    audit_log_record(
        actor=reset.reset_by,
        organization=reset.organization,
        action=AuditLog.Action.PASSWORDS_RESET,
        student_ids=[line.student.pk for line in reset.lines if not line.is_new_account],
        identifiant_created_student_ids=[
            line.student.pk for line in reset.lines if line.is_new_account
        ],
        skipped_student_ids=[student.pk for student in reset.skipped],
        job_id=job.pk if job else None,
    )


@sensitive_variables()
def students_reset_passwords(
    *, organization: Organization, students: Sequence[Student], reset_by: User
) -> PasswordReset:
    """New one-time passwords for these students of `organization`, an identifiant for those
    without an account; e-mail and Mediacentre accounts are left alone. Returns the lines, with
    the clear passwords, which exist nowhere else."""
    reset = password_reset_prepare(organization=organization, students=students, reset_by=reset_by)
    with ThreadPoolExecutor(settings.PASSWORD_HASH_THREADS) as pool:
        hashes = _hashes_collect(passwords_hash([line.password for line in reset.lines], pool=pool))
    password_reset_apply(reset=reset, hashes=hashes)
    return reset


@sensitive_variables()
def student_identifiant_add(*, student: Student, added_by: User) -> PasswordReset | None:
    """Give a student an identifiant. Without an account, that is a reset (a one-time password
    comes with it, returned); an e-mail account keeps its password and gains the identifiant."""
    if student.user is None:
        return students_reset_passwords(
            organization=student.organization, students=[student], reset_by=added_by
        )
    _check_may_reset(organization=student.organization, reset_by=added_by, students=[student])
    if student.user.username:
        return None
    with transaction.atomic():
        [student.user.username] = _new_identifiants([student])
        student.user.save(update_fields=["username"])
        audit_log_record(
            actor=added_by,
            organization=student.organization,
            action=AuditLog.Action.IDENTIFIANT_ADDED,
            student_id=student.pk,
            user_id=student.user.pk,
        )
    return None


def password_reset_job_create(
    *, organization: Organization, students: Sequence[Student], requested_by: User
) -> PasswordResetJob:
    """One class is reset at once, in the request; more run in a Celery task (progress bar)."""
    from .tasks import password_reset_job_run_task

    _check_may_reset(organization=organization, reset_by=requested_by, students=students)
    job = PasswordResetJob.objects.create(
        organization=organization,
        requested_by=requested_by,
        student_ids=[student.pk for student in students],
    )
    if password_reset_plan(students=students).class_count > 1:
        job_enqueue(job=job, task=password_reset_job_run_task)
    else:
        password_reset_job_run(job_id=job.pk)
        job.refresh_from_db()
    return job


@sensitive_variables()
def password_reset_job_run(*, job_id: int) -> None:
    """Run a reset job: all or nothing, never twice (a redelivered task finds it claimed).

    The hashing has every core; once the passwords are written the CSV is offered at once, and
    the slips are laid out after it (WeasyPrint holds the GIL: overlapping it with the hashing
    slowed both down).
    """
    job = job_claim(model=PasswordResetJob, job_id=job_id)
    if job is not None:
        reset = _job_passwords_reset(job=job)
        if reset is not None:
            _slips_lay_out(job=job, reset=reset)


def _credentials_file_save(*, job: PasswordResetJob, kind: str, content: bytes) -> PrivateFile:
    """Encrypted before it leaves the process; `YYYYMMDD_HHmm_<UAI>_password_reset.csv`
    (domain §5), in the school's local time."""
    stamp = timezone.localtime(timezone.now(), job.organization.zoneinfo).strftime("%Y%m%d_%H%M")
    suffix = "password_reset.csv" if kind == "csv" else "fiches_de_connexion.pdf"
    return private_file_save(
        organization=job.organization,
        folder="password-resets",
        content=content,
        download_name=f"{stamp}_{job.organization.uai}_{suffix}",
        content_type=CONTENT_TYPES[kind],
        expires_at=job.expires_at,
        encrypt=True,
        download_once=True,
    )


@sensitive_variables()
def _job_passwords_reset(*, job: PasswordResetJob) -> PasswordReset | None:
    """Hash, then write the passwords and offer the CSV in one transaction. The reset, with its
    clear passwords, when this run wrote it; None when it failed."""
    students = Student.objects.filter(
        organization=job.organization, pk__in=job.student_ids, is_disabled=False
    ).select_related("user", "organization")
    csv_file = None
    try:
        if job.requested_by is None:  # their account was deleted before the job ran
            raise PermissionDenied
        reset = password_reset_prepare(
            organization=job.organization, students=list(students), reset_by=job.requested_by
        )
        on_hashed = job_progress_saver(job, len(reset.lines))
        with ThreadPoolExecutor(settings.PASSWORD_HASH_THREADS) as pool:
            futures = passwords_hash([line.password for line in reset.lines], pool=pool)
            hashes = _hashes_collect(futures, on_progress=on_hashed)
        job.expires_at = timezone.now() + settings.PASSWORD_RESET_FILES_TTL
        # Written first, with its expiry: if the transaction fails, the sweep deletes it.
        csv_file = _credentials_file_save(
            job=job, kind="csv", content=password_reset_csv(lines=reset.lines)
        )
        with transaction.atomic():
            password_reset_apply(reset=reset, hashes=hashes, job=job)
            done = PasswordResetJob.objects.filter(
                pk=job.pk, status=PasswordResetJob.Status.RUNNING
            ).update(
                status=PasswordResetJob.Status.DONE,
                progress=100,
                reset_count=reset.reset_count,
                identifiants_created_count=reset.identifiants_created_count,
                skipped_count=len(reset.skipped),
                finished_at=timezone.now(),
                expires_at=job.expires_at,
                csv_file=csv_file,
                heartbeat_at=timezone.now(),
            )
            if not done:  # failed meanwhile (the sweep): nothing is written
                raise _JobEnded
        return reset
    except _JobEnded:
        pass
    except PermissionDenied:
        job_fail(job=job, message=_("Vous n'êtes plus administrateur de cet établissement."))
    except IntegrityError as error:
        # Another reset took one of the new identifiants at the same instant.
        job_fail(
            job=job,
            error=error,
            message=_("Un identifiant vient d'être attribué ailleurs : relancez la demande."),
        )
    except Exception as error:
        job_fail(job=job, error=error)
    private_file_delete(private_file=csv_file)
    return None


class _JobEnded(Exception):
    """The job was failed by someone else while this run worked."""


@sensitive_variables()
def _slips_lay_out(*, job: PasswordResetJob, reset: PasswordReset) -> None:
    """The passwords are reset and the CSV offered: a failure here loses nothing (the CSV holds
    the same lines), it only says the slips could not be made."""
    try:
        slips = password_slips_render(
            organization=job.organization,
            lines=reset.lines,
            expires_at=reset.expires_at,
            on_progress=job_progress_saver(job, len(reset.lines), field="slips_progress"),
        )
        slips_file = _credentials_file_save(job=job, kind="slips", content=slips)
        slips_status = PasswordResetJob.SlipsStatus.DONE
    except Exception as error:
        logger.error("Password reset job %s: slips not laid out: %s", job.pk, type(error).__name__)
        slips_file, slips_status = None, PasswordResetJob.SlipsStatus.FAILED
    PasswordResetJob.objects.filter(pk=job.pk).update(
        slips_status=slips_status, slips_progress=100, slips_file=slips_file
    )


@sensitive_variables()
def password_reset_file_take(*, job: PasswordResetJob, kind: str, taken_by: User) -> bytes | None:
    """A file of a finished job, once: the first download deletes it. None when it is gone."""
    job = PasswordResetJob.objects.select_related("csv_file", "slips_file", "organization").get(
        pk=job.pk
    )
    private_file = job.csv_file if kind == "csv" else job.slips_file
    if job.requested_by_id != taken_by.pk or private_file is None or job.files_expired:
        return None
    content = private_file_take(private_file=private_file)
    if content is None:
        return None
    export_audit(
        actor=taken_by,
        organization=job.organization,
        export=AuditLog.Export.CREDENTIALS_CSV
        if kind == "csv"
        else AuditLog.Export.CREDENTIALS_SLIPS,
        job_id=job.pk,
    )
    return content
