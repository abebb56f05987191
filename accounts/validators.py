from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MixedCharactersValidator:
    """Passwords chosen by people need an upper-case letter, a lower-case letter and a digit."""

    def validate(self, password, user=None):
        if not (
            any(c.isupper() for c in password)
            and any(c.islower() for c in password)
            and any(c.isdigit() for c in password)
        ):
            raise ValidationError(
                _("Le mot de passe doit contenir une majuscule, une minuscule et un chiffre."),
                code="password_not_mixed",
            )

    def get_help_text(self):
        return _("Au moins une majuscule, une minuscule et un chiffre.")
