from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "onconav.audit"
    label = "audit"
    verbose_name = "Audit log"
