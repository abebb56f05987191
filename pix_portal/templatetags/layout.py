"""Tags of the site's layout (base.html), which every page renders."""

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()


@lru_cache(maxsize=1024)
def _reversed(urlconf: str | None, prefix: str, name: str, args: tuple[object, ...]) -> str:
    return reverse(name, urlconf=urlconf, args=args)


@register.simple_tag
def layout_url(name: str, *args: object) -> str:
    """`{% url %}` for the header, menu and footer links, the same dozen URLs on every page, and
    for links a page repeats by the hundred (the readiness board's cells): reversed once per
    process rather than each time (about 20 µs each)."""
    return _reversed(get_urlconf(), get_script_prefix(), name, args)
