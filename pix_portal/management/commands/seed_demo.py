from django.core.management.base import BaseCommand

from pix_portal.demo import DEMO_LOGINS, seed_demo


class Command(BaseCommand):
    help = "Charge l'établissement de démonstration (sans doublon si on le relance)."

    def handle(self, *args, **options):
        seed_demo(stdout=self.stdout)
        self.stdout.write("")
        self.stdout.write("Comptes de démonstration (http://127.0.0.1:8000) :")
        for role, login, password in DEMO_LOGINS:
            self.stdout.write(f"  {role:<28} {login:<36} {password}")
