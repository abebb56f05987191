import hashlib
import secrets
import zoneinfo
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(
        self, email: str | None = None, password: str | None = None, **fields: Any
    ) -> "User":
        email = self.normalize_email(email) or None
        user = self.model(email=email, **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str, **fields: Any) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Staff log in with their e-mail, students with their identifiant (or e-mail)."""

    email = models.EmailField(_("adresse e-mail"), unique=True, null=True, blank=True)
    username = models.CharField(
        _("identifiant"), max_length=150, unique=True, null=True, blank=True
    )
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    is_staff = models.BooleanField(_("accès à l'administration"), default=False)
    is_active = models.BooleanField(_("actif"), default=True)
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now)
    must_change_password = models.BooleanField(_("doit changer son mot de passe"), default=False)
    # Set with a one-time password: after this instant the password no longer opens the account.
    one_time_password_expires_at = models.DateTimeField(null=True, blank=True)
    has_mediacentre_access = models.BooleanField(_("connexion Mediacentre (GAR)"), default=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(email__isnull=False) | models.Q(username__isnull=False),
                name="user_has_email_or_identifiant",
            )
        ]

    def __str__(self):
        return self.get_full_name() or self.email or self.username or f"#{self.pk}"

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name

    @property
    def login(self) -> str:
        return self.username or self.email or ""

    @property
    def one_time_password_expired(self) -> bool:
        expires_at = self.one_time_password_expires_at
        return self.must_change_password and expires_at is not None and expires_at < timezone.now()

    @property
    def connection_methods(self) -> list[str]:
        return connection_methods(
            username=self.username,
            email=self.email,
            has_mediacentre_access=self.has_mediacentre_access,
        )


def connection_methods(
    *, username: str | None, email: str | None, has_mediacentre_access: bool
) -> list[str]:
    """How an account logs in, as the Élèves page lists it (also for rows read without a
    User)."""
    methods = []
    if username:
        methods.append("Identifiant")
    if email:
        methods.append("Adresse e-mail")
    if has_mediacentre_access:
        methods.append("Mediacentre")
    return methods


uai_validator = RegexValidator(
    r"^\d{7}[A-Z]$",
    _("L'UAI doit comporter 7 chiffres suivis d'une lettre majuscule (ex. 0981234X)."),
)


def timezone_validator(value):
    from django.core.exceptions import ValidationError

    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Fuseau horaire inconnu : %(tz)s."), params={"tz": value})


def organization_kind_guess(name: str) -> str:
    """Lycées (général, professionnel, agricole) say so in their name; the rest are collèges.
    The national operator corrects the odd one in the admin."""
    folded = name.casefold()
    is_lycee = "lycée" in folded or "lycee" in folded or folded.startswith(("lp ", "legt", "lpo"))
    return "lycee" if is_lycee else "college"


class Organization(models.Model):
    """A collège or lycée: both the Pix Orga organisation and the Pix Certif centre."""

    class Type(models.TextChoices):
        SCO = "SCO", _("Établissement scolaire")
        SCO_AGRI = "SCO-AGRI", _("Établissement agricole")

    class Kind(models.TextChoices):
        """Which national certification window applies (planning/): 3e or terminales."""

        COLLEGE = "college", _("Collège")
        LYCEE = "lycee", _("Lycée")

    uai = models.CharField(_("UAI"), max_length=8, unique=True, validators=[uai_validator])
    name = models.CharField(_("nom"), max_length=255)
    type = models.CharField(_("type"), max_length=10, choices=Type.choices, default=Type.SCO)
    timezone = models.CharField(
        _("fuseau horaire"), max_length=64, default="Europe/Paris", validators=[timezone_validator]
    )
    kind = models.CharField(
        _("collège ou lycée"), max_length=10, choices=Kind.choices, default=Kind.COLLEGE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("établissement")
        verbose_name_plural = _("établissements")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.uai})"

    @property
    def is_agricultural(self) -> bool:
        return self.type == self.Type.SCO_AGRI

    @property
    def zoneinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "ADMIN", _("Administrateur")
        MEMBER = "MEMBER", _("Membre")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membre")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="one_membership_per_org")
        ]

    def __str__(self):
        return f"{self.user} — {self.organization} ({self.get_role_display()})"

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN


class AuditLog(models.Model):
    """Who did what, when. Never holds a password, and names students by id, never by INE."""

    class Action(models.TextChoices):
        ACCESS_DENIED = "access_denied", _("Accès refusé")
        MEMBER_ADDED = "member_added", _("Membre ajouté")
        MEMBER_ROLE_CHANGED = "member_role_changed", _("Rôle modifié")
        MEMBER_REMOVED = "member_removed", _("Membre retiré")
        STUDENTS_IMPORTED = "students_imported", _("Import des élèves")
        PASSWORDS_RESET = "passwords_reset", _("Mots de passe réinitialisés")
        EXPORT = "export", _("Export")
        SESSION_FINALIZED = "session_finalized", _("Session finalisée")
        RESULTS_PUBLISHED = "results_published", _("Résultats publiés")
        RESULTS_IMPORTED = "results_imported", _("Résultats reçus")
        IDENTIFIANT_ADDED = "identifiant_added", _("Identifiant ajouté")
        PROFILES_IMPORTED = "profiles_imported", _("Import de profils (CSV)")
        JURY_DECISION = "jury_decision", _("Décision du jury sur un signalement")
        JURY_DECISION_UNDONE = "jury_decision_undone", _("Décision du jury annulée")
        INTEGRATION_TOKEN_CREATED = "integration_token_created", _("Jeton d'intégration créé")
        INTEGRATION_TOKEN_REVOKED = "integration_token_revoked", _("Jeton d'intégration révoqué")

    class Export(models.TextChoices):
        """What an EXPORT entry took away: `details["export"]` (accounts.services.export_audit)."""

        STUDENTS = "eleves", _("Liste des élèves")
        CAMPAIGN_PARTICIPANTS = "participants_campagne", _("Participants d'une campagne")
        SESSION_DOCUMENT = "document_session", _("Document de session")
        DAY_PACK = "pochette_du_jour", _("Pochette du jour")
        RESULTS = "resultats", _("Résultats")
        CERTIFICATE = "attestation", _("Attestation")
        CERTIFICATES = "attestations", _("Attestations d'une classe")
        CREDENTIALS_CSV = "identifiants_csv", _("Identifiants des élèves (CSV)")
        CREDENTIALS_SLIPS = "identifiants_fiches", _("Fiches des identifiants (PDF)")

    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40, choices=Action.choices)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("journal d'audit")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action}"


class IntegrationToken(models.Model):
    """A secret that lets a platform of one organisation call the REST API.

    Only a SHA-256 of the key is stored; the key is shown once, when a superuser creates it.
    """

    name = models.CharField(_("nom"), max_length=100)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="integration_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("jeton d'intégration")
        verbose_name_plural = _("jetons d'intégration")

    def __str__(self):
        return f"{self.name} ({self.organization.uai})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


def _files_key_salt() -> str:
    """Referenced by migration 0003 (the salt moved to each private file since)."""
    return secrets.token_hex(16)
