from django.core.management.base import BaseCommand

from students.services import class_tally_rebuild


class Command(BaseCommand):
    help = (
        "Recompte les élèves de chaque établissement par classe et statut (ClassTally), après "
        "un chargement qui a contourné les déclencheurs de la base."
    )

    def handle(self, *args, **options):
        rows = class_tally_rebuild()
        self.stdout.write(f"Effectifs par classe recomptés : {rows} ligne(s).")
