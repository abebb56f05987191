"""Password slips PDF (tagged PDF/UA) for 1 000 students: time and peak memory of the layout.

Objects are built in memory (no database): this measures what the reset task spends on the
slips once the passwords are written. Run: .venv/bin/python bench/bench_slips_pdf.py [--count N]
"""

import argparse
import os
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    count = parser.parse_args().count
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pix_portal.settings.base")
    import django

    django.setup()
    from student_accounts.documents import password_slips_render

    lines = [
        SimpleNamespace(
            last_name=f"NOM{n:04d}",
            first_name="Aurélie",
            division=f"3E{n % 8}",
            identifiant=f"aurelie.nom{n:04d}",
            password=f"abcd-efgh-{n:04d}",
        )
        for n in range(count)
    ]
    started, cpu = time.perf_counter(), time.process_time()
    content = password_slips_render(
        organization=SimpleNamespace(name="Collège du banc d'essai"),
        lines=lines,
        expires_at=datetime.now(UTC) + timedelta(days=30),
    )
    print(
        f"{count} slips: {time.perf_counter() - started:.1f} s "
        f"(CPU {time.process_time() - cpu:.1f} s), {len(content) // 1024} KiB, "
        f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB"
    )


if __name__ == "__main__":
    main()
