from typing import Any

from django.conf import settings


def site(request) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {
        "DEMO_DATA": settings.DEMO_DATA,
        "CONTACT": {
            "phone": settings.CONTACT_PHONE,
            "email": settings.CONTACT_EMAIL,
            "whatsapp": settings.CONTACT_WHATSAPP,
            "wechat": settings.CONTACT_WECHAT,
        },
    }
