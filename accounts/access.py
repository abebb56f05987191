"""Who may see what: every organisation page goes through `org_member_view` / `org_admin_view`.

The organisation comes from the URL (`org_id`). Someone who is not a member gets a 404 (the page
does not exist for them), a member who is not an admin gets a 403 on admin actions.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from .models import AuditLog, Membership


def membership_for(user, org_id) -> Membership | None:
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.select_related("organization")
        .filter(user=user, organization_id=org_id)
        .first()
    )


def _deny(request, org_id, *, status: int, membership=None):
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


def _org_view(*, admin: bool):
    def decorator(view):
        @wraps(view)
        def wrapper(request, org_id, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = membership_for(request.user, org_id)
            if membership is None:
                _deny(request, org_id, status=404)
            if admin and not membership.is_admin:
                _deny(request, org_id, status=403, membership=membership)
            request.membership = membership
            request.organization = membership.organization
            request.session["current_org_id"] = membership.organization_id
            # Dates and times on the school's pages read in its own time zone (Tahiti…).
            with timezone.override(membership.organization.zoneinfo):
                return view(request, org_id, *args, **kwargs)

        wrapper.admin_only = admin  # read by the test that walks admin pages as a member
        return wrapper

    return decorator


org_member_view = _org_view(admin=False)
"""For pages every member of the organisation may see (members and admins)."""

org_admin_view = _org_view(admin=True)
"""For actions reserved to the organisation's admins (imports, resets, sessions, team)."""
