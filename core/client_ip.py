"""The visitor's IP address, the one source for the lockout (axes) and every rate limit.

Behind TRUSTED_PROXY_COUNT reverse proxies, each proxy appends to X-Forwarded-For the address
it was reached from: the client's address is the TRUSTED_PROXY_COUNT-th from the right; anything
further left was written by the client and is ignored. With 0 (gunicorn faces the visitors),
only REMOTE_ADDR counts, so a forged X-Forwarded-For or X-Real-IP changes nothing.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote_addr
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        # Not the path through our proxies: the peer's own address is the only one to trust.
        return remote_addr
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote_addr
