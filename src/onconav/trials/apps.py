from django.apps import AppConfig


class TrialsConfig(AppConfig):
    name = "onconav.trials"
    label = "trials"
    verbose_name = "Clinical trials"
