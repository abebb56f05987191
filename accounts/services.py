from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from .models import AuditLog, Membership, Organization, User, organization_kind_guess
from .passwords import one_time_password_generate


class LastAdminError(Exception):
    """An organisation must keep at least one administrator."""


def audit_log_record(
    *,
    actor: User | AnonymousUser | None,
    organization: Organization | None,
    action: str,
    **details: Any,
) -> AuditLog:
    return AuditLog.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        organization=organization,
        action=action,
        details=details,
    )


def export_audit(
    *,
    actor: User | AnonymousUser | None,
    organization: Organization | None,
    export: AuditLog.Export,
    **details: Any,
) -> AuditLog:
    """Every download of the school's data is logged the same way: `export` says what it was,
    `details` what narrowed it (class, session, rows…)."""
    return audit_log_record(
        actor=actor,
        organization=organization,
        action=AuditLog.Action.EXPORT,
        export=export.value,
        **details,
    )


ONE_TIME_PASSWORD_FIELDS = ["password", "must_change_password", "one_time_password_expires_at"]


def user_mark_one_time_password(*, user: User, encoded_password: str) -> None:
    """Put an already hashed one-time password on the user (not saved): must change, expires."""
    user.password = encoded_password
    user.must_change_password = True
    user.one_time_password_expires_at = timezone.now() + settings.ONE_TIME_PASSWORD_VALIDITY


@sensitive_variables("password")
def user_set_one_time_password(*, user: User) -> str:
    """Give the user a fresh one-time password; returns it in clear, the only time it exists.

    A newer one-time password replaces (and so invalidates) the previous one.
    """
    password = one_time_password_generate()
    user_mark_one_time_password(user=user, encoded_password=make_password(password))
    user.save(update_fields=ONE_TIME_PASSWORD_FIELDS)
    return password


def user_change_password(*, user: User, new_password: str) -> None:
    user.set_password(new_password)
    user.must_change_password = False
    user.one_time_password_expires_at = None
    user.save(update_fields=ONE_TIME_PASSWORD_FIELDS)


def password_reset_email_send(*, email: str) -> None:
    """Django's reset link, if an active account has this e-mail; silent otherwise (no way to
    learn which addresses have an account)."""
    form = PasswordResetForm({"email": email})
    if form.is_valid():
        site = urlsplit(settings.SITE_URL)
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            subject_template_name="accounts/emails/password_reset_subject.txt",
            email_template_name="accounts/emails/password_reset.txt",
        )


def organization_create(
    *, uai: str, name: str, type: str = Organization.Type.SCO, timezone_name: str = "Europe/Paris"
) -> tuple[Organization, bool]:
    """Idempotent on the UAI: returns (organisation, created)."""
    organization, created = Organization.objects.get_or_create(
        uai=uai.upper(),
        defaults={
            "name": name,
            "type": type,
            "timezone": timezone_name,
            "kind": organization_kind_guess(name),
        },
    )
    if created:
        organization.full_clean()
    return organization, created


@transaction.atomic
def _is_last_admin(membership: Membership) -> bool:
    admins = Membership.objects.select_for_update().filter(
        organization=membership.organization, role=Membership.Role.ADMIN
    )
    return membership.is_admin and admins.count() == 1


@transaction.atomic
def member_change_role(
    *, membership: Membership, role: str, changed_by: User | None = None
) -> Membership:
    if role != Membership.Role.ADMIN and _is_last_admin(membership):
        raise LastAdminError
    membership.role = role
    membership.save(update_fields=["role"])
    audit_log_record(
        actor=changed_by,
        organization=membership.organization,
        action=AuditLog.Action.MEMBER_ROLE_CHANGED,
        user_id=membership.user_id,
        role=role,
    )
    return membership


@transaction.atomic
def member_remove(*, membership: Membership, removed_by: User | None = None) -> None:
    if _is_last_admin(membership):
        raise LastAdminError
    audit_log_record(
        actor=removed_by,
        organization=membership.organization,
        action=AuditLog.Action.MEMBER_REMOVED,
        user_id=membership.user_id,
    )
    membership.delete()
