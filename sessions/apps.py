from django.apps import AppConfig


class CertifSessionsConfig(AppConfig):
    # django.contrib.sessions already takes the label "sessions".
    name = "sessions"
    label = "certif_sessions"
    verbose_name = "Sessions de certification"
