"""An encrypted JSON column: a dict or list stored as one Fernet token (see foundation.encryption)."""

from __future__ import annotations

import json
from typing import Any

from onconav.foundation.encryption import EncryptedTextField, encrypt_bytes


class EncryptedJSONField(EncryptedTextField):
    """JSON encrypted at rest. Not searchable; keep filterable facts in plain columns."""

    description = "JSON encrypted at rest"

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
        return encrypt_bytes(text.encode("utf-8")).decode("ascii")

    def from_db_value(self, value, expression, connection):  # type: ignore[no-untyped-def]
        text = super().from_db_value(value, expression, connection)
        if text is None or text == "":
            return None
        return json.loads(text)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return json.loads(value)
            except json.JSONDecodeError:
                return value
        return value

    def value_to_string(self, obj: Any) -> str:
        return json.dumps(self.value_from_object(obj), default=str)
