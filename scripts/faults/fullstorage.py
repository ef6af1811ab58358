"""A file storage whose volume is full: every write fails with ENOSPC (scripts/faults/run.py)."""

from __future__ import annotations

import errno

from django.core.files.storage import FileSystemStorage


class FullVolumeStorage(FileSystemStorage):
    def _save(self, name, content):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")
