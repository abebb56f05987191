"""Integration tokens of the test platform, one school each: created by a superuser (the key is
shown once, only its SHA-256 is kept), listed and revoked from the jury's pages."""

import secrets

from django.db.models import QuerySet

from .models import AuditLog, IntegrationToken, Organization
from .services import audit_log_record


def integration_key_generate() -> tuple[str, str]:
    """A new key and the hash stored for it."""
    key = secrets.token_urlsafe(32)
    return key, IntegrationToken.hash_key(key)


def integration_token_create(
    *, organization: Organization, name: str, created_by
) -> tuple[IntegrationToken, str]:
    key, key_hash = integration_key_generate()
    token = IntegrationToken.objects.create(organization=organization, name=name, key_hash=key_hash)
    audit_log_record(
        actor=created_by,
        organization=organization,
        action=AuditLog.Action.INTEGRATION_TOKEN_CREATED,
        token_id=token.pk,
        name=name,
    )
    return token, key


def integration_token_revoke(*, token: IntegrationToken, revoked_by) -> None:
    token.is_active = False
    token.save(update_fields=["is_active"])
    audit_log_record(
        actor=revoked_by,
        organization=token.organization,
        action=AuditLog.Action.INTEGRATION_TOKEN_REVOKED,
        token_id=token.pk,
        name=token.name,
    )


def integration_tokens(*, uai: str = "") -> QuerySet[IntegrationToken]:
    tokens = IntegrationToken.objects.select_related("organization")
    if uai:
        tokens = tokens.filter(organization__uai=uai)
    return tokens.order_by("organization__uai", "-is_active", "-created_at")
