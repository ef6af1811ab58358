"""Re-encrypt every encrypted field with the first key of FIELD_ENCRYPTION_KEY.

Rotation: put the new key first (``NEW,OLD``), deploy, run this command, then drop OLD. Uploaded
records (encrypted files) are re-encrypted too.
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
        self.stdout.write(f"re-encrypted {rotate_document_files()} stored file(s)")


def rotate_document_files() -> int:
    """Uploaded records: each file re-encrypted into a new file, the document pointed at it in a
    transaction, the old file deleted after commit (a failure leaves the old file in use)."""
    from onconav.cases import documents as storage
    from onconav.cases.models import Document

    count = 0
    for doc_id, old in Document.objects.values_list("pk", "storage_name").iterator():
        new = storage.rotate_stored(old)
        try:
            with transaction.atomic():
                Document.objects.filter(pk=doc_id, storage_name=old).update(storage_name=new)
                transaction.on_commit(lambda old=old: storage.delete_stored(old))
        except Exception:
            storage.delete_stored(new)
            raise
        count += 1
    return count
