from django.apps import AppConfig


class FoundationConfig(AppConfig):
    name = "onconav.foundation"
    label = "foundation"
    verbose_name = "Foundation"
