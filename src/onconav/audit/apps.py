from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "onconav.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from onconav.audit.services import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="onconav-audit-sqlite")
