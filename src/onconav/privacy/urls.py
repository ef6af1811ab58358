from django.urls import path

from onconav.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("withdraw/<str:kind>/", views.withdraw, name="withdraw"),
    path("export/", views.export, name="export"),
    path("erase/", views.erase, name="erase"),
]
