from django.urls import path

from onconav.options import views

app_name = "options"
urlpatterns = [
    path("", views.options_page, name="page"),
    path("upload/", views.options_upload, name="upload"),
    path("report.pdf", views.options_report_pdf, name="report_pdf"),
]
