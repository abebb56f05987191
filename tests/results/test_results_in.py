"""Results in: the API (integration token) and the superuser's CSV upload, scored by the portal."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditLog, IntegrationToken
from results.models import CertificationAnswer, CertificationResult
from sessions.models import Candidate
from tests.factories import CandidateFactory, SessionFactory, UserFactory
from tests.results.factories import BAD, GOOD, C, U, finalized_session, present_candidate

pytestmark = pytest.mark.django_db

TOKEN = "cle-integration-de-test-0123456789"


@pytest.fixture
def api(client, school):
    IntegrationToken.objects.create(
        name="Plateforme", organization=school, key_hash=IntegrationToken.hash_key(TOKEN)
    )

    def post(session_id, payload, token=TOKEN):
        return client.post(
            reverse("api-session-results", args=[session_id]),
            payload,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {token}",
        )

    return post


def payload_for(candidate, outcomes, *, level=3, pix=27):
    return {
        "candidate_id": candidate.pk,
        "profile": [{"competence": code, "level": level, "pix": pix} for code in outcomes],
        "answers": [
            {"competence": code, "challenge": f"rec{code}{i}", "result": outcome.value}
            for code, items in outcomes.items()
            for i, outcome in enumerate(items)
        ],
    }


def test_the_api_scores_a_whole_session_and_answers_with_the_results(api, school):
    session = finalized_session(school)
    lea, hugo = present_candidate(session), present_candidate(session)
    CandidateFactory(session=session, is_present=False)  # absent: no result expected

    response = api(session.pk, {"candidates": [payload_for(lea, GOOD), payload_for(hugo, BAD)]})

    assert response.status_code == 201, response.content
    by_candidate = {item["candidate_id"]: item for item in response.json()}
    assert by_candidate[lea.pk]["status"] == "validated"
    # 1.1, 1.2, 4.1 at 3 (27 pix); 2.1 is 2/3 at 80 % → 27; 3.1 1/3 → 0.
    assert by_candidate[lea.pk]["levels"] == {"1.1": 3, "1.2": 3, "2.1": 3, "3.1": 0, "4.1": 3}
    assert by_candidate[lea.pk]["pix_score"] == 4 * 27
    assert by_candidate[hugo.pk]["status"] == "rejected"
    assert by_candidate[hugo.pk]["pix_score"] == 0
    assert CertificationAnswer.objects.filter(result__candidate=lea).count() == 15
    result = CertificationResult.objects.get(candidate=lea)
    assert result.published_at is None and result.verification_code is None
    assert result.test_date == session.date
    assert AuditLog.objects.filter(action=AuditLog.Action.RESULTS_IMPORTED).exists()


def test_sending_the_results_again_replaces_them(api, school):
    session = finalized_session(school)
    lea = present_candidate(session)
    api(session.pk, {"candidates": [payload_for(lea, BAD)]})
    response = api(session.pk, {"candidates": [payload_for(lea, GOOD)]})
    assert response.status_code == 201
    assert CertificationResult.objects.get(candidate=lea).status == "validated"


def test_an_unfinished_test_is_scored_with_the_abort_reason_of_the_finalisation(api, school):
    session = finalized_session(school)
    gave_up = present_candidate(session, abort_reason=Candidate.AbortReason.CANDIDATE)
    broke_down = present_candidate(session, abort_reason=Candidate.AbortReason.TECHNICAL)
    unfinished = {"1.1": [C, C, C], "1.2": [C, U, U], "1.3": [U, U, U]}

    response = api(
        session.pk,
        {"candidates": [payload_for(gave_up, unfinished), payload_for(broke_down, unfinished)]},
    )

    assert response.status_code == 201
    statuses = {item["candidate_id"]: item["status"] for item in response.json()}
    assert statuses == {gave_up.pk: "rejected", broke_down.pk: "validated"}


def test_a_missing_present_candidate_is_a_400_that_names_them_and_nothing_is_written(api, school):
    session = finalized_session(school)
    lea = present_candidate(session)
    forgotten = present_candidate(session, last_name="OUBLIÉ", first_name="Noé")

    response = api(session.pk, {"candidates": [payload_for(lea, GOOD)]})

    assert response.status_code == 400
    assert response.json()["errors"] == [
        f"Candidat n° {forgotten.pk} (OUBLIÉ Noé) : résultats manquants "
        "(présent à la session, toute la session est attendue)."
    ]
    assert not CertificationResult.objects.exists()


def test_the_400_lists_every_problem_of_the_payload(api, school):
    session = finalized_session(school)
    lea = present_candidate(session, last_name="MARTIN", first_name="Léa")
    absent = CandidateFactory(session=session, is_present=False, last_name="ABSENT")
    other = CandidateFactory(session=SessionFactory(organization=school))
    bad_profile = payload_for(lea, {"1.1": [C, C, C, C]}, level=2, pix=40)

    response = api(
        session.pk,
        {
            "candidates": [
                bad_profile,
                payload_for(absent, GOOD),
                payload_for(other, GOOD),
            ]
        },
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert f"Candidat n° {lea.pk} (MARTIN Léa) : 40 pix incohérent avec le niveau 2 pour 1.1." in (
        errors
    )
    assert f"Candidat n° {lea.pk} (MARTIN Léa) : 4 questions sur 1.1 (3 au plus)." in errors
    assert any("noté absent à la finalisation" in e for e in errors)
    assert f"Candidat n° {other.pk} : inconnu dans la session n° {session.pk}." in errors
    assert not CertificationResult.objects.exists()


def test_a_malformed_payload_is_a_400_naming_the_field(api, school):
    session = finalized_session(school)
    lea = present_candidate(session)
    payload = payload_for(lea, GOOD)
    payload["answers"][0]["result"] = "peut-être"
    payload["profile"][0]["competence"] = "9.9"

    response = api(session.pk, {"candidates": [payload]})

    assert response.status_code == 400
    errors = response.json()["fields"]["candidates"]["0"]
    assert "result" in errors["answers"]["0"] and "competence" in errors["profile"]["0"]
    assert "9.9" in errors["profile"]["0"]["competence"][0]


def test_results_of_a_session_that_is_not_finalised_or_already_published_are_refused(api, school):
    created = SessionFactory(organization=school)
    candidate = CandidateFactory(session=created, is_present=True)
    response = api(created.pk, {"candidates": [payload_for(candidate, GOOD)]})
    assert response.status_code == 400
    assert "n'est pas finalisée" in response.json()["errors"][0]

    published = finalized_session(school, status="published")
    candidate = present_candidate(published)
    response = api(published.pk, {"candidates": [payload_for(candidate, GOOD)]})
    assert response.status_code == 400
    assert "déjà publiés" in response.json()["errors"][0]


def test_another_schools_session_is_404_for_the_token(api, other_school):
    session = finalized_session(other_school)
    candidate = present_candidate(session)
    response = api(session.pk, {"candidates": [payload_for(candidate, GOOD)]})
    assert response.status_code == 404
    assert not CertificationResult.objects.exists()


def test_the_api_needs_a_valid_token(api, school):
    session = finalized_session(school)
    assert api(session.pk, {"candidates": []}, token="mauvaise-cle").status_code in (401, 403)


def test_the_schema_documents_the_results_endpoint(client):
    schema = client.get(reverse("api-schema")).content.decode()
    assert "/api/sessions/{session_id}/results/" in schema
    assert "SessionResults" in schema


# --- CSV upload by a superuser ----------------------------------------------------------------
HEADER = "Numéro de candidat;Compétence;Niveau du profil;Pix du profil;Épreuve;Résultat\n"


def csv_file(text: str, encoding="utf-8-sig"):
    return SimpleUploadedFile("resultats.csv", text.encode(encoding), content_type="text/csv")


def test_a_superuser_uploads_a_results_csv_that_is_scored(superuser_client, school):
    session = finalized_session(school)
    lea = present_candidate(session)
    lines = [
        f"{lea.pk};{code};3;27;rec{i};{outcome}"
        for i, (code, outcome) in enumerate(
            [
                ("1.1", "Correcte"),
                ("1.1", "Correcte"),
                ("1.1", "Fausse"),
                ("1.2", "Correcte"),
                ("1.2", "Correcte"),
                ("1.2", "Neutralisée"),
            ]
        )
    ]

    response = superuser_client.post(
        reverse("results_public:jury_results_upload", args=[session.pk]),
        {"file": csv_file(HEADER + "\n".join(lines) + "\n")},
    )

    assert response.status_code == 302
    result = CertificationResult.objects.get(candidate=lea)
    assert (result.correct_answers, result.scored_answers) == (4, 5)
    assert result.pix_score == 2 * 27


def test_a_csv_with_errors_lists_them_by_line_and_writes_nothing(superuser_client, school):
    session = finalized_session(school)
    lea = present_candidate(session, last_name="MARTIN", first_name="Léa")
    forgotten = present_candidate(session, last_name="OUBLIÉ", first_name="Noé")
    text = HEADER + (
        f"{lea.pk};1.1;3;27;rec1;Correcte\n"
        f"{lea.pk};7.7;3;27;rec2;Correcte\n"
        f"{lea.pk};1.1;4;35;rec3;Peut-être\n"
        f"abc;1.1;3;27;rec4;Fausse\n"
        f"{lea.pk};1.1;4;35;rec5;Fausse\n"
    )

    response = superuser_client.post(
        reverse("results_public:jury_results_upload", args=[session.pk]), {"file": csv_file(text)}
    )

    errors = response.context["errors"]
    assert errors == [
        "Ligne 3 : compétence « 7.7 » inconnue.",
        "Ligne 4 : résultat « Peut-être » inconnu (Correcte, Fausse, Neutralisée ou Sans réponse).",
        "Ligne 5 : « abc » n'est pas un nombre (Numéro de candidat).",
        f"Ligne 6 : profil de 1.1 différent de la ligne 2 pour le candidat n° {lea.pk}.",
    ]
    assert not CertificationResult.objects.exists()

    # Once the lines are right, the session-wide rules speak, with the candidate's first line.
    text = HEADER + f"{lea.pk};1.1;3;27;rec1;Correcte\n"
    response = superuser_client.post(
        reverse("results_public:jury_results_upload", args=[session.pk]),
        {"file": csv_file(text, encoding="cp1252")},
    )
    assert response.context["errors"] == [
        f"Candidat n° {forgotten.pk} (OUBLIÉ Noé) : résultats manquants "
        "(présent à la session, toute la session est attendue)."
    ]
    assert not CertificationResult.objects.exists()


def test_a_csv_with_the_wrong_header_is_refused(superuser_client, school):
    session = finalized_session(school)
    response = superuser_client.post(
        reverse("results_public:jury_results_upload", args=[session.pk]),
        {"file": csv_file("Nom;Prénom\nA;B\n")},
    )
    assert response.context["errors"][0].startswith("Ligne 1 : en-têtes attendus")


@pytest.mark.parametrize("who", ["school_admin", "staff_not_superuser"])
def test_the_jury_pages_do_not_exist_for_school_staff(client, alice, school, who):
    session = finalized_session(school)
    staff = UserFactory(email="staff@pix.example.fr", is_staff=True, is_superuser=False)
    client.force_login(alice if who == "school_admin" else staff)
    for url in [
        reverse("results_public:jury_sessions"),
        reverse("results_public:jury_session", args=[session.pk]),
        reverse("results_public:jury_results_upload", args=[session.pk]),
        reverse("results_public:jury_publish", args=[session.pk]),
        reverse("results_public:jury_signed_pv", args=[session.pk]),
        reverse("results_public:jury_issue_report_decide", args=[session.pk, 1]),
        reverse("results_public:jury_decision_undo", args=[session.pk, 1]),
        reverse("results_public:jury_result_email_retry", args=[session.pk, 1]),
        reverse("results_public:jury_tokens"),
        reverse("results_public:jury_token_revoke", args=[1]),
    ]:
        assert client.get(url).status_code == 404
        assert client.post(url, {"file": csv_file(HEADER)}).status_code == 404
    session.refresh_from_db()
    assert session.status == "finalized"
