"""The jury's pages: what a session shows, sessions à traiter first, decisions through the page,
integration tokens, and the result sent to the recipient at publication."""

import socket
from datetime import date

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditLog, IntegrationToken
from jobs.files import private_file_save
from results.models import CertificationResult, ResultEmail
from results.services import session_results_publish
from tests.factories import IssueReportFactory, OrganizationFactory
from tests.pages import buttons
from tests.results.factories import finalized_session, present_candidate
from tests.results.test_neutralisation import record, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(school):
    return finalized_session(
        school,
        examiner="M. Leroy",
        has_incident=True,
        finalization_comment="Coupure réseau de 5 minutes.",
    )


@pytest.fixture
def lea(session):
    return present_candidate(session, last_name="MARTIN", first_name="Léa", division="3EA")


def page(client, session) -> str:
    return client.get(reverse("results_public:jury_session", args=[session.pk])).content.decode()


def test_the_session_page_shows_signalements_finalisation_and_candidate_numbers(
    superuser_client, session, lea
):
    hugo = present_candidate(
        session, last_name="PETIT", first_name="Hugo", abort_reason="technical"
    )
    IssueReportFactory(candidate=lea, code="E9", question_number=8, description="Tableur planté.")
    report(hugo, "C6", None, description="Téléphone sorti.", source="admin")

    html = page(superuser_client, session)

    assert f"Candidat n° {lea.pk}" in html and f"Candidat n° {hugo.pk}" in html
    assert (
        "E9</strong> — Le logiciel installé sur l&#x27;ordinateur n&#x27;a pas fonctionné" in html
    )
    assert "question n° 8" in html and "« Tableur planté. »" in html
    assert "Noté par le surveillant (M. Leroy)" in html
    assert "Noté à la finalisation par l'établissement" in html
    assert "problème technique" in html
    assert "Coupure réseau de 5 minutes." in html
    assert "les candidats ont pu terminer leur test de certification.</dt><dd>Oui" in html
    assert html.count("En attente de la décision du jury") == 2
    assert "Annuler la certification" in html and "Neutraliser la question" in html


def test_the_signed_pv_is_viewable_by_the_jury_only(alice_client, superuser_client, session):
    session.signed_pv = private_file_save(
        organization=session.organization,
        folder="signed-pv",
        content=b"%PDF-1.4 scan",
        download_name="pv.pdf",
        content_type="application/pdf",
        expires_at=None,
    )
    session.save()
    url = reverse("results_public:jury_signed_pv", args=[session.pk])

    # The school's admin has their own download, not the jury's.
    assert alice_client.get(url).status_code == 404
    response = superuser_client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 scan"
    assert url in page(superuser_client, session)


def test_sessions_a_traiter_come_first_with_counts(superuser_client, school, session, lea):
    quiet = finalized_session(school, date=date(2026, 3, 20))  # newer, nothing to decide
    present_candidate(quiet)
    report(lea, "C1", None, category="candidate_information_changes")
    report(lea, "C4", None, category="signature_issue")  # not impactful

    html = superuser_client.get(reverse("results_public:jury_sessions")).content.decode()

    assert html.index(f"Session n° {session.pk}<") < html.index(f"Session n° {quiet.pk}<")
    assert "1 session à traiter" in html and "1 session à publier" in html
    assert "1 sur 1" in html and "0 sur 0" in html


def test_the_jury_decides_through_the_page_and_sees_before_and_after(
    superuser_client, session, lea
):
    e9 = report(lea, "E9", 8)
    record(session, lea)
    url = reverse("results_public:jury_issue_report_decide", args=[session.pk, e9.pk])

    missing_reason = superuser_client.post(url, {f"signalement-{e9.pk}-decision": "neutralized"})
    assert missing_reason.status_code == 400
    response = superuser_client.post(
        url,
        {
            f"signalement-{e9.pk}-decision": "neutralized",
            f"signalement-{e9.pk}-motif": "Logiciel absent.",
        },
        follow=True,
    )

    html = response.content.decode()
    assert "Décision enregistrée. Avant : Validée, 73 pix" in html
    assert "Après : Validée, 108 pix (1.1 : 3, 1.2 : 3, 2.1 : 3, 3.1 : 3)" in html
    assert "Question neutralisée par le jury" in html and "« Logiciel absent. »" in html
    assert CertificationResult.objects.get(candidate=lea).pix_score == 108

    undo = reverse("results_public:jury_decision_undo", args=[session.pk, e9.decision.pk])
    html = superuser_client.post(undo, follow=True).content.decode()
    assert "Avant : Validée, 108 pix" in html and "Après : Validée, 73 pix" in html
    assert "En attente de la décision du jury" in html


def test_publication_is_refused_while_a_signalement_waits(superuser_client, session, lea):
    report(lea, "C6", None)
    record(session, lea)
    publish = reverse("results_public:jury_publish", args=[session.pk])

    confirmation = superuser_client.get(publish).content.decode()
    superuser_client.post(publish)

    assert "signalement C6 en attente de la décision du jury" in confirmation
    assert "Publier" not in buttons(confirmation)
    session.refresh_from_db()
    assert session.status == "finalized"


def test_a_superuser_creates_lists_and_revokes_integration_tokens(superuser_client, school):
    other = OrganizationFactory(uai="0981234X", name="Collège de Punaauia")
    url = reverse("results_public:jury_tokens")

    response = superuser_client.post(url, {"uai": "0750001a", "name": "Plateforme 2026"})

    token = IntegrationToken.objects.get()
    key = response.context["created"][1]
    assert token.organization == school and token.key_hash == IntegrationToken.hash_key(key)
    assert key in response.content.decode()
    assert key not in superuser_client.get(url).content.decode()  # shown once
    assert (
        superuser_client.post(url, {"uai": "9999999Z", "name": "x"}).context["form"].errors["uai"]
    )
    IntegrationToken.objects.create(name="Autre", organization=other, key_hash="h" * 64)
    listed = superuser_client.get(url, {"uai": "0981234X"}).content.decode()
    assert "Autre" in listed and "Plateforme 2026" not in listed

    superuser_client.post(reverse("results_public:jury_token_revoke", args=[token.pk]))

    token.refresh_from_db()
    assert not token.is_active
    assert "Révoqué" in superuser_client.get(url).content.decode()
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {"integration_token_created", "integration_token_revoked"} <= actions
    # A revoked token no longer opens the API.
    api = superuser_client.get(
        reverse("api-session-results", args=[1]), HTTP_AUTHORIZATION=f"Token {key}"
    )
    assert api.status_code in (401, 403)


def test_publication_sends_each_recipient_their_own_result(
    superuser, session, lea, django_capture_on_commit_callbacks
):
    lea.result_recipient_email = "parents.martin@example.fr"
    lea.save()
    nathan = present_candidate(session, last_name="PETIT", first_name="Nathan")
    record(session, lea, nathan)

    with django_capture_on_commit_callbacks(execute=True):
        session_results_publish(session=session, jury_comments={}, published_by=superuser)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["parents.martin@example.fr"]
    result = CertificationResult.objects.get(candidate=lea)
    assert "Statut : Validée" in message.body and "Nombre de Pix : 73" in message.body
    assert "- 1.1 Mener une recherche et une veille d'information : 2" in message.body
    assert result.verification_code in message.body
    assert "PETIT" not in message.body and "Nathan" not in message.body
    assert ResultEmail.objects.get(result=result).status == "sent"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_failed_send_is_retried_then_shown_to_the_jury(
    superuser_client, superuser, session, lea, django_capture_on_commit_callbacks
):
    lea.result_recipient_email = "parents.martin@example.fr"
    lea.save()
    record(session, lea)
    smtp = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": _closed_port(),
        "EMAIL_TIMEOUT": 2,
    }
    with override_settings(**smtp), django_capture_on_commit_callbacks(execute=True):
        session_results_publish(session=session, jury_comments={}, published_by=superuser)

    email = ResultEmail.objects.get()
    assert (email.status, email.attempts) == ("failed", 4)
    assert "ConnectionRefusedError" in email.error
    html = page(superuser_client, session)
    assert "Échec de l&#x27;envoi" in html and "Renvoyer le résultat de MARTIN" in html

    retry = reverse("results_public:jury_result_email_retry", args=[session.pk, email.pk])
    with django_capture_on_commit_callbacks(execute=True):
        superuser_client.post(retry)  # the mail server works again (locmem)

    email.refresh_from_db()
    assert email.status == "sent" and len(mail.outbox) == 1


def test_the_session_page_runs_the_same_queries_for_more_candidates(superuser_client, session, lea):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = superuser_client.get(
                reverse("results_public:jury_session", args=[session.pk])
            )
            assert response.status_code == 200
        return len(captured)

    report(lea, "E9", 8)
    record(session, lea)
    one = queries()
    others = [present_candidate(session) for _ in range(3)]
    for candidate in others:
        report(candidate, "E2", 3)
        report(candidate, "C6", None)
    record(session, lea, *others)

    assert queries() == one
