from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from onconav.accounts import services
from onconav.accounts.models import ApiToken, Role, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("email", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    # full_name is encrypted: not searchable.
    search_fields = ("email",)
    exclude = ("password",)
    actions = ["start_2fa_enrolment"]

    @admin.action(description=_("Start two-factor enrolment (staff)"))
    def start_2fa_enrolment(self, request, queryset):  # type: ignore[no-untyped-def]
        n = 0
        for user in queryset:
            if user.is_staff_role:
                services.totp_enrolment_start(user=user, actor=request.user, request=request)
                n += 1
        self.message_user(
            request, _("Enrolment started for %(n)s staff account(s).") % {"n": n}, messages.SUCCESS
        )

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # Staff accounts are deactivated, not deleted: the audit log keeps who they were.
        if obj is not None and obj.is_staff_role:
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):  # type: ignore[no-untyped-def]
        # Cases and consents protect a patient account from a bare delete; the erasure service
        # (delete_model) removes them in the right order, so they do not block the admin.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if all(getattr(o, "role", "") == Role.PATIENT for o in objs):
            protected = []
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):  # type: ignore[no-untyped-def]
        """A patient account is erased through the patient-rights service (files, consents,
        pseudonymised audit), never with a bare delete that the database would refuse."""
        if obj.role == Role.PATIENT:
            from onconav.privacy.services import account_erase

            account_erase(user=obj, request=request, actor=request.user)
        else:
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        for obj in list(queryset):
            self.delete_model(request, obj)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "name", "user", "created_at", "expires_at", "last_used_at", "revoked")
    readonly_fields = ("key_hash", "prefix", "expires_at")
    actions = ["revoke"]

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):  # type: ignore[no-untyped-def]
        for token in queryset:
            services.api_token_revoke(token=token, actor=request.user, request=request)
