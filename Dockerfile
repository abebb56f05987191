# syntax=docker/dockerfile:1
# Pix Portal's image: one image, every role of the Procfile (`docker run IMAGE web|worker|beat|
# release`). It only wraps scripts that CI runs on every change: scripts/collectstatic.sh,
# scripts/run-role.sh (the Procfile) and scripts/healthcheck.py.

# --- Build: the locked dependencies in a virtualenv, the static files collected and hashed ----
FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY requirements.lock /tmp/requirements.lock
RUN pip install --require-hashes --no-deps -r /tmp/requirements.lock
WORKDIR /app
COPY . .
RUN PYTHON=python scripts/collectstatic.sh && python -m compileall -q /app

# --- Run: slim Debian, Pango for WeasyPrint's PDFs, a user without privileges -----------------
FROM python:3.11-slim-bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin pix \
    && install -d -o pix -g pix /data/media
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DEBUG=0 \
    DJANGO_SETTINGS_MODULE=pix_portal.settings.base \
    MEDIA_ROOT=/data/media \
    GUNICORN_BIND=0.0.0.0:8000
USER pix
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "scripts/healthcheck.py"]
ENTRYPOINT ["scripts/run-role.sh"]
CMD ["web"]
