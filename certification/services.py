"""Writes of the certification app: competence profiles and profile-collection campaigns.

Certifiability itself lives in `certifiability.py`; the profile CSV import in `profile_import.py`.
"""

import secrets
import string
from collections.abc import Iterable, Mapping
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from students.models import Student

from .certifiability import certifiability_status, levels_are_certifiable
from .models import Campaign, CampaignParticipation, Competence, CompetenceProfile, CompetenceScore

# {competence code: (level, pix)} for the 16 competences of one profile.
ProfileScores = Mapping[str, tuple[int, int]]

_BATCH = 1000


@transaction.atomic
def competence_profiles_replace(
    *, scores_by_user: Mapping[int, ProfileScores], computed_at: datetime
) -> int:
    """Store whole profiles (one per user id), replacing what was there. Set-based upserts."""
    competence_ids = dict(Competence.objects.values_list("code", "pk"))
    user_ids = list(scores_by_user)
    CompetenceProfile.objects.bulk_create(
        [CompetenceProfile(user_id=user_id, computed_at=computed_at) for user_id in user_ids],
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=["computed_at", "updated_at"],
        batch_size=_BATCH,
    )
    profile_ids: dict[int, int] = {}
    for start in range(0, len(user_ids), _BATCH):
        profile_ids.update(
            CompetenceProfile.objects.filter(
                user_id__in=user_ids[start : start + _BATCH]
            ).values_list("user_id", "pk")
        )
    CompetenceScore.objects.bulk_create(
        [
            CompetenceScore(
                profile_id=profile_ids[user_id],
                competence_id=competence_ids[code],
                level=level,
                pix=pix,
            )
            for user_id, scores in scores_by_user.items()
            for code, (level, pix) in scores.items()
        ],
        update_conflicts=True,
        unique_fields=["profile", "competence"],
        update_fields=["level", "pix"],
        batch_size=_BATCH,
    )
    return len(user_ids)


def competence_profile_replace(
    *, user: User, computed_at: datetime, scores: ProfileScores
) -> CompetenceProfile:
    competence_profiles_replace(scores_by_user={user.pk: scores}, computed_at=computed_at)
    return CompetenceProfile.objects.get(user=user)


# --- Campaigns ----------------------------------------------------------------------------------


class CampaignJoinError(Exception):
    """Why a student cannot send their profile to this campaign (a French sentence)."""


def campaign_code_generate() -> str:
    """6 capital letters and 3 digits, e.g. AQZFGF163 (secrets: codes must not be guessable)."""
    letters = "".join(secrets.choice(string.ascii_uppercase) for _ in range(6))
    return letters + "".join(secrets.choice(string.digits) for _ in range(3))


def campaign_create(
    *,
    organization: Organization,
    name: str,
    owner: User,
    divisions: Iterable[str] = (),
    created_by: User | None = None,
) -> Campaign:
    for _attempt in range(10):
        try:
            with transaction.atomic():
                return Campaign.objects.create(
                    organization=organization,
                    name=name,
                    owner=owner,
                    divisions=sorted(set(divisions)),
                    created_by=created_by,
                    code=campaign_code_generate(),
                )
        except IntegrityError:
            # A code already taken (about one chance in 10^11): draw another.
            continue
    raise RuntimeError("No free campaign code after 10 attempts")


def campaign_close(*, campaign: Campaign) -> Campaign:
    if campaign.closed_at is None:
        campaign.closed_at = timezone.now()
        campaign.save(update_fields=["closed_at"])
    return campaign


def campaign_learner_for(*, campaign: Campaign, user: User) -> Student:
    """The student (of the campaign's school) this account sends its profile as, or an error."""
    if campaign.is_closed:
        raise CampaignJoinError(
            _("Cette campagne est terminée : il n'est plus possible d'y envoyer son profil.")
        )
    learner = (
        Student.objects.filter(user=user, organization_id=campaign.organization_id)
        .filter(is_disabled=False)
        .order_by("-pk")
        .first()
    )
    if learner is None:
        raise CampaignJoinError(
            _(
                "Cette campagne est réservée aux élèves d'un autre établissement. "
                "Vérifiez le code auprès de votre enseignant."
            )
        )
    if campaign.divisions and learner.division not in campaign.divisions:
        raise CampaignJoinError(
            _("Cette campagne ne concerne pas votre classe (%(division)s).")
            % {"division": learner.division}
        )
    return learner


@transaction.atomic
def campaign_participation_share(*, campaign: Campaign, user: User) -> CampaignParticipation:
    """The student sends their profile: the campaign keeps a snapshot of it, and the student's
    certifiability is updated at once (unless a newer profile already decided it)."""
    learner = campaign_learner_for(campaign=campaign, user=user)
    # Locked: a profile pushed at the same moment cannot mix with the snapshot.
    profile = CompetenceProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        raise CampaignJoinError(
            _(
                "Votre profil n'est pas encore disponible : passez d'abord des épreuves sur la "
                "plateforme Pix, puis revenez envoyer votre profil."
            )
        )
    scores = {
        code: {"level": level, "pix": pix}
        for code, level, pix in profile.scores.values_list("competence__code", "level", "pix")
    }
    levels = [score["level"] for score in scores.values()]
    participation, _created = CampaignParticipation.objects.update_or_create(
        campaign=campaign,
        student=learner,
        defaults={
            "user": user,
            "shared_at": timezone.now(),
            "profile_computed_at": profile.computed_at,
            "scores": scores,
            "pix_total": sum(score["pix"] for score in scores.values()),
            "is_certifiable": levels_are_certifiable(levels),
        },
    )
    Student.objects.filter(pk=learner.pk).filter(
        Q(certifiability_profile_date__isnull=True)
        | Q(certifiability_profile_date__lte=profile.computed_at)
    ).update(
        certifiability=certifiability_status(levels),
        certifiability_profile_date=profile.computed_at,
        certifiability_updated_at=profile.updated_at,
    )
    return participation
