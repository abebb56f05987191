"""Production refuses to start on development defaults.

Imported by base.py when DEBUG is off: a missing secret, the console e-mail backend or an
unstated proxy set-up stops the process (web, worker, beat, manage.py) with one message naming
every variable to set, instead of running on a key from the repository or printing
password-reset links in the server's output.
"""

from django.core.exceptions import ImproperlyConfigured

# The thresholds of Django's `check --deploy` (security.W009).
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def _problems(
    *, secret_key: str | None, email_backend: str, trusted_proxy_count: str | None
) -> list[str]:
    problems = []
    if not secret_key:
        problems.append(
            "SECRET_KEY manquante : donnez une clé aléatoire d'au moins "
            f"{SECRET_KEY_MIN_LENGTH} caractères, par exemple la sortie de "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    elif (
        len(secret_key) < SECRET_KEY_MIN_LENGTH
        or len(set(secret_key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
        or secret_key.startswith("django-insecure-")
    ):
        problems.append(
            f"SECRET_KEY trop faible : au moins {SECRET_KEY_MIN_LENGTH} caractères dont "
            f"{SECRET_KEY_MIN_UNIQUE_CHARACTERS} différents, tirés au hasard "
            "(`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )
    if email_backend != SMTP_BACKEND:
        problems.append(
            "EMAIL_URL manquante ou sans serveur SMTP : les liens de réinitialisation de mot "
            "de passe partiraient dans la sortie du serveur. Exemple : "
            "EMAIL_URL=smtp+tls://utilisateur:mot-de-passe@smtp.example.fr:587"
        )
    if trusted_proxy_count is None or not trusted_proxy_count.strip().isdigit():
        problems.append(
            "TRUSTED_PROXY_COUNT manquant : le nombre de proxys inverses devant gunicorn "
            "(0 si gunicorn reçoit directement les visiteurs, 1 derrière un seul proxy). "
            "Il sert à trouver l'adresse IP du visiteur pour le verrouillage des comptes et "
            "les limites de débit."
        )
    return problems


def refuse_unsafe_production_settings(
    *, secret_key: str | None, email_backend: str, trusted_proxy_count: str | None
) -> None:
    problems = _problems(
        secret_key=secret_key, email_backend=email_backend, trusted_proxy_count=trusted_proxy_count
    )
    if problems:
        raise ImproperlyConfigured(
            "Configuration de production incomplète (DEBUG=0), le portail ne démarre pas :\n- "
            + "\n- ".join(problems)
        )
