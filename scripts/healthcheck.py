"""The image's HEALTHCHECK: GET /health/ on the local gunicorn, exit 0 when it answers 200.

/health/ is exempt from the HTTPS redirect; the request names the first ALLOWED_HOSTS entry so
Django's host check accepts it as it accepts the reverse proxy's."""

import os
import sys
import urllib.request


def main() -> int:
    # gunicorn.conf.py's address: GUNICORN_BIND as host:port, or a host alone and PORT.
    bind = os.environ.get("GUNICORN_BIND") or "127.0.0.1"
    has_port = ":" in bind.rsplit("]", 1)[-1]
    port = bind.rsplit(":", 1)[-1] if has_port else os.environ.get("PORT", "8000")
    host = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip().lstrip(".")
    request = urllib.request.Request(  # noqa: S310 — a fixed http URL on loopback
        f"http://127.0.0.1:{port}/health/", headers={"Host": host if host != "*" else "localhost"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return 0 if response.status == 200 else 1
    except OSError as error:
        print(f"/health/ : {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
