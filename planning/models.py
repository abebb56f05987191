"""The school's session plans and the day packs of documents."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from jobs.models import Job


class SessionPlan(models.Model):
    """A proposed schedule of sessions, adjusted by the admin, then created in one go.

    Slots, rooms and the placement of each student are small JSON documents: a plan is a draft
    of a few hundred students that only becomes rows (sessions, candidates) when applied.
    """

    class Source(models.TextChoices):
        PLANNER = "planner", _("Planificateur")
        IMPORT = "import", _("Import d'un fichier")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="session_plans"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.PLANNER)
    address = models.CharField(_("Nom du site"), max_length=255)
    divisions = models.JSONField(default=list)
    # The students the plan places, fixed when it is made (enrolling them changes nothing).
    student_ids = models.JSONField(default=list)
    # [{"date": "2027-03-08", "time": "08:00", "invigilators": ["Mme Durand"]}, …]
    slots = models.JSONField(default=list)
    # [{"name": "Salle B12", "seats": 30}, …]; seats is null when a plan file does not say.
    rooms = models.JSONField(default=list)
    # {"<student id>": [slot index, "room name"]}: students not placed are absent.
    placements = models.JSONField(default=dict)
    # {"<student id>": percentage}
    extra_time = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    session_ids = models.JSONField(default=list)

    class Meta:
        verbose_name = _("plan de sessions")
        verbose_name_plural = _("plans de sessions")
        ordering = ["-created_at"]

    def __str__(self):
        return f"Plan {self.pk} — {self.organization}"

    @property
    def is_applied(self) -> bool:
        return self.applied_at is not None


class DayPackJob(Job):
    """The preparation of one day's pack of documents in a task (like sessions' DocumentJob):
    the page polls this row; its PDF and ZIP are private and deleted by the jobs sweep."""

    day = models.DateField(null=True, blank=True)
    session_ids = models.JSONField(default=list)
    pdf_file = models.ForeignKey(
        "jobs.PrivateFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    zip_file = models.ForeignKey(
        "jobs.PrivateFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("pochette du jour")
        ordering = ["-created_at"]

    def __str__(self):
        return f"Pochette {self.day or self.session_ids} ({self.status})"

    @property
    def file_stem(self) -> str:
        return f"pochette-{self.day:%Y%m%d}" if self.day else f"pochette-{self.pk}"
