from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "onconav.pages"
    label = "pages"
    verbose_name = "Public pages"
