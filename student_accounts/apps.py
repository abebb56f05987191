from django.apps import AppConfig


class StudentAccountsConfig(AppConfig):
    name = "student_accounts"
    verbose_name = "Comptes des élèves"
