"""The check box of each student in a table is drawn inside its own row."""

from django.core.management import call_command

from accounts.models import Organization
from pix_portal.demo import ADMIN_EMAIL, DEMO_PASSWORD, DEMO_UAI
from sessions.models import Session
from tests.browser.test_login_flow import log_in
from tests.factories import referential_ensure

BOX = 16 + 4  # the DSFR's small box (1rem) below its top margin (0.25rem), from the label's top


def test_each_students_check_box_is_drawn_inside_its_row(page):
    referential_ensure()  # earlier browser tests flushed the data migrations' rows
    call_command("seed_demo")
    school = Organization.objects.get(uai=DEMO_UAI)
    session = Session.objects.filter(organization=school, status=Session.Status.CREATED).first()
    log_in(page, ADMIN_EMAIL, DEMO_PASSWORD)

    for path in (
        f"/o/{school.id}/certification/preparation/eleves/rattrapage/?niveau=tous",
        f"/o/{school.id}/sessions/{session.pk}/candidats/ajouter-eleves/?classe=301",
        f"/o/{school.id}/eleves/",
    ):
        page.goto(path)
        rows = page.locator("tbody tr:has(.fr-checkbox-group)")
        assert rows.count() > 2, path
        for index in range(3):
            row = rows.nth(index).bounding_box()
            label = rows.nth(index).locator(".fr-checkbox-group .fr-label").bounding_box()
            assert row["y"] <= label["y"], path
            assert label["y"] + BOX <= row["y"] + row["height"], path
