from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "onconav.privacy"
    label = "privacy"
    verbose_name = "Patient rights (consent withdrawal, export, erasure)"
