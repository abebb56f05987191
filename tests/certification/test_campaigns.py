"""Profile-collection campaigns: creation, the student's "J'ai un code", the campaign page."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditLog
from certification.models import Campaign, CampaignParticipation
from certification.services import campaign_code_generate
from students.models import Student
from tests.factories import (
    CampaignFactory,
    StudentFactory,
    StudentUserFactory,
    logged_in,
    profile_with_levels,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lea(school):
    """A student of `school` (class 3EA) with an account and a certifiable profile."""
    user = StudentUserFactory(username="lea.martin0103", first_name="Léa", last_name="Martin")
    profile_with_levels(user, [2, 1, 1, 1, 3, 0, 1])
    StudentFactory(
        organization=school, user=user, last_name="MARTIN", first_name="Léa", division="3EA"
    )
    return user


@pytest.fixture
def lea_client(lea):
    return logged_in(lea)


def share_url(campaign):
    return reverse("student_campaigns:share", args=[campaign.code])


def test_a_campaign_code_is_6_capital_letters_and_3_digits():
    codes = {campaign_code_generate() for _ in range(200)}
    assert all(re.fullmatch(r"[A-Z]{6}[0-9]{3}", code) for code in codes)
    assert len(codes) > 190


def test_a_member_creates_a_campaign_for_some_classes_and_gets_its_code(bob_client, bob, school):
    StudentFactory(organization=school, division="3EA")
    StudentFactory(organization=school, division="4EB")
    response = bob_client.post(
        reverse("certification:campaign_create", args=[school.id]),
        {"name": "Profils des 3e", "owner": bob.pk, "divisions": ["3EA"]},
        follow=True,
    )
    campaign = Campaign.objects.get()
    assert (campaign.organization, campaign.owner, campaign.divisions) == (school, bob, ["3EA"])
    assert campaign.code in response.content.decode()
    listing = bob_client.get(reverse("certification:campaign_list", args=[school.id]))
    assert "Profils des 3e" in listing.content.decode()


def test_the_owner_must_be_a_member_of_the_school(alice_client, charlie, school):
    response = alice_client.post(
        reverse("certification:campaign_create", args=[school.id]),
        {"name": "Profils", "owner": charlie.pk},
    )
    assert response.status_code == 200
    assert not Campaign.objects.exists()


def test_a_student_types_the_code_sees_their_profile_and_sends_it(lea_client, lea, school):
    campaign = CampaignFactory(organization=school)
    response = lea_client.post(reverse("student_campaigns:join"), {"code": campaign.code.lower()})
    assert response.url == share_url(campaign)

    page = lea_client.get(share_url(campaign)).content.decode()
    assert "J'envoie mon profil" in page and "Mener une recherche" in page

    lea_client.post(share_url(campaign))
    participation = CampaignParticipation.objects.get()
    assert participation.student.user == lea
    assert participation.scores["1.1"] == {"level": 2, "pix": 16}
    assert participation.pix_total == 9 * 8 and participation.is_certifiable
    assert "Vous avez envoyé votre profil" in lea_client.get(share_url(campaign)).content.decode()


def test_sharing_updates_the_students_certifiability_at_once(lea_client, lea, school):
    campaign = CampaignFactory(organization=school)
    lea_client.post(share_url(campaign))
    student = Student.objects.get(user=lea)
    assert student.certifiability == Student.Certifiability.CERTIFIABLE
    assert student.certifiability_profile_date == lea.competence_profile.computed_at


def test_sharing_does_not_override_a_status_from_a_newer_profile(lea_client, lea, school):
    newer = timezone.now()
    Student.objects.filter(user=lea).update(
        certifiability=Student.Certifiability.NOT_CERTIFIABLE, certifiability_profile_date=newer
    )
    lea_client.post(share_url(CampaignFactory(organization=school)))
    student = Student.objects.get(user=lea)
    assert student.certifiability == Student.Certifiability.NOT_CERTIFIABLE
    assert CampaignParticipation.objects.count() == 1


def test_sending_again_replaces_the_snapshot(lea_client, lea, school):
    campaign = CampaignFactory(organization=school)
    lea_client.post(share_url(campaign))
    profile_scores = lea.competence_profile.scores
    profile_scores.filter(competence__code="1.1").update(level=5, pix=40)
    lea_client.post(share_url(campaign))
    participation = CampaignParticipation.objects.get()
    assert participation.scores["1.1"] == {"level": 5, "pix": 40}


def test_a_wrong_code_is_refused_with_a_message(lea_client, school):
    CampaignFactory(organization=school, code="AQZFGF163")
    response = lea_client.post(reverse("student_campaigns:join"), {"code": "AQZFGF164"})
    assert "ne correspond à aucune campagne" in response.content.decode()
    response = lea_client.post(reverse("student_campaigns:join"), {"code": "AQZ"})
    assert "6 lettres puis 3 chiffres" in response.content.decode()
    assert lea_client.get("/campagne/ZZZZZZ999/").status_code == 302


def test_a_closed_campaign_takes_no_more_profiles(lea_client, lea, school):
    campaign = CampaignFactory(organization=school, closed_at=timezone.now())
    page = lea_client.get(share_url(campaign)).content.decode()
    assert "Cette campagne est terminée" in page and "J'envoie mon profil" not in page
    lea_client.post(share_url(campaign))
    assert not CampaignParticipation.objects.exists()
    assert Student.objects.get(user=lea).certifiability == Student.Certifiability.NOT_AVAILABLE


def test_a_student_of_another_school_cannot_send_their_profile(lea_client, other_school):
    campaign = CampaignFactory(organization=other_school)
    assert "un autre établissement" in lea_client.get(share_url(campaign)).content.decode()
    lea_client.post(share_url(campaign))
    assert not CampaignParticipation.objects.exists()


def test_a_disabled_student_cannot_send_their_profile(lea_client, lea, school):
    Student.objects.filter(user=lea).update(is_disabled=True)
    campaign = CampaignFactory(organization=school)
    lea_client.post(share_url(campaign))
    assert not CampaignParticipation.objects.exists()


def test_a_campaign_for_other_classes_refuses_the_student(lea_client, school):
    campaign = CampaignFactory(organization=school, divisions=["4EB"])
    assert "ne concerne pas votre classe" in lea_client.get(share_url(campaign)).content.decode()
    lea_client.post(share_url(campaign))
    assert not CampaignParticipation.objects.exists()


def test_a_student_without_profile_is_told_to_come_back_later(school):
    user = StudentUserFactory()
    StudentFactory(organization=school, user=user)
    campaign = CampaignFactory(organization=school)
    client = logged_in(user)
    assert "pas encore disponible" in client.get(share_url(campaign)).content.decode()
    client.post(share_url(campaign))
    assert not CampaignParticipation.objects.exists()


def test_the_campaign_page_lists_participants_with_levels_and_exports_them(
    bob_client, bob, lea, school
):
    campaign = CampaignFactory(organization=school, name="Profils de rentrée")
    other = StudentUserFactory()
    profile_with_levels(other, [1, 1])
    StudentFactory(organization=school, user=other, last_name="=HYPERLINK(1)", division="3EB")
    for user in (lea, other):
        logged_in(user).post(share_url(campaign))

    page = bob_client.get(reverse("certification:campaign_detail", args=[school.id, campaign.id]))
    assert page.status_code == 200
    assert [p.student.last_name for p in page.context["participants"]] == [
        "MARTIN",
        "=HYPERLINK(1)",
    ]
    html = page.content.decode()
    assert ">Certifiable</p>" in html and ">Non certifiable</p>" in html

    response = bob_client.get(
        reverse("certification:campaign_export", args=[school.id, campaign.id])
    )
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:6] == [
        "Nom",
        "Prénom",
        "Classe",
        "Date d'envoi",
        "Certifiable",
        "Nombre de pix",
    ]
    assert rows[0][6:] == [
        "1.1",
        "1.2",
        "1.3",
        "2.1",
        "2.2",
        "2.3",
        "2.4",
        "3.1",
        "3.2",
        "3.3",
        "3.4",
        "4.1",
        "4.2",
        "4.3",
        "5.1",
        "5.2",
    ]  # noqa: E501
    assert rows[1][:3] == ["MARTIN", "Léa", "3EA"] and rows[1][4:7] == ["Oui", "72", "2"]
    assert rows[2][0] == "'=HYPERLINK(1)" and rows[2][4] == "Non"
    assert AuditLog.objects.filter(action=AuditLog.Action.EXPORT, actor=bob).exists()


def test_the_campaign_list_page_and_export_run_no_query_per_participant(bob_client, lea, school):
    campaign = CampaignFactory(organization=school)
    urls = [
        reverse("certification:campaign_list", args=[school.id]),
        reverse("certification:campaign_detail", args=[school.id, campaign.id]),
        reverse("certification:campaign_export", args=[school.id, campaign.id]),
    ]

    def share(user):
        logged_in(user).post(share_url(campaign))

    def query_counts():
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert bob_client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    share(lea)
    before = query_counts()
    for index in range(3):
        user = StudentUserFactory()
        profile_with_levels(user, [1, 2])
        StudentFactory(organization=school, user=user, last_name=f"ELEVE{index}", division="3EA")
        share(user)
    assert CampaignParticipation.objects.filter(campaign=campaign).count() == 4
    assert query_counts() == before


def test_the_owner_or_an_admin_ends_a_campaign_but_not_another_member(
    alice_client, bob_client, alice, school
):
    campaign = CampaignFactory(organization=school, owner=alice)
    close_url = reverse("certification:campaign_close", args=[school.id, campaign.id])
    assert bob_client.post(close_url).status_code == 403
    campaign.refresh_from_db()
    assert not campaign.is_closed

    alice_client.post(close_url)
    campaign.refresh_from_db()
    assert campaign.closed_at > timezone.now() - timedelta(minutes=1)
