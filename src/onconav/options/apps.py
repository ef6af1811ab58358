from django.apps import AppConfig


class OptionsConfig(AppConfig):
    name = "onconav.options"
    label = "options"
    verbose_name = "Treatment options"
