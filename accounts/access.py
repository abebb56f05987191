"""Who may see what: every organisation page goes through `org_member_view` / `org_admin_view`.

The organisation comes from the URL (`org_id`). Someone who is not a member gets a 404 (the page
does not exist for them), a member who is not an admin gets a 403 on admin actions.
"""

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, NoReturn, ParamSpec, Protocol, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone

from jobs.views import HtmxRequest

from .models import AuditLog, Membership, Organization, User


class AuthenticatedRequest(HtmxRequest):
    """The request of a `login_required` view: its user is signed in."""

    user: User


class OrgRequest(AuthenticatedRequest):
    """The request of an `org_member_view` / `org_admin_view`: the organisation of the URL and
    the user's membership of it."""

    organization: Organization
    membership: Membership
    user_memberships: list[Membership]


P = ParamSpec("P")


class OrgView(Protocol[P]):
    """What the decorators return: the view as Django calls it (any request), marked for the test
    that walks admin pages as a member."""

    admin_only: bool

    def __call__(
        self, request: HttpRequest, org_id: int, *args: P.args, **kwargs: P.kwargs
    ) -> HttpResponseBase: ...


def memberships_of(user: User) -> list[Membership]:
    """The user's memberships, organisations by name: the one of the page is picked from them,
    and the menu lists them all on every page (one query for both)."""
    return list(user.memberships.select_related("organization").order_by("organization__name"))


def _deny(
    request: HttpRequest, org_id: int, *, status: int, membership: Membership | None = None
) -> NoReturn:
    AuditLog.objects.create(
        actor=request.user if request.user.is_authenticated else None,
        organization=membership.organization if membership else None,
        action=AuditLog.Action.ACCESS_DENIED,
        details={
            "path": request.path,
            "method": request.method,
            "status": status,
            "org_id": org_id,
        },
    )
    if status == 403:
        raise PermissionDenied
    raise Http404


def _org_view(
    *, admin: bool
) -> Callable[[Callable[Concatenate[OrgRequest, int, P], HttpResponseBase]], OrgView[P]]:
    def decorator(
        view: Callable[Concatenate[OrgRequest, int, P], HttpResponseBase],
    ) -> OrgView[P]:
        @wraps(view)
        def wrapper(
            request: HttpRequest, org_id: int, *args: P.args, **kwargs: P.kwargs
        ) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            memberships = memberships_of(request.user)
            membership = next((m for m in memberships if m.organization_id == org_id), None)
            if membership is None:
                _deny(request, org_id, status=404)
            if admin and not membership.is_admin:
                _deny(request, org_id, status=403, membership=membership)
            # The one place the request is made an OrgRequest: the view reads what is set here.
            org_request = cast(OrgRequest, request)
            org_request.membership = membership
            org_request.organization = membership.organization
            org_request.user_memberships = memberships
            request.session["current_org_id"] = membership.organization_id
            # Dates and times on the school's pages read in its own time zone (Tahiti…).
            with timezone.override(membership.organization.zoneinfo):
                return view(org_request, org_id, *args, **kwargs)

        org_view = cast(OrgView[P], wrapper)
        org_view.admin_only = admin  # read by the test that walks admin pages as a member
        return org_view

    return decorator


org_member_view = _org_view(admin=False)
"""For pages every member of the organisation may see (members and admins)."""

org_admin_view = _org_view(admin=True)
"""For actions reserved to the organisation's admins (imports, resets, sessions, team)."""
