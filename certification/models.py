import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization

from .referential import COMPETENCE_CODES, MAX_LEVEL


class Area(models.Model):
    """One of the 5 domains of the referential (a data migration fills them)."""

    code = models.CharField(max_length=2, unique=True)
    title = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("domaine")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code}. {self.title}"


class Competence(models.Model):
    """One of the 16 competences (1.1 … 5.2)."""

    code = models.CharField(max_length=4, unique=True)
    name = models.CharField(max_length=150)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="competences")
    index = models.PositiveSmallIntegerField(unique=True, help_text="Ordre 0–15 du référentiel")

    class Meta:
        verbose_name = _("compétence")
        ordering = ["index"]

    def __str__(self):
        return f"{self.code} {self.name}"


class CompetenceProfile(models.Model):
    """A student account's competence profile, as last computed by the assessment platform."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="competence_profile"
    )
    computed_at = models.DateTimeField(_("calculé le"))
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("profil de compétences")
        verbose_name_plural = _("profils de compétences")

    def __str__(self):
        return f"Profil de {self.user}"


class CompetenceScore(models.Model):
    """Level and pix of one competence in a profile."""

    profile = models.ForeignKey(CompetenceProfile, on_delete=models.CASCADE, related_name="scores")
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(MAX_LEVEL)]
    )
    pix = models.PositiveSmallIntegerField(validators=[MaxValueValidator(MAX_LEVEL * 8)])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "competence"], name="one_score_per_competence"
            )
        ]
        indexes = [
            # The certifiability job counts, per profile, the competences at level 1 or more.
            models.Index(
                fields=["profile"], condition=models.Q(level__gte=1), name="score_reached_idx"
            )
        ]

    def __str__(self):
        return f"{self.competence.code} : niveau {self.level}"


class Campaign(models.Model):
    """A profile-collection campaign (campagne de collecte de profils).

    Students type its code to send their competence profile; the campaign keeps a snapshot.
    """

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="campaigns"
    )
    name = models.CharField(_("Nom de la campagne"), max_length=255)
    code = models.CharField(_("code"), max_length=9, unique=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="owned_campaigns",
        verbose_name=_("Propriétaire"),
    )
    # Classes the campaign is meant for; empty: every class of the school.
    divisions = models.JSONField(_("classes"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("terminée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("campagne de collecte de profils")
        verbose_name_plural = _("campagnes de collecte de profils")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z]{6}[0-9]{3}$"), name="campaign_code_format"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class CampaignParticipation(models.Model):
    """A student who sent their profile to a campaign, with the profile as it was then."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participations")
    student = models.ForeignKey(
        "students.Student", on_delete=models.CASCADE, related_name="campaign_participations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_at = models.DateTimeField(_("envoyé le"))
    profile_computed_at = models.DateTimeField(_("profil calculé le"))
    # {"1.1": {"level": 3, "pix": 27}, …}: the 16 competences as sent.
    scores = models.JSONField(default=dict)
    pix_total = models.PositiveSmallIntegerField(_("pix"))
    is_certifiable = models.BooleanField(_("certifiable"))

    class Meta:
        verbose_name = _("participation")
        ordering = ["-shared_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "student"], name="one_participation_per_student"
            )
        ]
        indexes = [models.Index(fields=["student", "-shared_at"], name="participation_student_idx")]

    def __str__(self):
        return f"{self.student} — {self.campaign}"

    @property
    def levels(self) -> list[int]:
        """The 16 levels sent, in the referential's order."""
        return [self.scores.get(code, {}).get("level", 0) for code in COMPETENCE_CODES]


def school_year_of(day: datetime.date) -> int:
    """A school year runs from September to August; it is named by the year it starts."""
    return day.year if day.month >= 9 else day.year - 1


class CertificationCalendar(models.Model):
    """Set each school year by the national operator, one row per kind of school (§6)."""

    school_year = models.PositiveSmallIntegerField(
        _("année scolaire (année de la rentrée)"), help_text=_("2026 pour l'année 2026-2027.")
    )
    kind = models.CharField(_("établissements"), max_length=10, choices=Organization.Kind.choices)
    space_opens_on = models.DateField(_("ouverture de l'espace de certification"))
    window_starts_on = models.DateField(_("début de la période de certification"))
    window_ends_on = models.DateField(_("fin de la période de certification"))

    class Meta:
        # Moved from planning with its rows: the table keeps its name.
        db_table = "planning_certificationcalendar"
        verbose_name = _("calendrier national")
        verbose_name_plural = _("calendriers nationaux")
        ordering = ["-school_year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "kind"], name="one_calendar_per_kind"),
            models.CheckConstraint(
                condition=models.Q(window_starts_on__lte=models.F("window_ends_on"))
                & models.Q(space_opens_on__lte=models.F("window_starts_on")),
                name="calendar_dates_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.school_year}-{self.school_year + 1} — {self.get_kind_display()}"

    def contains(self, day: datetime.date) -> bool:
        return self.window_starts_on <= day <= self.window_ends_on
