"""Writes locale/fr/LC_MESSAGES/django.po (and compiles it) with the portal's plural messages.

The texts are written in French, but gettext picks the plural of an untranslated message with
the English rule: "0 élèves". A catalog whose msgstr repeat the msgid, under the French rule
(0 and 1 singular), gives "0 élève". Run it after adding a `{% plural %}` or an ngettext.
"""

import re
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

PLURAL = re.compile(r"(msgid (?:\"[^\n]*\"\n)+)(msgid_plural (?:\"[^\n]*\"\n)+)")


class Command(BaseCommand):
    help = "Met à jour le catalogue des pluriels français (0 et 1 au singulier)."

    def handle(self, *args, **options):
        call_command(
            "makemessages",
            locale=["fr"],
            no_location=True,
            no_obsolete=True,
            ignore_patterns=[".venv", "bench", "tests"],
            verbosity=0,
        )
        po = Path(settings.BASE_DIR, "locale", "fr", "LC_MESSAGES", "django.po")
        header, *entries = po.read_text().split("\n\n")
        header = header.replace("#, fuzzy\n", "").replace('"Language: \\n"', '"Language: fr\\n"')
        header = header[header.index('msgid ""') :]
        kept = []
        for entry in entries:
            found = PLURAL.search(entry + "\n")
            if found is None:
                continue
            msgid, plural = found.group(1), found.group(2)
            flags = "".join(line + "\n" for line in entry.splitlines() if line.startswith("#,"))
            kept.append(
                flags.replace("fuzzy, ", "").replace("#, fuzzy\n", "")
                + msgid
                + plural
                + msgid.replace("msgid ", "msgstr[0] ", 1)
                + plural.replace("msgid_plural ", "msgstr[1] ", 1).rstrip("\n")
            )
        po.write_text(
            "# Written by `manage.py french_plurals`: French plural rule, msgstr = msgid.\n"
            + header
            + "\n\n"
            + "\n\n".join(kept)
            + "\n"
        )
        subprocess.run(["msgfmt", "-o", str(po.with_suffix(".mo")), str(po)], check=True)  # noqa: S603, S607
        self.stdout.write(f"{len(kept)} messages au pluriel.")
