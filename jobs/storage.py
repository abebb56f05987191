"""The private storage on the local disk (the one-machine mode): 0600 files in 0700 folders.

With the S3 variables set, settings point STORAGES["private"] at django-storages instead.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    def __init__(self, **options):
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700, **options)

    # Read the setting at each use (not once at start) so tests can point it at a tmp dir.
    @property
    def base_location(self):
        return settings.PRIVATE_STORAGE_ROOT

    @property
    def location(self):
        return str(self.base_location)

    @property
    def base_url(self):
        return None
