"""The pages every French public-service site publishes (accessibility statement, site map,
legal notice, personal data), and the home page that sends each user where they work."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from accounts.access import OrgRequest, org_member_view


def _page(template: str):
    @require_GET
    def view(request):
        return render(request, template, {"contact_email": settings.CONTACT_EMAIL})

    return view


accessibility = _page("pages/accessibility.html")
site_map = _page("pages/site_map.html")
legal_notice = _page("pages/legal_notice.html")
personal_data = _page("pages/personal_data.html")


def home(request):
    """Staff land on their current school's students, students on their own page."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    memberships = request.user.memberships.order_by("organization__name")
    current = memberships.filter(organization_id=request.session.get("current_org_id")).first()
    current = current or memberships.first()
    if current is not None:
        return redirect("students:list", current.organization_id)
    if request.user.is_superuser:
        return redirect("results_public:jury_sessions")
    return redirect("results_public:student_home")


@org_member_view
@require_GET
def organization_home(request: OrgRequest, org_id: int):
    """/o/<id>/, typed or trimmed from a longer address: the school's students."""
    return redirect("students:list", org_id)
