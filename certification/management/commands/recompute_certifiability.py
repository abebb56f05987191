import time

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organization
from certification.certifiability import certifiability_recompute


class Command(BaseCommand):
    help = (
        "Recalcule la certificabilité des élèves actifs dont le profil a changé depuis le "
        "dernier calcul (--all : de tous les élèves actifs ayant un profil)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--uai", action="append", help="Limiter à cet établissement (répétable)."
        )
        parser.add_argument(
            "--all",
            action="store_true",
            dest="everyone",
            help="Recalculer même les élèves dont le profil n'a pas changé.",
        )

    def handle(self, *args, uai, everyone, **options):
        organization_ids = None
        if uai:
            uais = {value.strip().upper() for value in uai}
            found = dict(Organization.objects.filter(uai__in=uais).values_list("uai", "pk"))
            if unknown := sorted(uais - set(found)):
                raise CommandError(f"UAI inconnu(s) : {', '.join(unknown)}")
            organization_ids = list(found.values())
        started = time.monotonic()
        updated = certifiability_recompute(organization_ids=organization_ids, everyone=everyone)
        self.stdout.write(f"{updated} élève(s) mis à jour en {time.monotonic() - started:.2f} s.")
