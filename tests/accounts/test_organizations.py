import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Membership, Organization
from students.models import Student

pytestmark = pytest.mark.django_db


def test_create_organization_creates_the_school_and_its_admin_once(capsys):
    args = [
        "--uai",
        "0981234x",
        "--name",
        "Collège de Punaauia",
        "--tz",
        "Pacific/Tahiti",
        "--admin-email",
        "direction@punaauia.example.fr",
        "--admin-password",
        "Tahiti-2026",
    ]
    call_command("create_organization", *args)
    call_command("create_organization", *args)
    organization = Organization.objects.get()
    assert organization.uai == "0981234X" and organization.timezone == "Pacific/Tahiti"
    membership = Membership.objects.get()
    assert membership.role == Membership.Role.ADMIN
    assert membership.user.check_password("Tahiti-2026")
    assert "déjà présent" in capsys.readouterr().out


def test_create_organization_rejects_a_malformed_uai():
    with pytest.raises(CommandError, match="7 chiffres suivis d'une lettre"):
        call_command(
            "create_organization",
            "--uai",
            "12345",
            "--name",
            "X",
            "--admin-email",
            "a@b.fr",
            "--admin-password",
            "Abcdefg1",
        )
    assert not Organization.objects.exists()


def test_seed_demo_twice_gives_the_same_demo_school(capsys):
    call_command("seed_demo")
    counts = (Organization.objects.count(), Student.objects.count())
    call_command("seed_demo")
    assert (Organization.objects.count(), Student.objects.count()) == counts
    assert counts[1] >= 500
    states = set(Student.objects.values_list("certifiability", flat=True))
    assert states == set(Student.Certifiability.values)
    out = capsys.readouterr().out
    assert "admin@demo.pix-portal.fr" in out and "lea.martin0103" in out


def test_a_person_in_two_schools_switches_between_them(alice_client, alice, school, other_school):
    Membership.objects.create(user=alice, organization=other_school, role=Membership.Role.MEMBER)
    page = alice_client.get(reverse("students:list", args=[school.id])).content.decode()
    assert "Changer d'établissement" in page
    assert reverse("students:list", args=[other_school.id]) in page
    response = alice_client.get(reverse("students:list", args=[other_school.id]))
    assert response.status_code == 200
    assert alice_client.get(reverse("home")).url == reverse("students:list", args=[other_school.id])


def test_the_menu_of_each_school_leads_to_that_schools_pages(
    alice_client, alice, school, other_school
):
    """The layout's links are reversed once per process (`{% layout_url %}`): per school."""
    Membership.objects.create(user=alice, organization=other_school, role=Membership.Role.MEMBER)
    for organization in (school, other_school, school):
        page = alice_client.get(reverse("results:results_home", args=[organization.id]))
        menu = re.findall(r'class="fr-nav__link" href="([^"]+)"', page.content.decode())
        expected = [
            reverse(name, args=[organization.id])
            for name in (
                "students:list",
                "certification:campaign_list",
                "certif_sessions:session_list",
                "results:results_home",
                "team:list",
            )
        ]
        assert menu[:5] == expected
