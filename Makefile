# Two commands for a newcomer: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
# Two stamps: `make run` installs what the portal needs, `make test` adds the test tools.
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test install install-dev lint format typecheck services-run migrate demo clean prod lock check-repo

$(PY):
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 est requis ($(PYTHON) introuvable)."; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Exact versions and hashes from the lock files (`make lock` regenerates them from pyproject.toml).
$(STAMP): requirements.lock | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	touch $(STAMP)

$(DEV_STAMP): requirements-dev.lock $(STAMP)
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $(DEV_STAMP)

install: $(STAMP)

install-dev: $(DEV_STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

run: demo
	@if [ -n "$$CELERY_BROKER_URL" ]; then \
		echo "Celery : un worker et un beat démarrent (CELERY_BROKER_URL=$$CELERY_BROKER_URL)"; \
		$(VENV)/bin/celery -A pix_portal worker --loglevel=INFO --concurrency=2 & \
		$(VENV)/bin/celery -A pix_portal beat --loglevel=INFO --schedule=$(VENV)/celerybeat-schedule & \
		trap 'kill 0' EXIT; \
		$(PY) manage.py runserver 127.0.0.1:8000; \
	else \
		echo "Tâches exécutées en ligne (pas de CELERY_BROKER_URL)."; \
		$(PY) manage.py runserver 127.0.0.1:8000; \
	fi

# Browser tests need Debian's chromium; install it when missing (root, or sudo).
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium fonts-dejavu-core

test: install-dev $(CHROMIUM) check-repo
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	$(PY) -m pytest $(PYTEST_ARGS)

# The type checker (django-stubs): settings in pyproject.toml, strict on services, selectors, views.
typecheck: install-dev
	$(VENV)/bin/mypy

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache

# The checks of .pre-commit-config.yaml besides ruff: no merge-conflict markers, no large file.
check-repo: | $(PY)
	$(PY) scripts/check_repo.py

# Production on this machine: DEBUG=0, hashed static files, PostgreSQL and Redis, the Procfile's
# release then web (gunicorn), worker and one beat under honcho. See docs/operations.md.
prod: install
	scripts/prod.sh

# Regenerate both lock files after a change of pyproject.toml, keeping the other pins
# (`make lock LOCK_ARGS=--upgrade` upgrades everything within the bounds). The
# runtime lock (the image) constrains the dev one, so both pin the same runtime versions.
UV_COMPILE = $(VENV)/bin/uv pip compile pyproject.toml --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make lock" --quiet
lock: | $(PY)
	@test -x $(VENV)/bin/uv || $(PY) -m pip install --quiet 'uv>=0.13,<0.14'
	$(UV_COMPILE) -o requirements.lock $(LOCK_ARGS)
	$(UV_COMPILE) --extra dev -c requirements.lock -o requirements-dev.lock $(LOCK_ARGS)
