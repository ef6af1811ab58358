from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "onconav.content"
    label = "content"
