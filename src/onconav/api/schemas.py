from __future__ import annotations

from ninja import Schema


class FieldError(Schema):
    field: str
    message: str


class ErrorBody(Schema):
    detail: str
    errors: list[FieldError] = []


class Health(Schema):
    status: str
    database: str
    version: str
    knowledge_base_version: str | None = None
