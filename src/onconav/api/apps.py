from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "onconav.api"
    label = "api"
    verbose_name = "REST API"
