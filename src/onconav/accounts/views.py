from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import user_has_device

from onconav.accounts import services, throttle
from onconav.accounts.forms import EmailAuthenticationForm, OTPTokenForm
from onconav.foundation.ratelimit import client_ip, hit, ratelimit


class LoginView(auth_views.LoginView):
    """Sign-in with the throttles of ``accounts.throttle`` before the password is even checked."""

    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:  # type: ignore[no-untyped-def]
        email = request.POST.get("username", "")
        wait = throttle.wait_seconds(request, email)
        if wait:
            response = render(
                request,
                "accounts/login_wait.html",
                {"wait": wait},
                status=429,
            )
            response["Retry-After"] = str(wait)
            return response
        response = super().post(request, *args, **kwargs)
        if response.status_code == 302:
            throttle.record_success(email)
        elif request.POST:
            throttle.record_failure(request, email)
        return response


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Password reset: at most PASSWORD_RESET_PER_IP requests an hour per address (HTTP 429)
    and PASSWORD_RESET_PER_EMAIL emails an hour per address asked for. Past the per-email limit
    the page looks the same but no email goes (so that it neither floods a mailbox nor reveals
    whether an account exists)."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:  # type: ignore[no-untyped-def]
        from django.conf import settings

        if not hit(
            f"pwreset-ip:{client_ip(request)}", limit=settings.PASSWORD_RESET_PER_IP, window_seconds=3600
        ):
            return HttpResponse(
                _("Too many requests. Please wait a minute and try again."),
                status=429,
                content_type="text/plain; charset=utf-8",
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        import hashlib

        from django.conf import settings
        from django.http import HttpResponseRedirect

        email = form.cleaned_data["email"].strip().lower()
        key = "pwreset-email:" + hashlib.sha256(email.encode()).hexdigest()
        if not hit(key, limit=settings.PASSWORD_RESET_PER_EMAIL, window_seconds=3600):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


def _safe_next(request: HttpRequest, default: str = "pages:landing") -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    from django.urls import reverse

    return reverse(default)


@login_required
@ratelimit("otp", limit=10, window_seconds=300)
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    if not user_has_device(request.user, confirmed=True):
        return redirect("accounts:otp_setup")
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.otp_verify(request=request, token=form.cleaned_data["token"]):
            return redirect(_safe_next(request))
        form.add_error("token", _("That code is not right or has expired. Try the current code."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": request.GET.get("next", "")})


@login_required
@ratelimit("otp", limit=10, window_seconds=300)
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    if user_has_device(request.user, confirmed=True):
        return redirect("accounts:otp_verify")
    device = services.totp_device_for_setup(user=request.user)
    if device is None:
        # Enrolment is started by an administrator; a password alone cannot add a device.
        return render(request, "accounts/otp_not_enrolled.html", status=403)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_confirm(request=request, device=device, token=form.cleaned_data["token"]):
            messages.success(request, _("Two-factor authentication is now on for your account."))
            return redirect(_safe_next(request))
        form.add_error("token", _("That code is not right. Check the time on your phone and try again."))
    img = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buf = io.BytesIO()
    img.save(buf)
    import base64

    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/otp_setup.html",
        {"form": form, "qr_svg": buf.getvalue().decode(), "secret": secret},
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/dashboard.html", {"role_label": request.user.get_role_display()})


@login_required
@require_http_methods(["POST"])
@ratelimit("verify-email", limit=5, window_seconds=600)
def verify_email_send(request: HttpRequest) -> HttpResponse:
    """Send the signed-in account a link that confirms its email address (at most
    SIGNUP_EMAILS_PER_EMAIL an hour)."""
    from onconav.accounts.verification import verify_email_send as send

    if request.user.email_verified:
        messages.info(request, _("Your email address is already confirmed."))
    elif send(request=request, user=request.user):
        messages.success(
            request,
            _("We sent a link to %(email)s. Open it to confirm your email address.")
            % {"email": request.user.email},
        )
    else:
        messages.error(
            request, _("Several links were sent in the last hour. Use the latest, or try again later.")
        )
    return redirect(_safe_next(request, default="accounts:dashboard"))


@require_http_methods(["GET", "POST"])
@ratelimit("verify-email", limit=10, window_seconds=600)
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    """The verification link. GET shows a button (mail scanners that open links change nothing);
    POST confirms the address, once."""
    from onconav.accounts.verification import mark_verified, user_from_verify_token
    from onconav.audit.services import audit_record

    user = user_from_verify_token(token)
    if user is None:
        return render(request, "accounts/verify_email_invalid.html", status=400)
    if request.method == "POST":
        mark_verified(user)
        audit_record(
            request=request,
            actor=user,
            action="email_verify",
            object_type="user",
            object_id=str(user.public_id),
        )
        messages.success(request, _("Your email address is confirmed. Thank you."))
        if request.user.is_authenticated and request.user.pk == user.pk:
            return redirect("accounts:dashboard")
        return redirect("accounts:login")
    return render(request, "accounts/verify_email.html", {"email": user.email})


class VerifyingPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing a new password from the emailed link also proves the address."""

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        from onconav.accounts.verification import mark_verified

        response = super().form_valid(form)
        mark_verified(form.user)
        return response
