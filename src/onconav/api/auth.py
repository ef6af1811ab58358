"""API authentication: a personal token (``Authorization: Bearer onv_...``) or the browser session
(with CSRF). Staff sessions must have passed 2FA (the middleware enforces it)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from onconav.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):  # type: ignore[no-untyped-def]
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


class VerifiedSessionAuth(SessionAuth):
    def authenticate(self, request: HttpRequest, key):  # type: ignore[no-untyped-def]
        user = super().authenticate(request, key)
        if user and getattr(user, "is_staff_role", False) and not user.is_verified():
            return None
        return user


token_auth = TokenAuth()
session_auth = VerifiedSessionAuth()
AUTH = [token_auth, session_auth]
