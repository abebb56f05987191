import pytest

from certification.models import Area, Competence
from certification.referential import max_pix

pytestmark = pytest.mark.django_db


def test_the_referential_has_5_domains_and_16_competences_in_order():
    assert list(Area.objects.values_list("code", flat=True)) == ["1", "2", "3", "4", "5"]
    codes = list(Competence.objects.values_list("code", flat=True))
    assert codes[0] == "1.1" and codes[-1] == "5.2" and len(codes) == 16
    assert Competence.objects.get(code="3.4").name == "Programmer"
    assert Competence.objects.get(code="4.2").area.title == "Protection et sécurité"


def test_maximum_pix_follows_the_maximum_reachable_level(settings):
    settings.PIX_MAX_REACHABLE_LEVEL = 6
    assert max_pix() == 768
    settings.PIX_MAX_REACHABLE_LEVEL = 8
    assert max_pix() == 1024
