"""The pages every French public-service site publishes: accessibility statement, site map,
legal notice and personal data. Public, the same for everyone."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_GET


def _page(template: str):
    @require_GET
    def view(request):
        return render(request, template, {"contact_email": settings.CONTACT_EMAIL})

    return view


accessibility = _page("pages/accessibility.html")
site_map = _page("pages/site_map.html")
legal_notice = _page("pages/legal_notice.html")
personal_data = _page("pages/personal_data.html")
