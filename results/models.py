from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from certification.referential import MAX_LEVEL, PIX_PER_LEVEL
from jobs.models import Job

from .scoring import AUTOMATIC_REJECTION_COMMENT, Outcome

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
        _("Commentaire jury pour l’organisation"), blank=True, max_length=500
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
        indexes = [
            # A school year without results yet (the bilan's default from September to the
            # first sessions) is known at once from this index, instead of by looking up the
            # result of each of the school's candidates.
            models.Index(fields=["test_date"], name="result_test_date_idx"),
        ]

    def __str__(self):
        return f"{self.candidate} — {self.get_status_display()} ({self.pix_score} pix)"

    @property
    def is_validated(self) -> bool:
        return self.status == self.Status.VALIDATED

    @property
    def organization_comment(self) -> str:
        return organization_comment(status=self.status, jury_comment=self.jury_comment)

    @property
    def valid_until(self):
        try:
            return self.test_date.replace(year=self.test_date.year + VALIDITY_YEARS)
        except ValueError:  # 29 February
            return self.test_date.replace(year=self.test_date.year + VALIDITY_YEARS, day=28)


def organization_comment(*, status: str, jury_comment: str) -> str:
    """What the school reads: the jury's comment, else §7's sentence for an automatic rejection
    (a rejection only ever comes from a global rate under 50 %)."""
    if not jury_comment and status == CertificationResult.Status.REJECTED:
        return AUTOMATIC_REJECTION_COMMENT
    return jury_comment


class CompetenceMark(models.Model):
    """The certified level of one tested competence (untested competences have none)."""

    result = models.ForeignKey(CertificationResult, on_delete=models.CASCADE, related_name="marks")
    competence = models.ForeignKey(
        "certification.Competence", on_delete=models.PROTECT, related_name="+"
    )
    profile_level = models.PositiveSmallIntegerField(
        _("niveau du profil"), validators=[MaxValueValidator(MAX_LEVEL)]
    )
    # Kept to rescore the candidate after a neutralisation.
    profile_pix = models.PositiveSmallIntegerField(
        _("pix du profil"), validators=[MaxValueValidator(MAX_LEVEL * PIX_PER_LEVEL + 7)]
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


class IssueReportDecision(models.Model):
    """What became of a signalement that may change a result (E codes, C1, C6).

    Made automatically when the results arrive (E1–E5 on a wrong or missing answer, any E code on
    a right answer) or by the jury, with its reason. Removing a decision (un-neutralising) makes
    the signalement wait for the jury again. `before`/`after` are the candidate's result around
    the decision, as shown to the jury.
    """

    class Kind(models.TextChoices):
        AUTO_NEUTRALIZED = "auto_neutralized", _("Cette question a été neutralisée automatiquement")
        CORRECT_ANSWER = (
            "correct_answer",
            _("Cette question n'a pas été neutralisée car la réponse est correcte"),
        )
        NEUTRALIZED = "neutralized", _("Question neutralisée par le jury")
        REFUSED = "refused", _("Neutralisation refusée par le jury")
        CANCELLED = "cancelled", _("Certification annulée par le jury")
        TREATED = "treated", _("Traité par le jury, sans effet sur le résultat")

    NEUTRALIZING = (Kind.AUTO_NEUTRALIZED, Kind.NEUTRALIZED)

    issue_report = models.OneToOneField(
        "certif_sessions.CertificationIssueReport",
        on_delete=models.CASCADE,
        related_name="decision",
    )
    kind = models.CharField(_("décision"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("motif"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("décision sur un signalement")

    def __str__(self):
        return f"{self.issue_report} : {self.get_kind_display()}"

    @property
    def is_automatic(self) -> bool:
        return self.kind in (self.Kind.AUTO_NEUTRALIZED, self.Kind.CORRECT_ANSWER)


class ResultEmail(models.Model):
    """The result sent to a candidate's result recipient at publication, and how that went."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En cours d'envoi")
        SENT = "sent", _("Envoyé")
        FAILED = "failed", _("Échec de l'envoi")

    result = models.OneToOneField(
        CertificationResult, on_delete=models.CASCADE, related_name="recipient_email"
    )
    email = models.EmailField(_("destinataire des résultats"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("envoi des résultats")

    def __str__(self):
        return f"{self.email} ({self.status})"


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
