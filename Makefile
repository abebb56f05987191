# Two commands for a newcomer: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
# Two stamps: `make run` installs what the portal needs, `make test` adds the test tools.
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test install install-dev lint format services-run migrate demo clean

$(PY):
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 est requis ($(PYTHON) introuvable)."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $(STAMP)

$(DEV_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev]'
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

test: install-dev $(CHROMIUM)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest $(PYTEST_ARGS)

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
