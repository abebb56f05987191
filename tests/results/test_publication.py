"""A superuser reviews and publishes a session's results; codes are given then."""

import re

import pytest
from django.urls import reverse

from accounts.models import AuditLog
from results.models import CertificationResult
from results.services import (
    PublicationRefused,
    ResultsRejected,
    session_results_publish,
    session_results_record,
    verification_code_generate,
)
from sessions.models import Session
from tests.factories import CandidateFactory, SessionFactory
from tests.pages import buttons
from tests.results.factories import (
    BAD,
    GOOD,
    CertificationResultFactory,
    entry,
    finalized_session,
    present_candidate,
)

pytestmark = pytest.mark.django_db

CODE = re.compile(r"^P-[2346789BCDFGHJKMPQRTVWXY]{8}$")


@pytest.fixture
def scored_session(school):
    session = finalized_session(school)
    lea = present_candidate(session, last_name="MARTIN", first_name="Léa")
    hugo = present_candidate(session, last_name="PETIT", first_name="Hugo")
    session_results_record(
        session=session, entries=[entry(lea, GOOD), entry(hugo, BAD)], source="test"
    )
    return session


def test_verification_codes_have_the_format_of_the_domain():
    codes = {verification_code_generate() for _ in range(500)}
    assert all(CODE.match(code) for code in codes)
    assert len(codes) == 500


def test_a_code_already_taken_is_never_given_twice(scored_session, superuser, monkeypatch):
    CertificationResultFactory(verification_code="P-BBBBBBBB")  # another session's certificate
    draws = iter(["P-BBBBBBBB", "P-CCCCCCCC", "P-BBBBBBBB", "P-DDDDDDDD"])
    monkeypatch.setattr("results.services.verification_code_generate", lambda: next(draws))

    session_results_publish(session=scored_session, jury_comments={}, published_by=superuser)

    codes = CertificationResult.objects.filter(candidate__session=scored_session)
    assert set(codes.values_list("verification_code", flat=True)) == {"P-CCCCCCCC", "P-DDDDDDDD"}


def test_the_jury_reviews_comments_and_publishes_a_session(
    superuser_client, superuser, scored_session
):
    lea_result = CertificationResult.objects.get(candidate__last_name="MARTIN")
    url = reverse("results_public:jury_session", args=[scored_session.pk])
    page = superuser_client.get(url).content.decode()
    assert "MARTIN Léa" in page and "Validée" in page and "Rejetée" in page

    response = superuser_client.post(url, {f"comment_{lea_result.pk}": "  Très bon travail.  "})

    assert response.status_code == 302
    scored_session.refresh_from_db()
    assert scored_session.status == Session.Status.FINALIZED  # comments only, not published
    publish = reverse("results_public:jury_publish", args=[scored_session.pk])
    assert f'href="{publish}"' in superuser_client.get(url).content.decode()
    # The confirmation step says what will be published, by status.
    confirmation = superuser_client.get(publish).content.decode()
    assert "Publier" in buttons(confirmation)
    assert "Validée : <strong>1</strong>" in confirmation
    assert "Rejetée : <strong>1</strong>" in confirmation
    assert "Annulée : <strong>0</strong>" in confirmation
    assert superuser_client.post(publish).status_code == 302
    scored_session.refresh_from_db()
    assert scored_session.status == Session.Status.PUBLISHED
    assert scored_session.get_status_display() == "Résultats transmis"
    assert scored_session.published_at is not None
    results = list(CertificationResult.objects.filter(candidate__session=scored_session))
    assert all(CODE.match(r.verification_code) for r in results)
    assert len({r.verification_code for r in results}) == 2
    assert all(r.published_at == scored_session.published_at for r in results)
    lea_result.refresh_from_db()
    assert lea_result.jury_comment == "Très bon travail."
    log = AuditLog.objects.get(action=AuditLog.Action.RESULTS_PUBLISHED)
    assert log.actor == superuser and log.details["session_id"] == scored_session.pk


def test_a_session_is_published_only_once_and_its_codes_never_change(scored_session, superuser):
    session_results_publish(session=scored_session, jury_comments={}, published_by=superuser)
    codes = set(CertificationResult.objects.values_list("verification_code", flat=True))
    with pytest.raises(PublicationRefused, match="déjà publiés"):
        session_results_publish(session=scored_session, jury_comments={}, published_by=superuser)
    assert set(CertificationResult.objects.values_list("verification_code", flat=True)) == codes


def test_a_session_that_is_not_finalised_cannot_be_published(school, superuser):
    session = SessionFactory(organization=school)
    CandidateFactory(session=session, is_present=True)
    with pytest.raises(PublicationRefused, match="n'est pas finalisée"):
        session_results_publish(session=session, jury_comments={}, published_by=superuser)


def test_a_session_with_a_present_candidate_without_results_cannot_be_published(
    superuser_client, school
):
    session = finalized_session(school)
    present_candidate(session, last_name="SANSRESULTAT", first_name="Zoé")
    url = reverse("results_public:jury_session", args=[session.pk])
    assert "SANSRESULTAT Zoé) : pas de résultat reçu" in superuser_client.get(url).content.decode()
    publish = reverse("results_public:jury_publish", args=[session.pk])
    assert "pas de résultat reçu" in superuser_client.get(publish).content.decode()

    superuser_client.post(publish)

    session.refresh_from_db()
    assert session.status == Session.Status.FINALIZED


def test_a_session_with_nobody_present_cannot_be_published(school, superuser):
    session = finalized_session(school)
    CandidateFactory(session=session, is_present=False)
    with pytest.raises(PublicationRefused, match="Aucun candidat présent"):
        session_results_publish(session=session, jury_comments={}, published_by=superuser)


def test_results_cannot_be_replaced_once_published(scored_session, superuser):
    session_results_publish(session=scored_session, jury_comments={}, published_by=superuser)
    candidates = list(scored_session.candidates.all())
    with pytest.raises(ResultsRejected) as rejected:
        session_results_record(
            session=scored_session, entries=[entry(c, BAD) for c in candidates], source="test"
        )
    assert "déjà publiés" in rejected.value.errors[0]
    assert CertificationResult.objects.filter(status="validated").count() == 1


def test_unpublished_results_are_invisible_to_the_school(bob_client, scored_session):
    response = bob_client.get(
        reverse("results:results_home", args=[scored_session.organization_id]),
        {"session": scored_session.pk},
    )
    assert "MARTIN" not in response.content.decode()
    export = bob_client.get(
        reverse("results:export_csv", args=[scored_session.organization_id])
    ).content.decode("utf-8-sig")
    assert "MARTIN" not in export


def test_a_published_sessions_page_leads_to_its_results(bob_client, superuser, scored_session):
    school_id = scored_session.organization_id
    session_page = reverse("certif_sessions:session_detail", args=[school_id, scored_session.pk])
    assert (
        "Voir les résultats de cette session" not in bob_client.get(session_page).content.decode()
    )

    session_results_publish(session=scored_session, jury_comments={}, published_by=superuser)
    page = bob_client.get(session_page).content.decode()
    link = f"{reverse('results:results_home', args=[school_id])}?session={scored_session.pk}"
    assert f'href="{link}"' in page
    assert "MARTIN" in bob_client.get(link).content.decode()
