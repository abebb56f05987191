import re
import time

import pytest
from django.core import mail, signing
from django.urls import reverse

from accounts import invitations
from accounts.models import AuditLog, Membership, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def invite(client, school, email, **fields):
    return client.post(
        reverse("team:add", args=[school.id]),
        {"email": email, "role": Membership.Role.MEMBER, **fields},
    )


def invitation_link(message) -> str:
    return re.search(r"https?://\S+(/invitation/\S+/)", message.body)[1]


def test_an_address_without_account_is_invited_and_chooses_its_password(
    client, alice_client, alice, school
):
    response = invite(
        alice_client, school, "Nouveau.Prof@college.example.fr", first_name="Paul", last_name="Prof"
    )
    assert response.status_code == 200
    assert "Invitation envoyée" in response.content.decode()
    assert not User.objects.filter(email="nouveau.prof@college.example.fr").exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nouveau.prof@college.example.fr"]
    assert "Collège Victor-Hugo" in mail.outbox[0].subject

    link = invitation_link(mail.outbox[0])
    page = client.get(link)
    assert "no-store" in page["Cache-Control"]  # the password form: never kept in a cache
    joined = client.post(
        link, {"new_password1": "Girafe-Jaune-9", "new_password2": "Girafe-Jaune-9"}
    )
    assert joined.status_code == 302
    user = User.objects.get(email="nouveau.prof@college.example.fr")
    assert (user.first_name, user.last_name) == ("Paul", "Prof")
    assert user.check_password("Girafe-Jaune-9") and not user.must_change_password
    assert Membership.objects.get(user=user, organization=school).role == Membership.Role.MEMBER
    assert AuditLog.objects.filter(action=AuditLog.Action.MEMBER_ADDED, actor=alice).exists()


def test_an_existing_account_of_another_school_joins_only_once_its_owner_accepts(
    client, alice_client, school, other_school
):
    jury = UserFactory(email="jury@pix.example.fr", is_superuser=True, is_staff=True)
    invite(alice_client, school, "Jury@Pix.example.fr", role=Membership.Role.ADMIN)
    assert not Membership.objects.filter(user=jury).exists()
    link = invitation_link(mail.outbox[0])

    # Alice cannot accept in the invited person's place, nor can an anonymous visitor.
    assert alice_client.post(link).status_code == 403
    assert client.post(link).url.startswith(reverse("accounts:login"))
    assert not Membership.objects.filter(user=jury).exists()

    client.force_login(jury)
    assert "Accepter l'invitation" in client.get(link).content.decode()
    assert client.post(link).status_code == 302
    assert Membership.objects.get(user=jury, organization=school).role == Membership.Role.ADMIN


def test_the_answer_does_not_tell_whether_the_address_has_an_account(alice_client, school):
    UserFactory(email="existe@college.example.fr", first_name="Zoé", last_name="Secrète")
    existing = invite(alice_client, school, "existe@college.example.fr").content.decode()
    unknown = invite(alice_client, school, "inconnu@college.example.fr").content.decode()
    assert "Zoé" not in existing and "Secrète" not in existing
    csrf = re.compile(r'name="csrfmiddlewaretoken" value="\w+"')
    assert csrf.sub("", existing.replace("existe@", "inconnu@")) == csrf.sub("", unknown)
    assert len(mail.outbox) == 2


def test_a_forged_or_expired_invitation_is_a_404(client, alice_client, school):
    invite(alice_client, school, "nouveau@college.example.fr")
    link = invitation_link(mail.outbox[0])
    assert client.get(link.replace(":", "x:", 1)).status_code == 404

    class EightDaysAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 8 * 24 * 3600)

    token = link.split("/")[2]
    payload = signing.loads(token, salt=invitations.INVITATION_SALT)
    old = EightDaysAgo(salt=invitations.INVITATION_SALT).sign_object(payload, compress=True)
    assert client.get(reverse("accounts:invitation", args=[old])).status_code == 404
    assert not User.objects.filter(email="nouveau@college.example.fr").exists()


def test_a_member_sees_the_team_but_cannot_add_anyone(bob_client, alice, school):
    assert bob_client.get(reverse("team:list", args=[school.id])).status_code == 200
    response = bob_client.post(
        reverse("team:add", args=[school.id]), {"email": "x@y.fr", "role": Membership.Role.ADMIN}
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="x@y.fr").exists()


def test_the_last_admin_can_neither_be_removed_nor_demoted(alice_client, alice, school):
    membership = alice.memberships.get()
    alice_client.post(reverse("team:remove", args=[school.id, membership.id]))
    alice_client.post(
        reverse("team:role", args=[school.id, membership.id]), {"role": Membership.Role.MEMBER}
    )
    membership.refresh_from_db()
    assert membership.role == Membership.Role.ADMIN
    response = alice_client.get(reverse("team:list", args=[school.id]))
    assert "au moins un administrateur" in response.content.decode()


def test_an_admin_changes_a_role_and_removes_a_member(alice_client, bob, school):
    membership = bob.memberships.get()
    alice_client.post(
        reverse("team:role", args=[school.id, membership.id]), {"role": Membership.Role.ADMIN}
    )
    membership.refresh_from_db()
    assert membership.role == Membership.Role.ADMIN
    alice_client.post(reverse("team:remove", args=[school.id, membership.id]))
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert User.objects.filter(pk=bob.pk).exists()
