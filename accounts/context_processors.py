def current_organization(request):
    """The organisation of the page, and the others the user can switch to."""
    organization = getattr(request, "organization", None)
    user = getattr(request, "user", None)
    memberships = []
    if user is not None and user.is_authenticated:
        memberships = list(
            user.memberships.select_related("organization").order_by("organization__name")
        )
    return {
        "organization": organization,
        "membership": getattr(request, "membership", None),
        "user_memberships": memberships,
    }
