from django.apps import AppConfig
from django.db.backends.signals import connection_created


class StudentsConfig(AppConfig):
    name = "students"
    verbose_name = "Élèves"

    def ready(self):
        from .search import register_sqlite_function

        connection_created.connect(register_sqlite_function, dispatch_uid="pix_search_key")
