"""Buttons say what they do: the DSFR shrinks an icon button of a button group to its icon
unless the group is `fr-btns-group--icon-left`, hiding "Vérifier le fichier" and the like."""

import re
from pathlib import Path

from django.conf import settings

GROUP = re.compile(r'<ul class="(fr-btns-group[^"]*)"(.*?)</ul>', re.S)


def test_no_button_group_shrinks_its_icon_buttons_to_their_icon():
    shrunk = []
    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        if template.name == "base.html":  # the header's tools: the DSFR lays them out itself
            continue
        for classes, body in GROUP.findall(template.read_text()):
            if "fr-icon-" in body and "fr-btns-group--icon-left" not in classes:
                shrunk.append(template.name)
    assert not shrunk
