"""What every long job and every private file of the portal share.

A feature's job (student import, password reset, session document, attestations) is a concrete
subclass of `Job`; its files are `PrivateFile` rows pointing into `STORAGES["private"]`.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """Run in a task through `jobs.services` (enqueue, claim, progress, fail); the page polls it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminé")
        FAILED = "failed", _("Échec")

    # Statuses a worker is busy in: their heartbeat must move. A subclass with its own statuses
    # (the import) overrides them.
    RUNNING_STATUSES: tuple[str, ...] = ("running",)
    QUEUED_STATUSES: tuple[str, ...] = ("pending",)
    ACTIVE_STATUSES: tuple[str, ...] = ("pending", "running")
    FAILURE_MESSAGE = (
        "Le traitement a échoué à cause d'une erreur technique. Réessayez ; si le problème "
        "persiste, contactez l'assistance."
    )
    INTERRUPTED_MESSAGE = (
        "Le traitement a été interrompu avant la fin (arrêt du serveur de traitement). Relancez-le."
    )

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("progression (%)"), default=0)
    # French, shown to the user as it is: never an exception's text (it may quote personal data).
    error = models.TextField(blank=True)
    # Set when a worker claims the job, then moved by its progress: a running job whose heartbeat
    # stopped has lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When what the job produced (its files) goes: the sweep deletes them then.
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return self.status not in self.ACTIVE_STATUSES

    @property
    def is_running(self) -> bool:
        """Queued or in a worker: its page polls it."""
        return self.status in self.QUEUED_STATUSES or self.status in self.RUNNING_STATUSES

    @property
    def is_stalled(self) -> bool:
        """Running, but its worker has not been heard of for a while (maybe killed)."""
        return (
            self.status in self.RUNNING_STATUSES
            and self.heartbeat_at is not None
            and self.heartbeat_at < timezone.now() - settings.JOB_STALLED_AFTER
        )

    @property
    def unblocked_at(self):
        """When the sweep marks a stalled job failed at the latest."""
        if self.heartbeat_at is None:
            return None
        return self.heartbeat_at + settings.JOB_HEARTBEAT_TIMEOUT + settings.JOB_SWEEP_INTERVAL


class PrivateFile(models.Model):
    """A file nobody reaches by URL: views stream it after their own access checks."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    # The object's name in STORAGES["private"]: random, never a person's name.
    key = models.CharField(max_length=255, unique=True)
    download_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, default="application/octet-stream")
    size = models.PositiveBigIntegerField(default=0)
    # Non-empty: the content is encrypted (Fernet, key from SECRET_KEY and this salt) before it
    # leaves the process, so the storage alone (a bucket, a backup) reveals nothing.
    encryption_salt = models.CharField(max_length=32, blank=True)
    # Download-once files are deleted at their first download.
    download_once = models.BooleanField(default=False)
    downloaded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The sweep deletes the file (and this row) past this; null: kept with its owner.
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("fichier privé")
        verbose_name_plural = _("fichiers privés")

    def __str__(self):
        return self.download_name

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()
