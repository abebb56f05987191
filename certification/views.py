import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import AuthenticatedRequest, OrgRequest, org_admin_view, org_member_view
from accounts.models import AuditLog
from accounts.services import export_audit
from students.selectors import organization_divisions

from . import services
from .exporters import campaign_participants_csv
from .forms import CampaignCodeForm, CampaignForm, ProfilesImportForm
from .models import Campaign
from .profile_import import ProfileImportError, competence_profiles_import_csv
from .referential import COMPETENCES
from .selectors import (
    campaign_by_code,
    campaign_get,
    campaign_list,
    campaign_participants,
    campaign_participation_of,
    competence_profile_summary,
)

# --- School pages (/o/<org_id>/campagnes/) --------------------------------------------------------


@org_member_view
def campaigns(request: OrgRequest, org_id: int) -> HttpResponse:
    return render(
        request,
        "certification/campaign_list.html",
        {"campaigns": campaign_list(organization=request.organization), "nav_section": "campaigns"},
    )


@org_member_view
def campaign_create(request: OrgRequest, org_id: int) -> HttpResponse:
    form = CampaignForm(
        request.POST or None,
        organization=request.organization,
        divisions=organization_divisions(organization=request.organization),
        initial={"owner": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        campaign = services.campaign_create(
            organization=request.organization, created_by=request.user, **form.cleaned_data
        )
        messages.success(
            request,
            _("Campagne créée. Donnez le code %(code)s à vos élèves.") % {"code": campaign.code},
        )
        return redirect("certification:campaign_detail", org_id, campaign.pk)
    return render(
        request, "certification/campaign_form.html", {"form": form, "nav_section": "campaigns"}
    )


@org_member_view
def campaign_detail(request: OrgRequest, org_id: int, campaign_id: int) -> HttpResponse:
    campaign = campaign_get(organization=request.organization, campaign_id=campaign_id)
    return render(
        request,
        "certification/campaign_detail.html",
        {
            "campaign": campaign,
            "participants": campaign_participants(campaign=campaign),
            "competences": COMPETENCES,
            "can_close": _can_close(request, campaign),
            "nav_section": "campaigns",
        },
    )


@org_member_view
def campaign_export(request: OrgRequest, org_id: int, campaign_id: int) -> HttpResponse:
    campaign = campaign_get(organization=request.organization, campaign_id=campaign_id)
    participants = campaign_participants(campaign=campaign)
    export_audit(
        actor=request.user,
        organization=request.organization,
        export=AuditLog.Export.CAMPAIGN_PARTICIPANTS,
        campaign_id=campaign.pk,
        rows=len(participants),
    )
    return campaign_participants_csv(campaign=campaign, participants=participants)


def _can_close(request: OrgRequest, campaign: Campaign) -> bool:
    """Its owner or an admin ends a campaign."""
    return not campaign.is_closed and (
        request.membership.is_admin or campaign.owner_id == request.user.pk
    )


@org_member_view
@require_POST
def campaign_close(request: OrgRequest, org_id: int, campaign_id: int) -> HttpResponse:
    campaign = campaign_get(organization=request.organization, campaign_id=campaign_id)
    if not campaign.is_closed:
        if not _can_close(request, campaign):
            raise PermissionDenied
        services.campaign_close(campaign=campaign)
        messages.success(
            request,
            _("La campagne est terminée : les élèves ne peuvent plus y envoyer leur profil."),
        )
    return redirect("certification:campaign_detail", org_id, campaign.pk)


@org_admin_view
def profiles_import(request: OrgRequest, org_id: int) -> HttpResponse:
    form = ProfilesImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            result = competence_profiles_import_csv(
                organization=request.organization,
                content=form.cleaned_data["file"].read(),
                imported_by=request.user,
            )
        except ProfileImportError as error:
            errors = error.errors
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d profil importé. La certificabilité des élèves est mise à jour.",
                    "%(count)d profils importés. La certificabilité des élèves est mise à jour.",
                    result.profiles,
                )
                % {"count": result.profiles},
            )
            return redirect("students:list", org_id)
    return render(
        request,
        "certification/profiles_import.html",
        {"form": form, "errors": errors, "nav_section": "students"},
    )


# --- Student pages ("J'ai un code") -------------------------------------------------------------


@login_required
def campaign_join(request: AuthenticatedRequest) -> HttpResponse:
    form = CampaignCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        campaign = campaign_by_code(code=form.cleaned_data["code"])
        if campaign is not None:
            return redirect("student_campaigns:share", campaign.code)
        form.add_error(
            "code",
            _("Ce code ne correspond à aucune campagne. Vérifiez-le auprès de votre enseignant."),
        )
    return render(request, "certification/campaign_join.html", {"form": form})


@login_required
def campaign_share(request: AuthenticatedRequest, code: str) -> HttpResponse:
    campaign = campaign_by_code(code=code.upper())
    if campaign is None:
        messages.error(request, _("Ce code ne correspond à aucune campagne."))
        return redirect("student_campaigns:join")
    if request.method == "POST":
        # A refusal is explained by the page itself once redirected back to it.
        with contextlib.suppress(services.CampaignJoinError):
            services.campaign_participation_share(campaign=campaign, user=request.user)
            messages.success(request, _("Votre profil a été envoyé. Merci !"))
        return redirect("student_campaigns:share", campaign.code)
    try:
        services.campaign_learner_for(campaign=campaign, user=request.user)
        refusal = None
    except services.CampaignJoinError as error:
        refusal = str(error)
    return render(
        request,
        "certification/campaign_share.html",
        {
            "campaign": campaign,
            "refusal": refusal,
            "profile": competence_profile_summary(user=request.user),
            "participation": campaign_participation_of(campaign=campaign, user=request.user),
        },
    )
