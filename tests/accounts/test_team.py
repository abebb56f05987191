import pytest
from django.urls import reverse

from accounts.models import AuditLog, Membership, User

pytestmark = pytest.mark.django_db


def test_an_admin_adds_a_member_who_gets_a_one_time_password_shown_once(client, alice, school):
    client.force_login(alice)
    response = client.post(
        reverse("team:add", args=[school.id]),
        {
            "email": "Nouveau.Prof@college.example.fr",
            "first_name": "Paul",
            "last_name": "Prof",
            "role": Membership.Role.MEMBER,
        },
    )
    assert response.status_code == 200
    password = response.context["one_time_password"]
    assert password and password in response.content.decode()
    user = User.objects.get(email="nouveau.prof@college.example.fr")
    assert user.must_change_password and user.check_password(password)
    assert Membership.objects.get(user=user).role == Membership.Role.MEMBER
    assert AuditLog.objects.filter(action=AuditLog.Action.MEMBER_ADDED, actor=alice).exists()
    team_page = client.get(reverse("team:list", args=[school.id])).content.decode()
    assert password not in team_page


def test_a_member_sees_the_team_but_cannot_add_anyone(client, bob, alice, school):
    client.force_login(bob)
    assert client.get(reverse("team:list", args=[school.id])).status_code == 200
    response = client.post(
        reverse("team:add", args=[school.id]), {"email": "x@y.fr", "role": Membership.Role.ADMIN}
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="x@y.fr").exists()


def test_the_last_admin_can_neither_be_removed_nor_demoted(client, alice, school):
    membership = alice.memberships.get()
    client.force_login(alice)
    client.post(reverse("team:remove", args=[school.id, membership.id]))
    client.post(
        reverse("team:role", args=[school.id, membership.id]), {"role": Membership.Role.MEMBER}
    )
    membership.refresh_from_db()
    assert membership.role == Membership.Role.ADMIN
    response = client.get(reverse("team:list", args=[school.id]))
    assert "au moins un administrateur" in response.content.decode()


def test_an_admin_changes_a_role_and_removes_a_member(client, alice, bob, school):
    client.force_login(alice)
    membership = bob.memberships.get()
    client.post(
        reverse("team:role", args=[school.id, membership.id]), {"role": Membership.Role.ADMIN}
    )
    membership.refresh_from_db()
    assert membership.role == Membership.Role.ADMIN
    client.post(reverse("team:remove", args=[school.id, membership.id]))
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert User.objects.filter(pk=bob.pk).exists()
