"""Import a school's students from the command line (operations, benchmarks).

    manage.py import_siecle --uai 0750001A ElevesSansAdresses.zip

The file is .xml, .zip or (agricultural schools) .csv, told by its content. Same checks and same
single transaction as the web import, without the confirmation step. On rejection the problems
are printed on stderr, nothing is changed and the exit status is 1.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organization
from students.imports.parsers import ImportRejected
from students.imports.services import ImportAlreadyRunning, student_import_from_path


class Command(BaseCommand):
    help = "Importe les élèves d'un établissement depuis un export SIECLE (.xml, .zip) ou un CSV."
    # The URL checks would import every view, PDF rendering included: memory and time an
    # import does not need (the web and worker processes run the checks).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--uai", required=True, help="UAI de l'établissement (ex. 0750001A)")
        parser.add_argument("file", type=Path, help="export SIECLE .xml ou .zip, ou CSV agricole")

    def handle(self, *args, uai, file, **options):
        organization = Organization.objects.filter(uai=uai.strip().upper()).first()
        if organization is None:
            raise CommandError(f"Aucun établissement n'a l'UAI {uai}.")
        if not file.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        try:
            job = student_import_from_path(organization=organization, path=file)
        except ImportAlreadyRunning as error:
            raise CommandError(str(error)) from None
        except ImportRejected as rejection:
            for message in rejection.errors:
                self.stderr.write(message)
            raise CommandError(
                "Fichier refusé : aucun élève n'a été importé ni modifié. Corrigez les problèmes "
                "ci-dessus puis relancez l'import."
            ) from None
        self.stdout.write(
            f"Import réussi ({organization.uai}) : {job.created_count} créés, "
            f"{job.updated_count} mis à jour, {job.disabled_count} désactivés, "
            f"{job.skipped_count} ignorés, {job.unchanged_count} inchangés."
        )
