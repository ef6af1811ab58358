from django.apps import AppConfig


class KbConfig(AppConfig):
    name = "onconav.kb"
    label = "kb"
    verbose_name = "Knowledge base"
