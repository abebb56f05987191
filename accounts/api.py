"""REST API authentication: an integration token, scoped to one organisation.

Clients send `Authorization: Token <key>`. Views read the organisation from `request.auth`
(the IntegrationToken) and must only touch that organisation's data.
"""

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from rest_framework import authentication, exceptions, permissions

from .models import IntegrationToken


class IntegrationTokenAuthentication(authentication.TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key):
        token = (
            IntegrationToken.objects.select_related("organization")
            .filter(key_hash=IntegrationToken.hash_key(key), is_active=True)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed("Jeton d'intégration invalide ou désactivé.")
        IntegrationToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return AnonymousUser(), token


class HasIntegrationToken(permissions.BasePermission):
    message = "Un jeton d'intégration est requis (en-tête Authorization: Token <clé>)."

    def has_permission(self, request, view):
        return isinstance(request.auth, IntegrationToken)
