"""Re-encrypt every encrypted field with the first key of FIELD_ENCRYPTION_KEY.

Rotation: put the new key first (``NEW,OLD``), deploy, run this command, then drop OLD.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from onconav.foundation.encryption import EncryptedTextField


class Command(BaseCommand):
    help = "Re-encrypt encrypted fields with the current primary key."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        total = 0
        for model in apps.get_models():
            fields = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            if not fields:
                continue
            with transaction.atomic():
                for obj in model._base_manager.select_for_update().only("pk", *fields).iterator():
                    # Reading decrypts with any key; saving encrypts with the first.
                    obj.save(update_fields=fields)
                    total += 1
        self.stdout.write(f"re-encrypted {total} row(s)")
