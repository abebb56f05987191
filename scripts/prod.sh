#!/usr/bin/env bash
# `make prod`: the Procfile's roles on this machine with production settings (DEBUG=0, hashed
# static files, PostgreSQL, Redis): release (migrate) first, then web, worker and one beat
# under honcho. CI's production walk starts the portal through this very script.
#
# Secrets come from the environment or `.env` (SECRET_KEY, EMAIL_URL, TRUSTED_PROXY_COUNT: the
# settings stop with a message naming what is missing). Defaults below only say where this
# machine's services and loopback address are.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/${VENV:-.venv}/bin:$PATH"
export DEBUG=0 DJANGO_SETTINGS_MODULE=pix_portal.settings.base
export PORT="${PORT:-8000}"
export GUNICORN_BIND="${GUNICORN_BIND:-127.0.0.1:$PORT}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/pix_portal}"
export CELERY_BROKER_URL="${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/1}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
export SITE_URL="${SITE_URL:-http://127.0.0.1:$PORT}"
# Plain HTTP on loopback, no TLS proxy in front: nothing to redirect to. Behind a real proxy
# leave SECURE_SSL_REDIRECT unset (on).
export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-0}"

case "$DATABASE_URL" in
  postgres*) ;;
  *) echo "make prod : DATABASE_URL doit désigner PostgreSQL (reçu : $DATABASE_URL)." >&2; exit 1 ;;
esac

PYTHON=python scripts/collectstatic.sh
scripts/run-role.sh release
echo "Pix Portal (production) : http://$GUNICORN_BIND/ — web, worker et beat démarrent."
exec honcho start --procfile Procfile web worker beat
