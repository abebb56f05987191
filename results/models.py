from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from certification.referential import MAX_LEVEL, PIX_PER_LEVEL
from jobs.models import Job

from .scoring import Outcome

VERIFICATION_CODE_ALPHABET = "2346789BCDFGHJKMPQRTVWXY"
VERIFICATION_CODE_LENGTH = 8
# A certificate can be checked for three years after the test.
VALIDITY_YEARS = 3


class CertificationResult(models.Model):
    """The scored result of one candidate of a finalised session.

    Schools, students and the public see it only once published (`published_at`), when it also
    gets its verification code.
    """

    class Status(models.TextChoices):
        VALIDATED = "validated", _("Validée")
        REJECTED = "rejected", _("Rejetée")
        CANCELLED = "cancelled", _("Annulée")

    candidate = models.OneToOneField(
        "certif_sessions.Candidate", on_delete=models.CASCADE, related_name="result"
    )
    status = models.CharField(_("Statut"), max_length=10, choices=Status.choices)
    pix_score = models.PositiveSmallIntegerField(
        _("Nombre de Pix"), validators=[MaxValueValidator(16 * MAX_LEVEL * PIX_PER_LEVEL)]
    )
    correct_answers = models.PositiveSmallIntegerField(_("réponses justes"))
    scored_answers = models.PositiveSmallIntegerField(_("questions prises en compte"))
    jury_comment = models.TextField(
        _("Commentaire jury pour l'organisation"), blank=True, max_length=500
    )
    test_date = models.DateField(_("Date de passage de la certification"))
    verification_code = models.CharField(
        _("code de vérification"), max_length=10, unique=True, null=True, blank=True
    )
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("résultat de certification")
        verbose_name_plural = _("résultats de certification")
        ordering = ["candidate__last_name", "candidate__first_name", "pk"]

    def __str__(self):
        return f"{self.candidate} — {self.get_status_display()} ({self.pix_score} pix)"

    @property
    def is_validated(self) -> bool:
        return self.status == self.Status.VALIDATED

    @property
    def valid_until(self):
        try:
            return self.test_date.replace(year=self.test_date.year + VALIDITY_YEARS)
        except ValueError:  # 29 February
            return self.test_date.replace(year=self.test_date.year + VALIDITY_YEARS, day=28)


class CompetenceMark(models.Model):
    """The certified level of one tested competence (untested competences have none)."""

    result = models.ForeignKey(CertificationResult, on_delete=models.CASCADE, related_name="marks")
    competence = models.ForeignKey(
        "certification.Competence", on_delete=models.PROTECT, related_name="+"
    )
    profile_level = models.PositiveSmallIntegerField(
        _("niveau du profil"), validators=[MaxValueValidator(MAX_LEVEL)]
    )
    level = models.PositiveSmallIntegerField(
        _("niveau certifié"), validators=[MaxValueValidator(MAX_LEVEL)]
    )
    score = models.PositiveSmallIntegerField(
        _("pix"), validators=[MaxValueValidator(MAX_LEVEL * PIX_PER_LEVEL)]
    )

    class Meta:
        verbose_name = _("niveau certifié")
        constraints = [
            models.UniqueConstraint(fields=["result", "competence"], name="one_mark_per_competence")
        ]

    def __str__(self):
        return f"{self.competence_id} : {self.level}"


class CertificationAnswer(models.Model):
    """One question asked during the test, as the test platform reported it."""

    class Result(models.TextChoices):
        CORRECT = Outcome.CORRECT.value, _("Correcte")
        WRONG = Outcome.WRONG.value, _("Fausse")
        NEUTRALIZED = Outcome.NEUTRALIZED.value, _("Neutralisée")
        UNANSWERED = Outcome.UNANSWERED.value, _("Sans réponse")

    result = models.ForeignKey(
        CertificationResult, on_delete=models.CASCADE, related_name="answers"
    )
    position = models.PositiveSmallIntegerField()
    competence = models.ForeignKey(
        "certification.Competence", on_delete=models.PROTECT, related_name="+"
    )
    challenge = models.CharField(_("épreuve"), max_length=64, blank=True)
    outcome = models.CharField(_("résultat"), max_length=12, choices=Result.choices)

    class Meta:
        verbose_name = _("question posée")
        ordering = ["result", "position"]
        constraints = [
            models.UniqueConstraint(fields=["result", "position"], name="one_answer_per_position")
        ]

    def __str__(self):
        return f"{self.position} {self.competence_id} {self.outcome}"


class CertificateBatch(Job):
    """One PDF of the certificates of a class (or session), rendered by a task."""

    division = models.CharField(_("Classe"), max_length=60, blank=True)
    session = models.ForeignKey(
        "certif_sessions.Session", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    total = models.PositiveIntegerField(default=0)
    file = models.ForeignKey(
        "jobs.PrivateFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("lot d'attestations")

    def __str__(self):
        return f"Attestations {self.division or self.session_id} ({self.status})"
