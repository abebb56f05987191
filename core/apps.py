from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Outils communs"

    def ready(self):
        from .names import register_sqlite_function

        connection_created.connect(register_sqlite_function, dispatch_uid="pix_search_key")
