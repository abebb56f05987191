"""Enrolling the school's students (by class, with certifiability) and external candidates."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.models import Candidate, CertificationIssueReport, Session
from students.models import Student
from tests.factories import CandidateFactory, SessionFactory, StudentFactory
from tests.pages import buttons, disclosures

pytestmark = pytest.mark.django_db


def url(name, org, *args):
    return reverse(f"certif_sessions:{name}", args=[org.id, *args])


def test_the_class_filter_lists_its_students_with_their_certifiability(
    alice_client, school, session, class_3e2
):
    StudentFactory(organization=school, division="4E1", last_name="AUTRECLASSE")
    StudentFactory(organization=school, division="3E2", last_name="PARTI", is_disabled=True)

    page = alice_client.get(url("candidates_add_students", school, session.id), {"classe": "3E2"})
    html = page.content.decode()

    assert html.count('name="students"') == 5
    assert "AUTRECLASSE" not in html and "PARTI" not in html
    for label in ("Certifiable", "Non certifiable", "Non communiqué"):
        assert label in html


def test_the_name_search_finds_a_student(alice_client, school, session, class_3e2):
    StudentFactory(organization=school, division="4E1", last_name="COEURVOLAN", first_name="Zoé")
    html = alice_client.get(
        url("candidates_add_students", school, session.id), {"recherche": "coeurvol"}
    ).content.decode()
    assert html.count('name="students"') == 1 and "COEURVOLAN" in html


def test_ticked_certifiable_students_are_enrolled(alice_client, school, session, class_3e2):
    certifiable = [s.id for s in class_3e2[:3]]
    response = alice_client.post(
        url("candidates_add_students", school, session.id), {"students": certifiable}
    )
    assert response.status_code == 302
    candidates = Candidate.objects.filter(session=session)
    assert sorted(c.student_id for c in candidates) == sorted(certifiable)
    candidate = candidates.get(student=class_3e2[0])
    assert (candidate.last_name, candidate.birthdate, candidate.division) == (
        class_3e2[0].last_name,
        class_3e2[0].birthdate,
        "3E2",
    )
    assert (candidate.birth_insee_code, candidate.birth_country) == ("75114", "FRANCE")


def test_non_certifiable_students_need_an_explicit_confirmation(
    alice_client, school, session, class_3e2
):
    everyone = {"students": [s.id for s in class_3e2], "classe": "3E2"}
    refused = alice_client.post(url("candidates_add_students", school, session.id), everyone)

    html = refused.content.decode()
    assert refused.status_code == 200
    assert "2 ne sont pas certifiables" in html
    assert class_3e2[3].last_name in html and class_3e2[4].last_name in html
    assert not session.candidates.exists()

    confirmed = alice_client.post(
        url("candidates_add_students", school, session.id),
        {**everyone, "confirm_non_certifiable": "on"},
    )
    assert confirmed.status_code == 302
    assert session.candidates.count() == 5


def test_a_student_is_never_enrolled_twice(alice_client, school, session, class_3e2):
    data = {"students": [class_3e2[0].id]}
    alice_client.post(url("candidates_add_students", school, session.id), data)
    alice_client.post(url("candidates_add_students", school, session.id), data)
    assert session.candidates.count() == 1
    html = alice_client.get(
        url("candidates_add_students", school, session.id), {"classe": "3E2"}
    ).content.decode()
    assert "Déjà inscrit" in html and html.count('name="students"') == 4


def test_another_schools_student_cannot_be_enrolled(alice_client, school, other_school, session):
    outsider = StudentFactory(organization=other_school, certifiability="certifiable")
    response = alice_client.post(
        url("candidates_add_students", school, session.id), {"students": [outsider.id]}
    )
    assert response.status_code == 200
    assert not session.candidates.exists()


def external(**overrides):
    data = {
        "last_name": "Tematahi",
        "first_name": "Hinano",
        "birthdate": "2010-05-04",
        "sex": "F",
        "birth_place": "insee",
        "birth_insee_code": "98735",
        "extra_time_percentage": "33",
        "result_recipient_email": "parents@example.fr",
    }
    return {**data, **overrides}


def test_an_external_candidate_born_in_a_french_commune_is_added(alice_client, school, session):
    response = alice_client.post(url("candidate_add", school, session.id), external())
    assert response.status_code == 302
    candidate = session.candidates.get()
    assert candidate.student is None
    assert (candidate.last_name, candidate.birth_insee_code, candidate.birth_country) == (
        "TEMATAHI",
        "98735",
        "FRANCE",
    )
    assert candidate.extra_time_percentage == 33


@pytest.mark.parametrize(
    "birth_place, message",
    [
        ({"birth_place": "insee", "birth_insee_code": "7511"}, "Indiquez le code INSEE"),
        (
            {"birth_place": "postal", "birth_postal_code": "75014", "birth_city": ""},
            "Indiquez la commune de naissance.",
        ),
        ({"birth_place": "postal", "birth_city": "Paris"}, "Indiquez le code postal"),
        ({"birth_place": "abroad", "birth_country": ""}, "Indiquez le pays de naissance"),
        ({"birth_place": "abroad", "birth_country": "France"}, "Indiquez le pays de naissance"),
    ],
)
def test_the_birth_place_rules_are_enforced(alice_client, school, session, birth_place, message):
    data = external(**{"birth_insee_code": "", **birth_place})
    response = alice_client.post(url("candidate_add", school, session.id), data)
    assert message in response.content.decode()
    assert not session.candidates.exists()


@pytest.mark.parametrize(
    "birth_place, stored",
    [
        (
            {"birth_place": "postal", "birth_postal_code": "75014", "birth_city": "Paris"},
            ("", "75014", "PARIS", "FRANCE"),
        ),
        (
            {"birth_place": "abroad", "birth_country": "Suisse", "birth_city": "Genève"},
            ("", "", "GENÈVE", "SUISSE"),
        ),
    ],
)
def test_a_postal_code_or_a_foreign_country_also_does(
    alice_client, school, session, birth_place, stored
):
    alice_client.post(
        url("candidate_add", school, session.id), external(birth_insee_code="", **birth_place)
    )
    candidate = session.candidates.get()
    assert (
        candidate.birth_insee_code,
        candidate.birth_postal_code,
        candidate.birth_city,
        candidate.birth_country,
    ) == stored


def test_the_same_person_cannot_be_added_twice(alice_client, school, session):
    CandidateFactory(
        session=session, last_name="TEMATAHI", first_name="Hinano", birthdate=date(2010, 5, 4)
    )
    response = alice_client.post(
        url("candidate_add", school, session.id), external(last_name="tematahi")
    )
    assert "déjà inscrit" in response.content.decode()
    assert session.candidates.count() == 1


def test_extra_time_and_recipient_are_editable_while_the_session_is_created(
    alice_client, school, session
):
    candidate = CandidateFactory(session=session)
    response = alice_client.post(
        url("candidate_update", school, session.id, candidate.id),
        {"extra_time_percentage": "50", "result_recipient_email": "vie.scolaire@college.fr"},
    )
    candidate.refresh_from_db()
    assert response.status_code == 302
    assert (candidate.extra_time_percentage, candidate.result_recipient_email) == (
        50,
        "vie.scolaire@college.fr",
    )

    session.status = Session.Status.FINALIZED
    session.save()
    alice_client.post(
        url("candidate_update", school, session.id, candidate.id), {"extra_time_percentage": "10"}
    )
    candidate.refresh_from_db()
    assert candidate.extra_time_percentage == 50


def test_an_extra_time_over_100_percent_is_refused(alice_client, school, session):
    candidate = CandidateFactory(session=session)
    response = alice_client.post(
        url("candidate_update", school, session.id, candidate.id), {"extra_time_percentage": "150"}
    )
    assert response.status_code == 200
    candidate.refresh_from_db()
    assert candidate.extra_time_percentage is None


def test_a_candidate_can_be_removed_until_noted_present(alice_client, school, session):
    absent = CandidateFactory(session=session)
    present = CandidateFactory(session=session, is_present=True)
    alice_client.post(url("candidate_remove", school, session.id, absent.id))
    alice_client.post(url("candidate_remove", school, session.id, present.id))
    assert list(session.candidates.all()) == [present]


def test_a_candidate_of_another_session_is_not_found(alice_client, school, session):
    elsewhere = CandidateFactory(session=SessionFactory(organization=school))
    assert (
        alice_client.get(url("candidate_update", school, session.id, elsewhere.id)).status_code
        == 404
    )
    assert (
        alice_client.post(url("candidate_remove", school, session.id, elsewhere.id)).status_code
        == 404
    )
    assert Candidate.objects.filter(pk=elsewhere.pk).exists()


def test_a_new_class_asks_for_one_confirmation_above_the_table_without_a_red_wall(
    alice_client, school, session
):
    new_class = [
        StudentFactory(organization=school, division="6A", last_name=f"NOUVEAU{i:02d}")
        for i in range(42)
    ]  # all "Non communiqué": no profile yet

    page = alice_client.post(
        url("candidates_add_students", school, session.id),
        {"classe": "6A", "students": [s.id for s in new_class]},
    ).content.decode()

    assert "fr-alert--error" not in page
    assert page.index("Confirmez l’inscription") < page.index("<table")
    assert "Non communiqué : 42" in page
    confirmation = page[page.index('id="confirmation"') : page.index("<table")]
    assert "NOUVEAU" not in confirmation  # counted, not a list of 42 names
    assert 'id="tout-cocher" data-check-all="students" checked' in page
    assert page.count('id="id_confirm_non_certifiable"') == 1
    assert Candidate.objects.count() == 0


def test_the_picker_and_the_session_page_sort_names_in_french_order(alice_client, school, session):
    for name in ["VINCENT", "ÉTIENNE", "ÇELIK", "DUBOIS"]:
        student = StudentFactory(organization=school, division="3E1", last_name=name)
        CandidateFactory(session=session, student=student, last_name=name)
    french = ["ÇELIK", "DUBOIS", "ÉTIENNE", "VINCENT"]

    for page in [
        alice_client.get(url("candidates_add_students", school, session.id), {"classe": "3E1"}),
        alice_client.get(url("session_detail", school, session.id)),
    ]:
        html = page.content.decode()
        positions = [html.index(f"<td>{name}</td>") for name in french]
        assert positions == sorted(positions)


def test_the_picker_search_ignores_accents(alice_client, school, session):
    StudentFactory(organization=school, division="3E1", last_name="ÉTIENNE")
    html = alice_client.get(
        url("candidates_add_students", school, session.id), {"recherche": "etienne"}
    ).content.decode()
    assert "ÉTIENNE" in html


def test_retirer_and_supprimer_ask_before_acting(alice_client, school, session):
    session.date = timezone.localdate() - timedelta(days=1)  # finalisation open
    session.save()
    candidate = CandidateFactory(session=session, last_name="DUBOIS")
    CertificationIssueReport.objects.create(candidate=candidate, code="C1", source="admin")

    detail = alice_client.get(url("session_detail", school, session.id)).content.decode()
    finalize = alice_client.get(url("session_finalize", school, session.id)).content.decode()

    # the visible "Retirer" / "Supprimer" only open a question; the submit button says "Confirmer"
    assert "Retirer" in disclosures(detail) and "Retirer" not in buttons(detail)
    assert "Retirer DUBOIS" in detail and "Confirmer le retrait" in detail
    assert "Supprimer" in disclosures(finalize) and "Supprimer" not in buttons(finalize)
    assert "Supprimer le signalement C1 ?" in finalize


def test_the_picker_shows_the_certifiability_badge_of_the_eleves_page(
    alice_client, school, session
):
    """Same badge, same profile date, read in the school's time zone (23:30 UTC is the next day
    in Paris)."""
    StudentFactory(
        organization=school,
        division="3E1",
        last_name="BADGE",
        certifiability=Student.Certifiability.CERTIFIABLE,
        certifiability_profile_date=datetime(2026, 4, 1, 23, 30, tzinfo=UTC),
    )
    html = alice_client.get(
        url("candidates_add_students", school, session.id), {"classe": "3E1"}
    ).content.decode()
    row = html.split("BADGE", 1)[1].split("</tr>", 1)[0]
    assert 'class="fr-badge fr-badge--sm fr-badge--success fr-badge--no-icon">Certifiable' in row
    assert "profil du 02/04/2026" in row
