"""Joining a team by invitation: nobody is added to a school without their consent.

An admin who adds an address sends an invitation by e-mail, whatever the address: the answer
is the same whether it has an account or not (no way to learn who has one), and nobody joins
until the owner of the address accepts. The invitation is a signed token (organisation, address,
role, who invited), valid INVITATION_MAX_AGE; an address without an account chooses its password
when accepting, an existing account logs in and accepts.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.debug import sensitive_variables

from .models import AuditLog, Membership, Organization, User
from .services import audit_log_record, user_change_password

INVITATION_SALT = "accounts.member-invitation"
INVITATION_MAX_AGE = timedelta(days=7)


@dataclass(frozen=True)
class Invitation:
    organization: Organization
    email: str
    role: str
    first_name: str
    last_name: str
    # The inviter's id when the token was signed; their account may have been deleted since.
    invited_by_id: int

    @property
    def account(self) -> User | None:
        return User.objects.filter(email__iexact=self.email).first()


def member_invitation_send(
    *,
    organization: Organization,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    invited_by: User,
) -> None:
    token = signing.dumps(
        {
            "org": organization.pk,
            "email": email,
            "role": role,
            "first_name": first_name,
            "last_name": last_name,
            "by": invited_by.pk,
        },
        salt=INVITATION_SALT,
        compress=True,
    )
    context = {
        "organization": organization,
        "invited_by": invited_by,
        "role": Membership.Role(role).label,
        "url": settings.SITE_URL + reverse("accounts:invitation", args=[token]),
        "days": INVITATION_MAX_AGE.days,
    }
    send_mail(
        f"Invitation à rejoindre l'équipe de {organization.name} sur Pix Portal",
        render_to_string("accounts/emails/invitation.txt", context),
        None,
        [email],
    )


def member_invitation_read(*, token: str) -> Invitation | None:
    """The invitation a token carries; None when forged, expired or its school is gone."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.BadSignature:
        return None
    organization = Organization.objects.filter(pk=data["org"]).first()
    if organization is None or data["role"] not in Membership.Role.values:
        return None
    return Invitation(
        organization=organization,
        email=data["email"],
        role=data["role"],
        first_name=data["first_name"],
        last_name=data["last_name"],
        invited_by_id=data["by"],
    )


def member_invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """The owner of the invited address joins the team (again: nothing changes)."""
    if user.email is None or user.email.lower() != invitation.email.lower():
        raise PermissionError("Cette invitation est adressée à une autre adresse.")
    membership, created = Membership.objects.get_or_create(
        user=user, organization=invitation.organization, defaults={"role": invitation.role}
    )
    if created:
        audit_log_record(
            actor=User.objects.filter(pk=invitation.invited_by_id).first(),
            organization=invitation.organization,
            action=AuditLog.Action.MEMBER_ADDED,
            user_id=user.pk,
            role=invitation.role,
            accepted_invitation=True,
        )
    return membership


@sensitive_variables("password")
@transaction.atomic
def member_invitation_accept_with_new_account(*, invitation: Invitation, password: str) -> User:
    """An address without an account: the account is created with the password its owner chose."""
    user = User.objects.create_user(
        email=invitation.email, first_name=invitation.first_name, last_name=invitation.last_name
    )
    user_change_password(user=user, new_password=password)
    member_invitation_accept(invitation=invitation, user=user)
    return user
