from django.apps import AppConfig


class CostsConfig(AppConfig):
    name = "onconav.costs"
    label = "costs"
