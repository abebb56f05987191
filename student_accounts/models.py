"""A bulk reset of students' passwords: the job and its one-time files."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobs.models import Job


class PasswordResetJob(Job):
    """A reset of students' passwords, and the one-time files (CSV, slips) it produced.

    The files are private files, encrypted, for the admin who asked only, until downloaded once
    or until `expires_at`; the clear passwords are never stored anywhere else.
    """

    class SlipsStatus(models.TextChoices):
        PENDING = "pending", _("En préparation")
        DONE = "done", _("Prêtes")
        FAILED = "failed", _("Échec")

    FAILURE_MESSAGE = "Une erreur inattendue est survenue."
    INTERRUPTED_MESSAGE = (
        "La réinitialisation a été interrompue avant la fin (arrêt du serveur de traitement)."
    )

    student_ids = models.JSONField(default=list)
    # The slips are laid out once the passwords are reset and the CSV is offered.
    slips_status = models.CharField(
        max_length=10, choices=SlipsStatus.choices, default=SlipsStatus.PENDING
    )
    slips_progress = models.PositiveSmallIntegerField(default=0)
    reset_count = models.PositiveIntegerField(default=0)
    identifiants_created_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    csv_file = models.ForeignKey(
        "jobs.PrivateFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    slips_file = models.ForeignKey(
        "jobs.PrivateFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("réinitialisation de mots de passe")
        verbose_name_plural = _("réinitialisations de mots de passe")
        ordering = ["-created_at"]
        # Moved from accounts with its rows: the table keeps its name.
        db_table = "accounts_passwordresetjob"

    def __str__(self):
        return f"{self.organization.uai} {self.created_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def slips_pending(self) -> bool:
        """Still being laid out: the job's heartbeat moves meanwhile (the sweep ends it if not)."""
        return self.status == self.Status.DONE and self.slips_status == self.SlipsStatus.PENDING

    @property
    def files_expired(self) -> bool:
        return self.expires_at is None or self.expires_at <= timezone.now()

    @property
    def csv_taken(self) -> bool:
        return self.csv_file is None or self.csv_file.downloaded_at is not None

    @property
    def slips_taken(self) -> bool:
        return self.slips_file is None or self.slips_file.downloaded_at is not None

    @classmethod
    def sweep(cls, *, jobs, now) -> None:
        """Slips whose layout lost its worker (the passwords and the CSV stand)."""
        jobs.filter(
            status=cls.Status.DONE,
            slips_status=cls.SlipsStatus.PENDING,
            heartbeat_at__lt=now - settings.JOB_HEARTBEAT_TIMEOUT,
        ).update(slips_status=cls.SlipsStatus.FAILED)
