"""Private files (signed PVs, generated documents): under PRIVATE_STORAGE_ROOT, never served by a
URL of their own; views stream them to the members of the school after checking access."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    # Read the setting at each use (not once at import) so tests can point it at a tmp dir.
    @property
    def base_location(self):
        return settings.PRIVATE_STORAGE_ROOT

    @property
    def location(self):
        return str(self.base_location)

    @property
    def base_url(self):
        return None


def private_storage() -> PrivateStorage:
    return PrivateStorage()
