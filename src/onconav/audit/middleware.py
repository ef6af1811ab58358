from onconav.audit.services import NOT_RENDERED, audit_record, begin_request, end_request


class AuditContextMiddleware:
    """Marks responses that show patient data as not cacheable by browsers or proxies, and records
    every patient object an access helper handed to the view that no audit event named yet
    (whatever the response's status, except those in ``NOT_RENDERED``): the one place that makes
    a forgotten ``@audited`` or an error page showing a case impossible to miss."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request):  # type: ignore[no-untyped-def]
        tokens = begin_request()
        try:
            response = self.get_response(request)
        finally:
            accessed, recorded = end_request(tokens)
        status = getattr(response, "status_code", 200)
        if status not in NOT_RENDERED:
            seen = set(recorded)
            for object_type, object_id in accessed:
                if (object_type, object_id) in seen:
                    continue
                seen.add((object_type, object_id))
                audit_record(
                    request=request,
                    action="read" if request.method in ("GET", "HEAD") else "change",
                    object_type=object_type,
                    object_id=object_id,
                    detail={"status": status, "recorded_by": "access_helper"},
                )
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response.headers.setdefault("Cache-Control", "no-store, private")
        return response
