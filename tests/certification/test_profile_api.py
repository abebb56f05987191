"""The assessment platform pushes whole profiles with an integration token."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import IntegrationToken
from certification.models import CompetenceProfile
from certification.referential import COMPETENCE_CODES
from students.models import Student
from tests.factories import StudentFactory, StudentUserFactory, profile_with_levels

pytestmark = pytest.mark.django_db

KEY = "cle-secrete-de-test-0123456789"


@pytest.fixture
def token(school):
    return IntegrationToken.objects.create(
        name="Plateforme Pix", organization=school, key_hash=IntegrationToken.hash_key(KEY)
    )


@pytest.fixture
def account(school):
    user = StudentUserFactory()
    StudentFactory(organization=school, user=user)
    return user


def payload(levels=None, computed_at="2026-05-04T10:00:00+02:00"):
    levels = levels or [3] * 16
    return {
        "computed_at": computed_at,
        "competences": [
            # Pix towards the next level, except at the top level (6).
            {"code": code, "level": level, "pix": level * 8 + (2 if level < 6 else 0)}
            for code, level in zip(COMPETENCE_CODES, levels, strict=True)
        ],
    }


def put(client, user_id, body, key=KEY):
    return client.put(
        reverse("api-competence-profile", args=[user_id]),
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Token {key}"} if key else {},
    )


def test_a_token_stores_a_whole_profile(client, token, account):
    response = put(client, account.pk, payload([1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]))
    assert response.status_code == 200, response.content
    profile = CompetenceProfile.objects.get(user=account)
    assert profile.computed_at == datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
    scores = dict(profile.scores.values_list("competence__code", "level"))
    assert scores["1.1"] == 1 and scores["2.3"] == 6 and scores["5.2"] == 1 and len(scores) == 16
    assert response.json()["competences"][1] == {"code": "1.2", "level": 2, "pix": 18}
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_second_push_replaces_the_profile_and_the_night_job_sees_it(client, token, account):
    put(client, account.pk, payload([0] * 16))
    put(client, account.pk, payload([1] * 16, computed_at="2026-05-05T10:00:00+02:00"))
    profile = CompetenceProfile.objects.get(user=account)
    assert set(profile.scores.values_list("level", flat=True)) == {1}
    assert profile.scores.count() == 16

    from certification.certifiability import certifiability_recompute

    certifiability_recompute()
    assert Student.objects.get(user=account).certifiability == "certifiable"


def test_the_profile_can_be_read_back(client, token, account):
    put(client, account.pk, payload())
    response = client.get(
        reverse("api-competence-profile", args=[account.pk]),
        headers={"Authorization": f"Token {KEY}"},
    )
    assert response.status_code == 200
    assert len(response.json()["competences"]) == 16


def test_no_token_or_a_wrong_or_disabled_token_is_refused(client, token, account):
    assert put(client, account.pk, payload(), key=None).status_code in (401, 403)
    assert put(client, account.pk, payload(), key="mauvaise-cle").status_code == 401
    token.is_active = False
    token.save()
    assert put(client, account.pk, payload()).status_code == 401
    assert not CompetenceProfile.objects.exists()


def test_accounts_of_another_school_or_of_no_school_are_not_found(client, token, other_school):
    elsewhere = StudentUserFactory()
    StudentFactory(organization=other_school, user=elsewhere)
    profile_with_levels(elsewhere, [1] * 5)
    nowhere = StudentUserFactory()
    for user in (elsewhere, nowhere):
        assert put(client, user.pk, payload()).status_code == 404
        get = client.get(
            reverse("api-competence-profile", args=[user.pk]),
            headers={"Authorization": f"Token {KEY}"},
        )
        assert get.status_code == 404
    assert put(client, 999999, payload()).status_code == 404
    assert set(elsewhere.competence_profile.scores.values_list("level", flat=True)) == {0, 1}
    assert not CompetenceProfile.objects.filter(user=nowhere).exists()


def test_a_disabled_student_account_is_not_found(client, token, account):
    Student.objects.filter(user=account).update(is_disabled=True)
    assert put(client, account.pk, payload()).status_code == 404


def bad_payloads():
    missing = payload()
    missing["competences"].pop()
    duplicated = payload()
    duplicated["competences"][15]["code"] = "1.1"
    unknown = payload()
    unknown["competences"][0]["code"] = "9.9"
    too_high = payload()
    too_high["competences"][3] = {"code": "2.1", "level": 7, "pix": 56}
    pix_off = payload()
    pix_off["competences"][4] = {"code": "2.2", "level": 2, "pix": 40}
    future = payload(computed_at=(timezone.now() + timedelta(days=2)).isoformat())
    year_one = payload(computed_at="0001-01-01T00:00:00Z")
    no_date = payload()
    del no_date["computed_at"]
    return [
        (missing, "competences", "5.2"),
        (duplicated, "competences", "1.1"),
        (unknown, "competences", "9.9"),
        (too_high, "competences", "entre 0 et 6"),
        (pix_off, "competences", "entre 16 et 23"),
        (future, "computed_at", "futur"),
        (year_one, "computed_at", "antérieure au 1er janvier 2016"),
        (no_date, "computed_at", ""),
        ({"computed_at": "hier", "competences": "tout"}, "computed_at", ""),
    ]


@pytest.mark.parametrize("body, field, words", bad_payloads())
def test_a_bad_payload_gets_a_400_naming_the_field_and_changes_nothing(
    client, token, account, body, field, words
):
    profile_with_levels(account, [1] * 5, computed_at=datetime(2026, 1, 1, tzinfo=UTC))
    response = put(client, account.pk, body)
    assert response.status_code == 400
    body = response.json()
    errors = body["fields"]
    assert field in errors and words in json.dumps(errors, ensure_ascii=False)
    assert any(message.startswith(field) and words in message for message in body["errors"])
    profile = CompetenceProfile.objects.get(user=account)
    assert profile.computed_at == datetime(2026, 1, 1, tzinfo=UTC)
    assert sorted(profile.scores.values_list("level", flat=True)) == [0] * 11 + [1] * 5
