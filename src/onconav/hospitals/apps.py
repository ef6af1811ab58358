from django.apps import AppConfig


class HospitalsConfig(AppConfig):
    name = "onconav.hospitals"
    label = "hospitals"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from onconav.hospitals.index import _record_saved
        from onconav.kb.models import KBRecord

        post_save.connect(_record_saved, sender=KBRecord, dispatch_uid="hospital-index-record-saved")
