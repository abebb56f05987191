from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import Membership, Organization


def organization_members(*, organization: Organization) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email")
    )


def membership_get(*, organization: Organization, membership_id: int) -> Membership:
    """The membership of this organisation, or 404: ids from another school are not found."""
    return get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_id, organization=organization
    )
