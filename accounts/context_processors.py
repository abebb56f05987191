from .access import memberships_of


def current_organization(request):
    """The organisation of the page, and the others the user can switch to."""
    organization = getattr(request, "organization", None)
    user = getattr(request, "user", None)
    memberships = getattr(request, "user_memberships", None)  # read by the organisation's pages
    if memberships is None:
        memberships = []
        if user is not None and user.is_authenticated:
            memberships = memberships_of(user)
    return {
        "organization": organization,
        "membership": getattr(request, "membership", None),
        "user_memberships": memberships,
    }
