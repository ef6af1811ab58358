from __future__ import annotations

from django.db.models import QuerySet

from onconav.audit.models import AuditEvent


def audit_events_filtered(
    *, actor: str = "", object_type: str = "", object_id: str = "", action: str = ""
) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.select_related("actor").all()
    if actor:
        qs = qs.filter(actor_email__icontains=actor.strip())
    if object_type:
        qs = qs.filter(object_type=object_type.strip())
    if object_id:
        qs = qs.filter(object_id=object_id.strip())
    if action:
        qs = qs.filter(action=action.strip())
    return qs
