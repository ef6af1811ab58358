from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema

router = Router(tags=["accounts"])


class Me(Schema):
    id: UUID
    email: str
    full_name: str
    role: str
    preferred_language: str


@router.get("/me", response=Me, summary="The signed-in user")
def me(request: HttpRequest):  # type: ignore[no-untyped-def]
    u = request.auth  # type: ignore[attr-defined]
    return {
        "id": u.public_id,
        "email": u.email,
        "full_name": u.full_name,
        "role": u.role,
        "preferred_language": u.preferred_language,
    }
