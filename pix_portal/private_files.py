"""Files the portal keeps under PRIVATE_STORAGE_ROOT for a short while (uploaded imports, one-time
credentials): what the purges share."""

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from django.conf import settings


def private_files_older_than(folder: str, older_than: datetime) -> Iterator[Path]:
    """The files of PRIVATE_STORAGE_ROOT/<folder> last written before `older_than`."""
    directory = Path(settings.PRIVATE_STORAGE_ROOT) / folder
    if not directory.is_dir():
        return
    limit = older_than.timestamp()
    for path in directory.iterdir():
        try:
            if path.stat().st_mtime < limit:
                yield path
        except FileNotFoundError:  # taken by a download or another purge meanwhile
            continue
