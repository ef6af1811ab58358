from django.urls import path

from onconav.trials import views

app_name = "trials"

urlpatterns = [
    path("", views.search, name="search"),
    path("for-my-case/", views.for_case, name="for_case"),
    path("for-case/<uuid:case_id>/", views.for_case, name="for_case_id"),
    path("<str:nct_id>/", views.detail, name="detail"),
]
