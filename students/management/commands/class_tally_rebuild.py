from django.core.management.base import BaseCommand

from students.services import class_tally_rebuild


class Command(BaseCommand):
    help = (
        "Relit les méthodes de connexion des comptes des élèves et recompte les élèves de chaque "
        "établissement par classe, statut et méthode de connexion (ClassTally), après un "
        "chargement qui a contourné les déclencheurs de la base."
    )

    def handle(self, *args, **options):
        rows = class_tally_rebuild()
        self.stdout.write(f"Effectifs par classe recomptés : {rows} ligne(s).")
