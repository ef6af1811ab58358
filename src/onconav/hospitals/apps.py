from django.apps import AppConfig


class HospitalsConfig(AppConfig):
    name = "onconav.hospitals"
    label = "hospitals"
