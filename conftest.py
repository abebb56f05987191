"""Fixtures for the whole suite: the personas of every access test.

- alice: admin of `school`
- bob: member (not admin) of `school`
- charlie: admin of `other_school`, an outsider to `school`
- superuser: the Pix jury (staff), who reviews and publishes every school's results
- student_user: a student with an account (not attached to a school)

Each persona has a client already logged in (`alice_client`, ...), separate from the anonymous
`client`, so one test can act as two people.
"""

import os

import pytest
from django.conf import settings
from django.core.cache import cache

from accounts.models import Membership
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    StudentUserFactory,
    UserFactory,
    logged_in,
)


def pytest_collection_modifyitems(config, items):
    # Browser tests last: they start a live server and a browser.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def service_unavailable(reason: str):
    """Skip locally when a service is missing; fail in CI (REQUIRE_SERVICES=1)."""
    if settings.REQUIRE_SERVICES or os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"Service requis indisponible : {reason}")
    pytest.skip(reason)


@pytest.fixture
def school(db):
    return OrganizationFactory(uai="0750001A", name="Collège Victor-Hugo")


@pytest.fixture
def other_school(db):
    return OrganizationFactory(
        uai="0981234X", name="Collège de Punaauia", timezone="Pacific/Tahiti"
    )


@pytest.fixture
def alice(school):
    user = UserFactory(email="alice@college.example.fr", first_name="Alice", last_name="Admin")
    MembershipFactory(user=user, organization=school, role=Membership.Role.ADMIN)
    return user


@pytest.fixture
def bob(school):
    user = UserFactory(email="bob@college.example.fr", first_name="Bob", last_name="Membre")
    MembershipFactory(user=user, organization=school, role=Membership.Role.MEMBER)
    return user


@pytest.fixture
def charlie(other_school):
    user = UserFactory(email="charlie@autre.example.fr", first_name="Charlie", last_name="Dehors")
    MembershipFactory(user=user, organization=other_school, role=Membership.Role.ADMIN)
    return user


@pytest.fixture
def student_user(db):
    return StudentUserFactory(
        username="jeanbaptiste.lefevre0103", first_name="Jean-Baptiste", last_name="Lefèvre"
    )


@pytest.fixture
def superuser(db):
    return UserFactory(email="jury@pix.example.fr", is_superuser=True, is_staff=True)


@pytest.fixture
def alice_client(alice):
    return logged_in(alice)


@pytest.fixture
def bob_client(bob):
    return logged_in(bob)


@pytest.fixture
def charlie_client(charlie):
    return logged_in(charlie)


@pytest.fixture
def student_client(student_user):
    return logged_in(student_user)


@pytest.fixture
def superuser_client(superuser):
    return logged_in(superuser)


@pytest.fixture
def clear_cache():
    """Rate-limit and lockout counters live in the cache: the test starts and ends with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "media" / "private"
