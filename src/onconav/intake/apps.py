from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "onconav.intake"
    label = "intake"
