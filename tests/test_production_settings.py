"""Production (DEBUG=0) refuses to start on development defaults, with a message naming the
variable to set: each test starts Django in a subprocess, as gunicorn, Celery or manage.py do."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "k8#Qz!v2@Lp9$Xw4^Tn7&Rb1*Hs6(Jd3)Fg5_Ym0+Uc" * 2


def production_env(tmp_path, **overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "EMAIL_URL", "TRUSTED_PROXY_COUNT", "DEBUG"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="pix_portal.settings.base",
        DEBUG="0",
        SECRET_KEY=STRONG_KEY,
        EMAIL_URL="smtp+tls://portail:secret@smtp.example.fr:587",
        TRUSTED_PROXY_COUNT="1",
        ALLOWED_HOSTS="pix-portal.example.fr",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def start_django(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_starts_and_check_deploy_is_clean_with_complete_settings(tmp_path):
    result = start_django(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY manquante"),
        ({"SECRET_KEY": "short-key-0123456789"}, "SECRET_KEY trop faible"),
        ({"SECRET_KEY": "ab" * 40}, "SECRET_KEY trop faible"),
        ({"EMAIL_URL": None}, "EMAIL_URL manquante"),
        ({"EMAIL_URL": "consolemail://"}, "EMAIL_URL manquante"),
        ({"TRUSTED_PROXY_COUNT": None}, "TRUSTED_PROXY_COUNT manquant"),
        ({"TRUSTED_PROXY_COUNT": "deux"}, "TRUSTED_PROXY_COUNT manquant"),
    ],
    ids=[
        "no-key",
        "short-key",
        "repetitive-key",
        "no-email",
        "console-email",
        "no-proxy",
        "bad-proxy",
    ],
)
def test_production_stops_with_a_message_naming_what_is_missing(tmp_path, overrides, message):
    result = start_django(production_env(tmp_path, **overrides), "check")
    assert result.returncode != 0
    assert "Configuration de production incomplète" in result.stderr
    assert message in result.stderr


def test_every_problem_is_listed_at_once(tmp_path):
    env = production_env(tmp_path, SECRET_KEY=None, EMAIL_URL=None, TRUSTED_PROXY_COUNT=None)
    result = start_django(env, "check")
    assert result.returncode != 0
    for message in ("SECRET_KEY manquante", "EMAIL_URL manquante", "TRUSTED_PROXY_COUNT manquant"):
        assert message in result.stderr


def test_the_gunicorn_web_process_refuses_to_boot_without_a_secret_key(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "pix_portal.wsgi", "--bind", "127.0.0.1:0"],
        cwd=ROOT,
        env=production_env(tmp_path, SECRET_KEY=None),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY manquante" in result.stderr


def test_development_keeps_its_defaults_without_any_of_them(tmp_path):
    env = production_env(
        tmp_path, DEBUG="1", SECRET_KEY=None, EMAIL_URL=None, TRUSTED_PROXY_COUNT=None
    )
    code = "from django.conf import settings; print(settings.EMAIL_BACKEND)"
    result = start_django(env, "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert "console" in result.stdout
