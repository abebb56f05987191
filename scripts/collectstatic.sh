#!/bin/sh
# Collects the static files as production serves them: hashed names, compressed copies and the
# manifest (whitenoise). Run at image build and by `make prod`. It reads no secret, but the
# production settings refuse to load without one: a throwaway key and placeholders stand in.
set -eu
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python}
DEBUG=0 \
SECRET_KEY=$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(50))') \
EMAIL_URL=smtp://localhost:25 \
TRUSTED_PROXY_COUNT=0 \
DATABASE_URL=sqlite:///:memory: \
  "$PYTHON" manage.py collectstatic --noinput --clear --verbosity 0
