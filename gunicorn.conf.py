"""gunicorn's settings (read from the working directory by `gunicorn pix_portal.wsgi`).

Bound to loopback (127.0.0.1:$PORT, 8000) unless GUNICORN_BIND says otherwise: the reverse
proxy that terminates TLS runs on the same host, or reaches the web container over a private
network. A gunicorn that visitors reach directly would let them forge the X-Forwarded-* headers.
"""

import os

_address = os.environ.get("GUNICORN_BIND") or "127.0.0.1"
_port = os.environ.get("PORT", "8000")
# A host alone (a PaaS: GUNICORN_BIND=0.0.0.0 on its private network) takes the platform's PORT.
bind = _address if ":" in _address.rsplit("]", 1)[-1] else f"{_address}:{_port}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# PDF and export requests stay under this; a stuck worker is replaced after it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = "-"
# gunicorn's control socket has one path per user: several instances on a host (replicas, CI
# beside a developer's) would take each other's. Nothing here uses it.
control_socket_disable = True
