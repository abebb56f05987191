import enum

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _

from core.names import SearchKey
from jobs.models import Job

# Student columns the database's triggers keep (migrations 0012, 0020), never written by Django.
KEPT_BY_TRIGGERS = {"participation_count", "connection_bits"}


class Student(models.Model):
    """An organisation learner (élève): one row per (organisation, INE), from SIECLE.

    Students who leave the SIECLE export are disabled, never deleted: their account link,
    certifiability and certification history stay.
    """

    class Sex(models.TextChoices):
        MALE = "M", _("Masculin")
        FEMALE = "F", _("Féminin")

    class Certifiability(models.TextChoices):
        NOT_AVAILABLE = "not_available", _("Non communiqué")
        NOT_CERTIFIABLE = "not_certifiable", _("Non certifiable")
        CERTIFIABLE = "certifiable", _("Certifiable")

    class Connection(enum.IntFlag):
        """How the student's account logs in, kept on the student as `connection_bits`."""

        ACCOUNT = 1  # the student has an account (none of the bits: « aucune »)
        USERNAME = 2
        EMAIL = 4
        MEDIACENTRE = 8

    # No index of its own: the unique (organization, ine) and the indexes below all lead with it,
    # and an import writes every index.
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="students", db_index=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="learners",
    )
    ine = models.CharField(_("INE"), max_length=20)
    last_name = models.CharField(_("nom de famille"), max_length=150)
    preferred_last_name = models.CharField(_("nom d'usage"), max_length=150, blank=True)
    first_name = models.CharField(_("prénom"), max_length=150)
    first_name2 = models.CharField(_("deuxième prénom"), max_length=150, blank=True)
    first_name3 = models.CharField(_("troisième prénom"), max_length=150, blank=True)
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices)
    birthdate = models.DateField(_("date de naissance"))
    birth_country_code = models.CharField(_("code pays de naissance"), max_length=5)
    birth_city_code = models.CharField(_("code commune de naissance"), max_length=5, blank=True)
    birth_city = models.CharField(_("commune de naissance"), max_length=150, blank=True)
    birth_department_code = models.CharField(
        _("département de naissance"), max_length=3, blank=True
    )
    mef_code = models.CharField(_("code MEF"), max_length=20, blank=True)
    status = models.CharField(_("statut"), max_length=2, blank=True)
    division = models.CharField(_("classe"), max_length=60)
    is_disabled = models.BooleanField(_("désactivé (absent du dernier import)"), default=False)

    certifiability = models.CharField(
        _("certificabilité"),
        max_length=20,
        choices=Certifiability.choices,
        default=Certifiability.NOT_AVAILABLE,
    )
    # Date of the profile the certifiability was computed from (shown beside the status).
    certifiability_profile_date = models.DateTimeField(null=True, blank=True)
    # The `updated_at` of the profile version the status reflects: the nightly job recomputes
    # students whose profile is newer (certification/certifiability.py).
    certifiability_updated_at = models.DateTimeField(null=True, blank=True)
    # Names without accents nor capitals, kept by the database itself whatever writes the row
    # (imports with bulk upserts included): the Élèves page searches and sorts on it.
    search_name = models.GeneratedField(
        expression=SearchKey(
            Concat("last_name", Value(" "), "preferred_last_name", Value(" "), "first_name")
        ),
        output_field=models.CharField(max_length=460),
        db_persist=True,
    )

    # How many campaigns the student sent a profile to, kept by database triggers whatever
    # writes the participations (students/migrations/0012): the Élèves page sorts on it
    # without counting every student's participations.
    participation_count = models.PositiveIntegerField(db_default=0, editable=False)
    # How the account logs in (`Connection` bits), kept by database triggers on the students and
    # the accounts (students/migrations/0020): the class tally counts a connection method like a
    # class, and the Élèves page filters on it without joining every student to its account.
    connection_bits = models.PositiveSmallIntegerField(db_default=0, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("élève")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "ine"], name="one_student_per_ine")
        ]
        indexes = [
            # The classes' order, covering what their filters read (index only on PostgreSQL).
            models.Index(
                fields=["organization", "division", "search_name", "id"],
                include=["is_disabled", "certifiability"],
                name="student_division_idx",
            ),
            models.Index(fields=["organization", "last_name", "first_name"]),
            # The Élèves page's two orders, with the id as their last tie-break and whether the
            # student is disabled: its count and its ids read the index alone (PostgreSQL).
            models.Index(
                fields=["organization", "search_name", "id"],
                include=["is_disabled"],
                name="student_search_name_idx",
            ),
            models.Index(
                fields=["organization", "participation_count", "search_name", "id"],
                include=["is_disabled"],
                name="student_participations_idx",
            ),
            # Most participations first, names in order: a direction of its own (the index
            # above, read backwards, would put the names in reverse).
            models.Index(
                fields=["organization", "-participation_count", "search_name", "id"],
                include=["is_disabled"],
                name="student_participations_desc",
            ),
        ]

    def __str__(self):
        return f"{self.last_name} {self.first_name}"

    def save(self, *args, **kwargs):
        # The columns the triggers keep: a save never writes back a stale copy.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key
                and not field.generated
                and field.name not in KEPT_BY_TRIGGERS
            ]
        super().save(*args, **kwargs)

    @property
    def display_last_name(self) -> str:
        return shown_last_name(
            last_name=self.last_name, preferred_last_name=self.preferred_last_name
        )

    @staticmethod
    def certifiability_labels() -> dict[str, str]:
        """Each certifiability's label, translated now: for a file or list of many students."""
        return {value: str(label) for value, label in Student.Certifiability.choices}

    @property
    def certifiability_label(self) -> str:
        """`get_certifiability_display()` for lists: that one hashes every lazy choice on each
        call (about 80 µs), which a list of a thousand students paid a thousand times."""
        try:
            return str(Student.Certifiability(self.certifiability).label)
        except ValueError:  # not a status: shown as stored, as get_certifiability_display does
            return self.certifiability


def shown_last_name(*, last_name: str, preferred_last_name: str) -> str:
    """The name a student goes by (nom d'usage), else the birth name (also for rows read
    without a Student)."""
    return preferred_last_name or last_name


class ClassTally(models.Model):
    """How many students a school has per class, certifiability, disabled flag and connection
    methods, as entries to add up: database triggers append what each write to the students
    changed, whatever writes them (students/migrations/0018, 0020), and `class_tally_compact`
    sums a school's entries into one per class and status every hour. The Élèves page lists the
    classes, counts the students of a class, a status or a connection method and sums the class
    synthesis from these few rows instead of reading every student.

    Appended, never updated: two writers at once (an import, a student sharing a profile) never
    wait for each other on a shared counter, and cannot deadlock on it."""

    # No foreign key constraint: deleting a school deletes its students, whose triggers append
    # entries for it (they add up to nothing, and compacting removes them).
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # the index below leads with it
        related_name="+",
    )
    division = models.CharField(max_length=60)
    certifiability = models.CharField(max_length=20)
    is_disabled = models.BooleanField()
    connection_bits = models.PositiveSmallIntegerField(default=0)  # Student.Connection
    students = models.IntegerField()  # added (positive) or removed (negative)

    class Meta:
        indexes = [
            models.Index(
                fields=["organization", "is_disabled", "division", "certifiability"],
                include=["students", "connection_bits"],
                name="class_tally_idx",
            )
        ]

    def __str__(self):
        return f"{self.division} {self.certifiability}: {self.students:+d}"


class ImportJob(Job):
    """One student import (SIECLE .xml/.zip or agricultural CSV): the row the pages poll.

    The uploaded file is a private file until the job ends. Status, progress and errors are
    written outside the transaction that writes the students, so a failed or killed import still
    says so.
    """

    class Format(models.TextChoices):
        XML = "xml", _("SIECLE (.xml)")
        ZIP = "zip", _("SIECLE (.zip)")
        CSV = "csv", _("CSV agricole")
        UNKNOWN = "", _("Inconnu")

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        VALIDATING = "validating", _("Vérification du fichier")
        READY = "ready", _("À confirmer")
        CONFIRMED = "confirmed", _("Import en attente")
        IMPORTING = "importing", _("Import en cours")
        DONE = "done", _("Réussi")
        REJECTED = "rejected", _("Fichier refusé")
        FAILED = "failed", _("Échec")
        CANCELLED = "cancelled", _("Annulé")

    ACTIVE_STATUSES = ("pending", "validating", "ready", "confirmed", "importing")
    QUEUED_STATUSES = ("pending", "confirmed")
    RUNNING_STATUSES = ("validating", "importing")
    FAILURE_MESSAGE = (
        "L'import a échoué à cause d'une erreur technique : aucun élève n'a été modifié. "
        "Relancez-le ; si le problème persiste, contactez l'assistance."
    )
    INTERRUPTED_MESSAGE = (
        "L'import a été interrompu avant la fin (arrêt du serveur de traitement) : aucun élève "
        "n'a été modifié. Vous pouvez le relancer."
    )

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="import_jobs"
    )
    status = models.CharField(
        _("état"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_format = models.CharField(
        _("format"), max_length=3, choices=Format.choices, blank=True, default=Format.UNKNOWN
    )
    original_name = models.CharField(_("fichier"), max_length=255)
    # Null once the file is deleted (the job ended, or a failed one's retention passed).
    upload = models.ForeignKey(
        "jobs.PrivateFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_size = models.PositiveBigIntegerField(default=0)
    # The problems of a rejected file (the French `error` says why a failed one failed).
    errors = models.JSONField(default=list, blank=True)
    preview = models.JSONField(default=dict, blank=True)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    disabled_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    validated_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import d'élèves")
        verbose_name_plural = _("imports d'élèves")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(
                    status__in=["pending", "validating", "ready", "confirmed", "importing"]
                ),
                name="one_active_student_import_per_school",
            )
        ]
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self):
        return f"{self.organization} — {self.original_name} ({self.get_status_display()})"

    @property
    def author(self):
        return self.confirmed_by or self.requested_by

    @classmethod
    def sweep(cls, *, jobs, now) -> None:
        from .imports.services import student_imports_sweep

        student_imports_sweep(jobs=jobs, now=now)
