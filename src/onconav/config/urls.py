from django.contrib import admin
from django.urls import include, path

from onconav.api.main import api

urlpatterns = [
    path("", include("onconav.pages.urls")),
    path("accounts/", include("onconav.accounts.urls")),
    path("kb/", include("onconav.kb.urls")),
    path("options/", include("onconav.options.urls")),
    path("hospitals/", include("onconav.hospitals.urls")),
    path("costs/", include("onconav.costs.urls")),
    path("guide/", include("onconav.content.urls")),
    path("start/", include("onconav.intake.urls")),
    path("cases/", include("onconav.cases.urls")),
    path("trials/", include("onconav.trials.urls")),
    path("staff/audit/", include("onconav.audit.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler404 = "onconav.pages.views.error_404"
handler500 = "onconav.pages.views.error_500"
handler403 = "onconav.pages.views.error_403"
