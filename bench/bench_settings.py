"""Settings of bench_pages.py: the test settings (DEBUG off, no HTTPS redirect, database from
DATABASE_URL) with an empty page added to the URLs."""

from pix_portal.settings.test import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
