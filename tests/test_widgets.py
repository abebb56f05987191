"""The long lists' widgets write what the templates of Django and django-dsfr write."""

import pytest
from django import forms
from django.test.html import parse_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from dsfr.forms import DsfrBaseForm

from core.widgets import LongCheckboxesField, LongSelect

CHOICES = [
    ("", gettext_lazy("Toutes les classes")),
    (3, "3e « A » & <B>"),
    ('x"y', "Guillemet \" et apostrophe '"),
    (mark_safe("<b>sûr</b>"), mark_safe("<i>sûr</i>")),  # a value is escaped even when safe
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

    assert "<script>" not in html and "<B>" not in html and 'data-x="&lt;i&gt;"' in html
    assert 'value="3" selected>3e « A » &amp; &lt;B&gt;</option>' in html
    assert 'value="&lt;b&gt;sûr&lt;/b&gt;"><i>sûr</i></option>' in html  # a safe label stays


def _checkboxes_form(field_class):
    class Form(DsfrBaseForm):
        divisions = field_class(label="Classes", required=False, help_text="Aucune : toutes.")

    Form.base_fields["divisions"].choices = [
        ("3E1", "3E1"),
        ("3e « 2 » & <B>", "3e « 2 » & <B>"),
        ('x"y', "Guillemet \" et apostrophe '"),
        (mark_safe("<b>sûr</b>"), mark_safe("<i>sûr</i>")),  # a value is escaped even when safe
        (4, gettext_lazy("Toutes les classes")),
    ]
    return Form


class TemplateCheckboxesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


@pytest.mark.parametrize("data", [None, {}, {"divisions": ["3E1", 'x"y']}, {"divisions": ["z"]}])
def test_long_checkboxes_write_what_the_dsfr_templates_write(data):
    """The whole field group (legend, hint, boxes, errors): only the boxes are written by hand."""
    long_form = _checkboxes_form(LongCheckboxesField)(data)
    template_form = _checkboxes_form(TemplateCheckboxesField)(data)

    long_html = long_form["divisions"].as_field_group()
    assert parse_html(long_html) == parse_html(template_form["divisions"].as_field_group())
    assert long_html.count('type="checkbox"') == 5
    assert "<B>" not in long_html
