"""The Élèves page: filters that combine and live in the URL, sort, pagination, class summary."""

import re
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certification.models import CampaignParticipation
from certification.selectors import students_page_rows
from students.models import Student
from students.selectors import students_filtered
from tests.factories import CampaignFactory, StudentFactory, StudentUserFactory
from tests.pages import root_id

pytestmark = pytest.mark.django_db

CERTIFIABLE = Student.Certifiability.CERTIFIABLE
NOT_CERTIFIABLE = Student.Certifiability.NOT_CERTIFIABLE


def _participation(campaign, student):
    return CampaignParticipation(
        campaign=campaign,
        student=student,
        shared_at=campaign.created_at,
        profile_computed_at=campaign.created_at,
        pix_total=0,
        is_certifiable=False,
    )


@pytest.fixture
def roster(school):
    """Six students of `school` across two classes, with accounts and statuses; one disabled."""
    make = StudentFactory
    return {
        "lefevre": make(
            organization=school,
            last_name="LEFÈVRE",
            first_name="Éloïse",
            division="3EA",
            user=StudentUserFactory(),
            certifiability=CERTIFIABLE,
            certifiability_profile_date=datetime(2026, 4, 2, 10, tzinfo=UTC),
        ),
        "coeur": make(
            organization=school,
            last_name="CŒURVOLAN",
            first_name="Aurélie",
            division="3EA",
            user=StudentUserFactory(email="aurelie@example.fr", username=None),
            certifiability=NOT_CERTIFIABLE,
        ),
        "martin": make(organization=school, last_name="MARTIN", first_name="Léa", division="3EB"),
        "dupont": make(
            organization=school,
            last_name="DUPONT",
            first_name="Jean-Baptiste",
            division="3EB",
            user=StudentUserFactory(has_mediacentre_access=True),
            certifiability=CERTIFIABLE,
        ),
        "abel": make(organization=school, last_name="ABEL", first_name="Noé", division="4EC"),
        "gone": make(
            organization=school,
            last_name="PARTI",
            first_name="Yanis",
            division="3EA",
            is_disabled=True,
        ),
    }


def names(params: str, school) -> list[str]:
    students = students_filtered(organization=school, params=QueryDict(params))
    return [student.last_name for student in students]


def test_the_search_ignores_accents_case_and_hyphens(roster, school):
    assert names("recherche=lefevre", school) == ["LEFÈVRE"]
    assert names("recherche=ELOISE", school) == ["LEFÈVRE"]
    assert names("recherche=coeur", school) == ["CŒURVOLAN"]
    assert names("recherche=jean baptiste", school) == ["DUPONT"]
    assert names("recherche=martin+l%C3%A9a", school) == ["MARTIN"]
    assert names("recherche=100%25", school) == []


def test_filters_combine(roster, school):
    assert names("classe=3EA&classe=3EB", school) == ["CŒURVOLAN", "DUPONT", "LEFÈVRE", "MARTIN"]
    assert names("classe=3EA&classe=3EB&certificabilite=certifiable", school) == [
        "DUPONT",
        "LEFÈVRE",
    ]
    assert names("certificabilite=not_available", school) == ["ABEL", "MARTIN"]
    assert names("certificabilite=not_available&certificabilite=not_certifiable", school) == [
        "ABEL",
        "CŒURVOLAN",
        "MARTIN",
    ]
    assert names("connexion=identifiant", school) == ["DUPONT", "LEFÈVRE"]
    assert names("connexion=email", school) == ["CŒURVOLAN"]
    assert names("connexion=mediacentre", school) == ["DUPONT"]
    assert names("connexion=aucune&classe=4EC", school) == ["ABEL"]
    assert names("classe=5EZ", school) == []


def test_disabled_students_are_hidden_unless_asked_for(roster, school):
    assert "PARTI" not in names("", school)
    assert names("desactives=1&classe=3EA", school) == ["CŒURVOLAN", "LEFÈVRE", "PARTI"]


def test_malformed_parameters_are_ignored(roster, school):
    assert len(names("tri=hack&par_page=abc&connexion=fax&certificabilite=x", school)) == 5


def test_sort_by_name_class_and_participations(roster, school):
    assert names("", school) == ["ABEL", "CŒURVOLAN", "DUPONT", "LEFÈVRE", "MARTIN"]
    assert names("tri=-nom", school) == ["MARTIN", "LEFÈVRE", "DUPONT", "CŒURVOLAN", "ABEL"]
    assert names("tri=-classe", school) == ["ABEL", "DUPONT", "MARTIN", "CŒURVOLAN", "LEFÈVRE"]
    campaigns = [CampaignFactory(organization=school) for _ in range(2)]
    for campaign, student in [
        (campaigns[0], roster["martin"]),
        (campaigns[1], roster["martin"]),
        (campaigns[0], roster["abel"]),
    ]:
        _participation(campaign, student).save()
    assert names("tri=-participations", school)[:2] == ["MARTIN", "ABEL"]
    [martin] = students_page_rows(organization=school, student_ids=[roster["martin"].pk])
    assert martin.participation_count == 2
    assert martin.last_participation_name == campaigns[1].name


def test_the_page_shows_the_count_the_columns_and_keeps_filters_in_links(
    bob_client, roster, school
):
    response = bob_client.get(
        reverse("students:list", args=[school.id]), {"classe": "3EA", "tri": "-nom"}
    )
    page = response.content.decode()
    assert re.search(r"<strong>\s*2 élèves\s*</strong>", page)
    headers = [
        re.sub(r"<[^>]+>|\s+", " ", header).split("(")[0].strip()
        for header in re.findall(
            r"<th scope=\"col\"[^>]*>(.*?)</th>", page.split('id="students-table"')[1], re.S
        )
    ]
    assert headers[:7] == [
        "Nom",
        "Prénom",
        "Date de naissance",
        "Classe",
        "Méthode",
        "Nombre de participations",
        "Dernière participation",
    ]
    assert headers[7].startswith("Certificabilité")
    assert "Ce statut est mis à jour automatiquement (toutes les 24h)" in page
    assert "profil du 02/04/2026" in page
    assert "export.csv?classe=3EA&amp;tri=-nom" in page
    assert 'name="classe" value="3EA" checked' in page


def test_members_see_the_list_without_admin_actions(bob_client, roster, school):
    page = bob_client.get(reverse("students:list", args=[school.id])).content.decode()
    assert "LEFÈVRE" in page
    assert 'name="student_ids"' not in page and 'name="select_all"' not in page
    assert "Importer des profils" not in page


def test_admins_get_the_selection_form(alice_client, roster, school):
    response = alice_client.get(reverse("students:list", args=[school.id]), {"classe": "3EB"})
    page = response.content.decode()
    assert '<form id="students-selection" method="post">' in page
    assert page.count('name="student_ids"') == 2
    assert f'value="{roster["martin"].id}"' in page
    assert "Sélectionner MARTIN Léa" in page
    assert "Sélectionner les 2 élèves correspondant aux filtres" in page
    assert '<input type="hidden" name="query" value="classe=3EB">' in page
    assert "Importer des profils" in page


def test_pagination_is_50_by_default_and_changeable(bob_client, school):
    StudentFactory.create_batch(55, organization=school)
    url = reverse("students:list", args=[school.id])
    assert len(bob_client.get(url).context["page"]) == 50
    assert len(bob_client.get(url, {"page": 2}).context["page"]) == 5
    assert len(bob_client.get(url, {"par_page": 10, "page": 3}).context["page"]) == 10


@pytest.mark.parametrize("students", [9, 10, 11])
def test_the_count_and_pages_around_one_full_page(alice_client, school, students):
    """A first page shorter than a page is counted from its rows, a full one by the database:
    the count and the pagination read the same either way."""
    StudentFactory.create_batch(students, organization=school)
    page = alice_client.get(reverse("students:list", args=[school.id]), {"par_page": 10})
    html = page.content.decode()
    assert f"<strong>{students} élèves</strong>" in html
    assert html.count('name="student_ids"') == min(students, 10)
    assert ('aria-label="Pagination"' in html) == (students > 10)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"classe": ["3E1", "3E2"]},
        {"certificabilite": ["certifiable"], "classe": ["3E0", "3E1"]},
        {"desactives": "1"},
        {"recherche": "lefevre"},
        {"connexion": "identifiant", "certificabilite": ["certifiable"]},
        {"connexion": "aucune", "desactives": "1"},
        {"connexion": "identifiant", "recherche": "lefevre"},
    ],
)
def test_the_count_of_each_filter_is_the_number_of_students_it_finds(
    alice_client, school, other_school, params
):
    """Past the first page, the count comes from the school's class tally for classes,
    statuses, connection methods and disabled students, and from the students for a search."""
    for number in range(60):
        StudentFactory(
            organization=school,
            division=f"3E{number % 3}",
            certifiability=CERTIFIABLE if number % 2 else NOT_CERTIFIABLE,
            user=StudentUserFactory() if number % 4 else None,
            is_disabled=number % 9 == 0,
        )
    StudentFactory.create_batch(5, organization=other_school, division="3E1")
    Student.objects.filter(organization=school, division="3E2").update(division="3E1")
    query = QueryDict(mutable=True)
    for key, value in params.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    expected = students_filtered(organization=school, params=query).count()
    assert expected > 10  # the second page of 10 exists

    with CaptureQueriesContext(connection) as context:
        page = alice_client.get(
            reverse("students:list", args=[school.id]), {**params, "page": 2, "par_page": 10}
        )
    html = page.content.decode()
    assert f"{expected} élèves</strong>" in html
    counted_students = [
        query["sql"]
        for query in context.captured_queries
        if "COUNT(" in query["sql"] and '"students_student"' in query["sql"]
    ]
    assert bool(counted_students) == ("recherche" in params)
    if "recherche" in params:  # one scan gives the page's ids and the number of matches
        assert len(counted_students) == 1 and "OVER" in counted_students[0]


@pytest.mark.parametrize("search", ["", "lefevre"])
@pytest.mark.parametrize(
    ("asked", "shown"), [("2", 2), ("3", 3), ("99", 3), ("0", 3), ("-1", 3), ("deux", 1), ("", 1)]
)
def test_a_page_number_past_the_list_or_not_a_number_shows_a_page_of_it(
    alice_client, school, search, asked, shown
):
    """25 students, 10 a page: pages 1 to 3. A number past them (a link kept from a longer
    list) shows the last one, and one that is not a number the first, search or not."""
    for number in range(25):
        StudentFactory(organization=school, last_name=f"LEFEVRE{number:02d}")
    StudentFactory(organization=school, last_name="MARTIN")  # the search leaves it out

    response = alice_client.get(
        reverse("students:list", args=[school.id]),
        {"recherche": search, "par_page": 10, "page": asked},
    )

    page = response.context["page"]
    expected = 26 if not search else 25
    assert (page.number, page.paginator.count) == (shown, expected)
    names = re.findall(r"LEFEVRE\d+|MARTIN", response.content.decode())
    assert names[0] == f"LEFEVRE{(shown - 1) * 10:02d}"
    assert len(set(names)) == (10 if shown < 3 else expected - 20)


def test_the_number_of_queries_does_not_grow_with_the_rows_shown(alice_client, school):
    def queries_for(count):
        Student.objects.all().delete()
        for number in range(count):
            user = StudentUserFactory()
            StudentFactory(organization=school, user=user, division=f"3E{number % 3}")
        with CaptureQueriesContext(connection) as context:
            response = alice_client.get(
                reverse("students:list", args=[school.id]),
                {"par_page": 100, "tri": "-participations"},
            )
        assert len(response.context["page"]) == count
        return len(context.captured_queries)

    assert queries_for(3) == queries_for(60)


def test_the_class_summary_counts_each_status(bob_client, roster, school):
    url = reverse("students:class_summary", args=[school.id])
    assert url in bob_client.get(reverse("students:list", args=[school.id])).content.decode()
    summaries = bob_client.get(url).context["summaries"]
    by_class = {s.division: s for s in summaries}
    assert list(by_class) == ["3EA", "3EB", "4EC"]
    assert (by_class["3EA"].students, by_class["3EA"].certifiable) == (2, 1)
    assert by_class["3EA"].not_certifiable == 1 and by_class["3EA"].not_available == 0
    assert (by_class["3EB"].certifiable, by_class["3EB"].not_available) == (1, 1)


def test_another_schools_students_never_show(charlie_client, roster, other_school):
    StudentFactory(organization=other_school, last_name="TEMATAHI")
    page = charlie_client.get(reverse("students:list", args=[other_school.id])).content.decode()
    assert "TEMATAHI" in page and "LEFÈVRE" not in page


def test_the_participation_count_follows_every_write_of_participations(roster, school):
    martin = roster["martin"]
    campaigns = [CampaignFactory(organization=school) for _ in range(3)]
    _participation(campaigns[0], martin).save()
    CampaignParticipation.objects.bulk_create(
        [_participation(campaigns[1], martin), _participation(campaigns[2], martin)]
    )
    stale = Student.objects.get(pk=martin.pk)
    CampaignParticipation.objects.filter(campaign=campaigns[0]).delete()
    stale.first_name = "Léane"
    stale.save()  # read before the delete: must not write back its count

    martin.refresh_from_db()
    assert (martin.first_name, martin.participation_count) == ("Léane", 2)
    campaigns[1].delete()
    martin.refresh_from_db()
    assert martin.participation_count == 1


def test_a_deep_page_shows_its_own_rows_with_their_latest_participation(bob_client, school):
    students = [
        StudentFactory(organization=school, last_name=f"NOM{n:03d}", division="3EA")
        for n in range(120)
    ]
    campaign = CampaignFactory(organization=school, name="Campagne de printemps")
    _participation(campaign, students[110]).save()
    page = bob_client.get(reverse("students:list", args=[school.id]), {"page": 3}).content.decode()
    assert re.findall(r"NOM\d+", page) == [f"NOM{n:03d}" for n in range(100, 120)]
    assert page.count("Campagne de printemps") == 1
    page = bob_client.get(
        reverse("students:list", args=[school.id]), {"page": 3, "tri": "-nom"}
    ).content.decode()
    assert re.findall(r"NOM\d+", page) == [f"NOM{n:03d}" for n in range(19, -1, -1)]


def test_the_class_summary_is_a_fragment_for_the_page_or_a_page_of_its_own(
    bob_client, roster, school
):
    url = reverse("students:class_summary", args=[school.id])
    fragment = bob_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert root_id(fragment) == "class-summary-table"
    assert "<html" not in fragment and "3EB" in fragment
    page = bob_client.get(url).content.decode()
    assert "<h1>Synthèse par classe</h1>" in page and "3EB" in page


def test_the_class_filter_offers_the_classes_of_active_students_only(
    bob_client, roster, school, other_school
):
    StudentFactory(organization=school, division="6EZ", is_disabled=True)
    StudentFactory(organization=other_school, division="5EY")
    page = bob_client.get(reverse("students:list", args=[school.id]), {"classe": "3EB"})
    checkboxes = re.findall(r'name="classe" value="([^"]+)"( checked)?', page.content.decode())
    assert checkboxes == [("3EA", ""), ("3EB", " checked"), ("4EC", "")]


def test_each_row_shows_the_student_escaped_and_dated_in_the_school_time_zone(
    client, charlie, other_school
):
    """The rows are written in Python (certification/student_list_html.py): what the template
    did (escaping, the school's day, the badges, the account link) still holds."""
    user = StudentUserFactory(has_mediacentre_access=True)
    student = StudentFactory(
        organization=other_school,
        last_name="N'DIAYE <b>",
        first_name="Zoé & Léa",
        user=user,
        is_disabled=True,
        certifiability=CERTIFIABLE,
        # 09:30 in Paris is the evening before in Tahiti (UTC−10).
        certifiability_profile_date=datetime(2026, 4, 2, 7, 30, tzinfo=UTC),
    )
    campaign = CampaignFactory(organization=other_school, name="Collecte <de> mars")
    participation = _participation(campaign, student)
    participation.shared_at = datetime(2026, 3, 10, 5, 0, tzinfo=UTC)
    participation.save()
    client.force_login(charlie)
    response = client.get(reverse("students:list", args=[other_school.id]), {"desactives": "1"})
    row = re.search(
        r"<tr class=\"portal-disabled-row\">(.*?)</tr>", response.content.decode(), re.S
    )
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    assert f'id="student-{student.pk}" name="student_ids" value="{student.pk}"' in cells[0]
    assert "Sélectionner N&#x27;DIAYE &lt;b&gt; Zoé &amp; Léa</label>" in cells[0]
    assert cells[1] == (
        'N&#x27;DIAYE &lt;b&gt; <span class="fr-badge fr-badge--sm fr-badge--no-icon">'
        "Désactivé</span>"
    )
    assert cells[2:7] == ["Zoé &amp; Léa", "14/03/2011", "3E2", "Identifiant, Mediacentre", "1"]
    assert cells[7] == 'Collecte &lt;de&gt; mars<br><span class="fr-text--xs">le 09/03/2026</span>'
    assert "fr-badge--success" in cells[8] and "profil du 01/04/2026" in cells[8]
    account = reverse("student_accounts:account", args=[other_school.id, student.pk])
    assert f'href="{account}">Gérer le compte' in cells[9]


def test_a_student_without_account_nor_participation_shows_dashes(client, bob, school):
    StudentFactory(organization=school)
    client.force_login(bob)
    page = client.get(reverse("students:list", args=[school.id])).content.decode()
    row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", page, re.S).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert len(cells) == 8  # no selection nor actions for a member
    assert cells[4] == "—" and cells[6] == "—"
    assert 'class="fr-badge fr-badge--sm fr-badge--no-icon">Non communiqué</p>' in cells[7]
