from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Membership, Organization, User
from accounts.services import organization_create


class Command(BaseCommand):
    help = "Crée un établissement et son premier administrateur (sans effet si l'UAI existe)."

    def add_arguments(self, parser):
        parser.add_argument("--uai", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument(
            "--type", default=Organization.Type.SCO, choices=Organization.Type.values
        )
        parser.add_argument("--tz", default="Europe/Paris")
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-password", required=True)

    @transaction.atomic
    def handle(self, *args, uai, name, type, tz, admin_email, admin_password, **options):
        try:
            organization, created = organization_create(
                uai=uai, name=name, type=type, timezone_name=tz
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        user = User.objects.filter(email__iexact=admin_email).first()
        if user is None:
            user = User.objects.create_user(email=admin_email, password=admin_password)
        Membership.objects.get_or_create(
            user=user, organization=organization, defaults={"role": Membership.Role.ADMIN}
        )
        verb = "créé" if created else "déjà présent"
        self.stdout.write(f"Établissement {organization.uai} {verb} : {organization.name}")
        self.stdout.write(f"Administrateur : {user.email}")
