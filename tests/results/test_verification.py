"""Public verification of a certificate: the holder, date, score and levels, nothing else."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from results.selectors import verifiable_result
from tests.factories import CandidateFactory
from tests.results.factories import CertificationResultFactory, finalized_session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

URL = "/verification/"


@pytest.fixture
def certificate(school):
    session = finalized_session(school, status="published", date=timezone.localdate())
    return CertificationResultFactory(
        candidate=CandidateFactory(
            session=session,
            is_present=True,
            first_name="Léa",
            last_name="MARTIN",
            birthdate=date(2011, 3, 1),
            division="3EA",
            external_id="EXT-SECRET",
        ),
        levels={"1.1": 3, "2.1": 2},
        verification_code="P-BK2M47QX",
    )


def verify(client, code, **extra):
    return client.post(URL, {"code": code}, **extra)


def test_anyone_sees_the_holder_date_score_and_levels_of_a_valid_certificate(
    client, certificate, school
):
    assert reverse("results_public:verification") == URL
    page = verify(client, "P-BK2M47QX").content.decode()

    assert "Certificat authentique" in page
    assert "Léa MARTIN" in page
    assert timezone.localdate().strftime("%d/%m/%Y") in page
    assert "40" in page and "Mener une recherche" in page
    assert "<dd>40</dd>" in page
    assert re.search(r"1\.1 Mener une recherche[^<]*</td><td>3</td>", page)
    assert "2.1 Interagir</td><td>2</td>" in page
    for secret in ["01/03/2011", school.name, "3EA", "EXT-SECRET", "PARIS"]:
        assert secret not in page, secret


def test_the_code_may_be_typed_in_lower_case_with_spaces_or_without_its_prefix(client, certificate):
    assert "Certificat authentique" in verify(client, " p-bk2m 47qx ").content.decode()
    assert "Certificat authentique" in verify(client, "BK2M47QX").content.decode()


def test_a_code_of_the_wrong_shape_is_refused_with_a_hint(client, certificate):
    page = verify(client, "P-1234").content.decode()
    assert "suivi de 8 caractères" in page and "Certificat authentique" not in page


@pytest.mark.parametrize(
    "change",
    [
        {"status": "rejected"},
        {"status": "cancelled"},
        {"published_at": None},
        {"test_date": date.today() - timedelta(days=3 * 365 + 1)},
    ],
    ids=["rejected", "cancelled", "unpublished", "over-three-years"],
)
def test_nothing_is_revealed_for_a_certificate_that_is_not_valid(client, certificate, change):
    type(certificate).objects.filter(pk=certificate.pk).update(**change)
    page = verify(client, "P-BK2M47QX").content.decode()
    assert "Aucun certificat valide ne correspond à ce code." in page
    assert "MARTIN" not in page


def test_an_unknown_code_gets_the_same_answer_as_an_invalid_one(client, certificate):
    page = verify(client, "P-XXXXXXXX").content.decode()
    assert "Aucun certificat valide ne correspond à ce code." in page


def test_a_certificate_is_valid_until_three_years_after_the_test(certificate):
    certificate.test_date = date(2024, 2, 29)
    certificate.save()
    assert certificate.valid_until == date(2027, 2, 28)
    assert verifiable_result(code="P-BK2M47QX", today=date(2027, 2, 27)) is not None
    assert verifiable_result(code="P-BK2M47QX", today=date(2027, 2, 28)) is None


def test_verification_is_rate_limited_per_address(client, certificate, settings):
    settings.VERIFICATION_RATE_LIMIT = "3/m"
    for _ in range(3):
        assert verify(client, "P-XXXXXXXX").status_code == 200

    blocked = verify(client, "P-BK2M47QX")

    assert blocked.status_code == 429
    assert "Trop de vérifications" in blocked.content.decode()
    assert "MARTIN" not in blocked.content.decode()
    # Another address is not held back.
    other = verify(client, "P-BK2M47QX", REMOTE_ADDR="203.0.113.9")
    assert "Certificat authentique" in other.content.decode()
