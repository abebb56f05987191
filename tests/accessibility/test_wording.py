"""French plurals: 0 and 1 take the singular ("0 élève"), for every plural message."""

import re
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import ngettext
from django.utils.translation.template import templatize

PLURAL_CALL = re.compile(r"ngettext\(u'((?:[^'\\]|\\.)*)', u'((?:[^'\\]|\\.)*)'")


def template_plurals():
    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        for singular, plural in PLURAL_CALL.findall(templatize(template.read_text())):
            yield template.name, singular.replace("\\'", "'"), plural.replace("\\'", "'")


def test_every_plural_message_of_the_templates_is_singular_for_0_and_1():
    messages = list(template_plurals())
    assert len(messages) > 20
    with translation.override("fr"):
        wrong = [
            (name, singular)
            for name, singular, plural in messages
            if ngettext(singular, plural, 0) != singular or ngettext(singular, plural, 2) != plural
        ]
    assert not wrong, "manage.py french_plurals"
