import datetime
import re

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobs.models import Job

FINALIZATION_COMMENT_MAX_LENGTH = 500


class Session(models.Model):
    """A certification session (Pix Certif). Its number is its id."""

    class Status(models.TextChoices):
        CREATED = "created", _("Créée")
        FINALIZED = "finalized", _("Finalisée")
        PUBLISHED = "published", _("Résultats transmis")

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="certification_sessions"
    )
    address = models.CharField(_("Nom du site"), max_length=255)
    room = models.CharField(_("Nom de la salle"), max_length=255)
    date = models.DateField(_("Date"))
    time = models.TimeField(_("Heure de début (heure locale)"))
    examiner = models.CharField(_("Surveillant(s)"), max_length=255)
    description = models.TextField(_("Observations"), blank=True)
    access_code = models.CharField(_("code d'accès"), max_length=6, unique=True)
    invigilator_password = models.CharField(_("mot de passe surveillant"), max_length=6)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CREATED)
    created_at = models.DateTimeField(auto_now_add=True)
    finalized_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    # Filled in once, at finalisation.
    has_incident = models.BooleanField(
        _(
            "Malgré un incident survenu pendant la session, les candidats ont pu terminer leur "
            "test de certification."
        ),
        default=False,
    )
    has_joining_issue = models.BooleanField(
        _(
            "Un ou plusieurs candidats étaient présents en session de certification mais n'ont "
            "pas pu rejoindre la session."
        ),
        default=False,
    )
    finalization_comment = models.TextField(
        _("Commentaire global de la session"),
        max_length=FINALIZATION_COMMENT_MAX_LENGTH,
        blank=True,
    )
    signed_pv = models.ForeignKey(
        "jobs.PrivateFile",
        verbose_name=_("PV de session signé (scan)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("session de certification")
        verbose_name_plural = _("sessions de certification")
        ordering = ["-date", "-time"]

    def __str__(self):
        return f"Session {self.pk} — {self.date:%d/%m/%Y}"

    @property
    def is_editable(self) -> bool:
        """Candidates, documents' content and issue reports change only before finalisation."""
        return self.status == self.Status.CREATED

    @property
    def starts_at(self) -> datetime.datetime:
        return school_datetime(self.organization, self.date, self.time)

    @property
    def has_started(self) -> bool:
        """Finalisation comes after the session: not before its start time, at the school."""
        return self.starts_at <= timezone.now()

    @property
    def examiner_count(self) -> int:
        """How many invigilators the "Surveillant(s)" field names (separated by , ; / or "et")."""
        return len(examiner_names(self.examiner))


def school_datetime(organization, date, time) -> datetime.datetime:
    """A session's date and start time are the school's local time (18:00 in Tahiti is
    already tomorrow in Paris)."""
    return datetime.datetime.combine(date, time, tzinfo=organization.zoneinfo)


def examiner_names(examiner: str) -> list[str]:
    names = re.split(r"[,;/\n]|\bet\b", examiner, flags=re.IGNORECASE)
    return [name for name in names if name.strip()]


class Candidate(models.Model):
    """A person enrolled in a session: a student of the school, or an external candidate."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="candidates")
    student = models.ForeignKey(
        "students.Student",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="candidacies",
    )
    last_name = models.CharField(_("Nom de naissance"), max_length=150)
    first_name = models.CharField(_("Prénom"), max_length=150)
    birthdate = models.DateField(_("Date de naissance"))
    sex = models.CharField(
        _("Sexe"), max_length=1, choices=[("M", _("Masculin")), ("F", _("Féminin"))]
    )
    birth_insee_code = models.CharField(
        _("Code INSEE de la commune de naissance"), max_length=5, blank=True
    )
    birth_postal_code = models.CharField(_("Code postal de naissance"), max_length=5, blank=True)
    birth_city = models.CharField(_("Commune de naissance"), max_length=150, blank=True)
    birth_country = models.CharField(_("Pays de naissance"), max_length=100, default="FRANCE")
    external_id = models.CharField(_("Identifiant externe"), max_length=100, blank=True)
    extra_time_percentage = models.PositiveSmallIntegerField(
        _("Temps majoré (%)"), null=True, blank=True
    )
    result_recipient_email = models.EmailField(
        _("E-mail du destinataire des résultats"), blank=True
    )
    division = models.CharField(_("Classe"), max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Noted by the invigilator during the session, confirmed at finalisation.
    class AbortReason(models.TextChoices):
        CANDIDATE = "candidate", _("manque de temps ou abandon")
        TECHNICAL = "technical", _("problème technique")

    is_present = models.BooleanField(_("Présent"), default=False)
    has_seen_end_test_screen = models.BooleanField(_("Écran de fin du test vu"), default=False)
    abort_reason = models.CharField(
        _("Raison de l'abandon"), max_length=10, blank=True, choices=AbortReason.choices
    )

    class Meta:
        verbose_name = _("candidat")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "student"],
                name="student_enrolled_once_per_session",
                condition=models.Q(student__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.last_name} {self.first_name}"


class IssueReportCategory(models.TextChoices):
    CANDIDATE_INFORMATION_CHANGES = (
        "candidate_information_changes",
        _("Modification des informations du candidat"),
    )
    SIGNATURE_ISSUE = "signature_issue", _("Problème de signature")
    FRAUD = "fraud", _("Suspicion de fraude")
    NON_BLOCKING_TECHNICAL_ISSUE = (
        "non_blocking_technical_issue",
        _("Incident technique non bloquant"),
    )
    NON_BLOCKING_CANDIDATE_ISSUE = (
        "non_blocking_candidate_issue",
        _("Incident lié au candidat non bloquant"),
    )
    IN_CHALLENGE = "in_challenge", _("Problème technique sur une question")


class IssueReportCode(models.TextChoices):
    """The codes of §6. E6 and E7 were retired by Pix and are not offered any more."""

    C1 = "C1", _("Modification du nom, du prénom ou de la date de naissance")
    C2 = "C2", _("Ajout ou modification du temps majoré")
    C4 = "C4", _("Présent mais n'a pas signé, ou a signé sur la mauvaise ligne")
    C6 = "C6", _("Suspicion de fraude")
    C7 = "C7", _("Incident technique non bloquant")
    C8 = "C8", _("Incident lié au candidat non bloquant")
    E1 = "E1", _("L'image ne s'affiche pas")
    E2 = "E2", _("Le simulateur ou l'application intégrée ne s'affiche pas")
    E3 = "E3", _("Le fichier à télécharger ne se télécharge pas ou ne s'ouvre pas")
    E4 = "E4", _("Le site à visiter est indisponible ou inaccessible")
    E5 = "E5", _("Le site à visiter est bloqué par le réseau de l'établissement")
    E8 = "E8", _("Le temps majoré n'a pas suffi pour répondre à la question")
    E9 = "E9", _("Le logiciel installé sur l'ordinateur n'a pas fonctionné")
    E10 = "E10", _("Le candidat a dû cliquer hors du cadre d'une question en mode focus")
    E11 = "E11", _("Une page « Oups » ou une panne de la plateforme a fait passer la question")
    E12 = "E12", _("Problème d'accessibilité de la question (ex. : daltonisme)")


ISSUE_REPORT_CODE_CATEGORY = {
    IssueReportCode.C1: IssueReportCategory.CANDIDATE_INFORMATION_CHANGES,
    IssueReportCode.C2: IssueReportCategory.CANDIDATE_INFORMATION_CHANGES,
    IssueReportCode.C4: IssueReportCategory.SIGNATURE_ISSUE,
    IssueReportCode.C6: IssueReportCategory.FRAUD,
    IssueReportCode.C7: IssueReportCategory.NON_BLOCKING_TECHNICAL_ISSUE,
    IssueReportCode.C8: IssueReportCategory.NON_BLOCKING_CANDIDATE_ISSUE,
    **{
        code: IssueReportCategory.IN_CHALLENGE
        for code in IssueReportCode
        if code.value.startswith("E")
    },
}


class CertificationIssueReport(models.Model):
    """A "signalement": noted by the invigilator during the session or by the admin at
    finalisation. E codes concern one question, whose number is then required."""

    class Source(models.TextChoices):
        INVIGILATOR = "invigilator", _("Surveillant")
        ADMIN = "admin", _("Finalisation")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="issue_reports")
    category = models.CharField(_("Catégorie"), max_length=40, choices=IssueReportCategory.choices)
    code = models.CharField(_("Code"), max_length=3, choices=IssueReportCode.choices)
    question_number = models.PositiveSmallIntegerField(
        _("Numéro de la question"), null=True, blank=True
    )
    description = models.TextField(_("Description"), max_length=500, blank=True)
    source = models.CharField(max_length=12, choices=Source.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("signalement")
        ordering = ["candidate_id", "created_at", "pk"]

    def __str__(self):
        return f"{self.code} — {self.candidate}"

    @property
    def is_in_challenge(self) -> bool:
        return self.category == IssueReportCategory.IN_CHALLENGE


class DocumentJob(Job):
    """The generation of a big session document (attendance sheet, convocations, ZIP…) in a
    task. The page polls this row; the file is private and deleted after a short time."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="document_jobs")
    document = models.CharField(max_length=30)
    file = models.ForeignKey(
        "jobs.PrivateFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("génération de document")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.document} — session {self.session_id} ({self.status})"
