import io

import pypdf
import pytest

from students.models import Student
from tests.factories import SessionFactory, StudentFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits(clear_cache):
    """Most tests here log in as an invigilator, whose failed attempts are counted per IP."""


@pytest.fixture
def session(school):
    return SessionFactory(
        organization=school,
        address="Bâtiment Éole",
        room="Salle B12",
        examiner="Mme Durand, M. Petit",
        access_code="BKTM47",
        invigilator_password="k7m2pq",
    )


@pytest.fixture
def class_3e2(school):
    """Five students of 3E2: three certifiable, one not, one unknown."""
    statuses = [
        Student.Certifiability.CERTIFIABLE,
        Student.Certifiability.CERTIFIABLE,
        Student.Certifiability.CERTIFIABLE,
        Student.Certifiability.NOT_CERTIFIABLE,
        Student.Certifiability.NOT_AVAILABLE,
    ]
    return [
        StudentFactory(organization=school, division="3E2", certifiability=status)
        for status in statuses
    ]


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page of a PDF, as a reader would copy it."""
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages]
