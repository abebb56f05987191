"""LongSelect writes the same <select> as Django's template-rendered one."""

import pytest
from django import forms
from django.test.html import parse_html
from django.utils.translation import gettext_lazy

from core.widgets import LongSelect

CHOICES = [
    ("", gettext_lazy("Toutes les classes")),
    (3, "3e « A » & <B>"),
    ('x"y', "Guillemet \" et apostrophe '"),
    (gettext_lazy("Années"), [(2025, "2025-2026"), (2026, "2026-2027")]),
]


@pytest.mark.parametrize("value", [None, "", 3, "3", 'x"y', 2026, "absent"])
@pytest.mark.parametrize(
    "attrs",
    [None, {"class": "fr-select", "id": "id_classe"}, {"required": True, "disabled": False}],
)
def test_a_long_select_writes_what_the_template_writes(value, attrs):
    long_select = LongSelect(choices=CHOICES).render("classe", value, attrs=attrs)
    template_select = forms.Select(choices=CHOICES).render("classe", value, attrs=attrs)

    assert parse_html(long_select) == parse_html(template_select)


def test_a_long_select_escapes_what_it_writes():
    html = LongSelect(choices=CHOICES).render('c"><script>', 3, attrs={"data-x": "<i>"})

    assert "<script>" not in html and "<i>" not in html and "<B>" not in html
    assert 'value="3" selected>3e « A » &amp; &lt;B&gt;</option>' in html
