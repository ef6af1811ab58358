from django.conf import settings


def site(request):  # type: ignore[no-untyped-def]
    return {"DEMO_DATA": settings.DEMO_DATA}
