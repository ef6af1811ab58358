from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "onconav.documents"
    label = "documents"
    verbose_name = "Documents"
