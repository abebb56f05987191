"""gunicorn's settings (read from the working directory by `gunicorn pix_portal.wsgi`).

Bound to loopback unless GUNICORN_BIND says otherwise: the reverse proxy that terminates TLS
runs on the same host, or reaches the web container over a private network. A gunicorn that
visitors reach directly would let them forge the X-Forwarded-* headers.
"""

import os

bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# PDF and export requests stay under this; a stuck worker is replaced after it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = "-"
# gunicorn's control socket has one path per user: several instances on a host (replicas, CI
# beside a developer's) would take each other's. Nothing here uses it.
control_socket_disable = True
