from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .logins import login_normalize


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


class NotTheLoginValidator:
    """The identifiant (or the e-mail's name) with "A1" added is the first guess of anyone
    trying an account: a password may not contain the login, whatever its case or punctuation."""

    MIN_LOGIN_LENGTH = 4

    def validate(self, password, user=None):
        if user is None:
            return
        squashed = _letters_and_digits(password)
        logins = [user.username or "", (user.email or "").split("@")[0]]
        for login in map(_letters_and_digits, logins):
            if len(login) >= self.MIN_LOGIN_LENGTH and login in squashed:
                raise ValidationError(
                    _("Le mot de passe ne doit pas reprendre votre identifiant ou votre adresse."),
                    code="password_contains_login",
                )

    def get_help_text(self):
        return _("Il ne reprend pas votre identifiant ni votre adresse e-mail.")


def _letters_and_digits(text: str) -> str:
    """'Lea.Martin-0103' -> 'leamartin0103' (NFKC first: full-width letters count too)."""
    return "".join(c for c in login_normalize(text) if c.isalnum())
