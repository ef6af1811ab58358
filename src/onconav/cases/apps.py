from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "onconav.cases"
    label = "cases"
