"""Two-factor authentication is required for every staff role."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse

# Paths a signed-in staff member may reach before completing 2FA.
_OPEN_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/static/", "/i18n/", "/api/v1/health")


class StaffTwoFactorMiddleware:
    """Sends a signed-in staff member who has not passed TOTP verification this session to the
    verification page (or to set-up, when they have no device yet). API requests authenticated by
    token are not affected (tokens are issued only after 2FA)."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request):  # type: ignore[no-untyped-def]
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "is_staff_role", False)
            and not user.is_verified()
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse({"detail": "Two-factor verification required.", "errors": []}, status=403)
            return redirect(f"{reverse('accounts:otp_verify')}?next={request.get_full_path()}")
        return self.get_response(request)
