from django.urls import path

from onconav.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.start, name="start"),
    path("tasks/", views.tasks, name="tasks"),
    path("from-options/", views.from_options, name="from_options"),
    path("step/<slug:slug>/", views.step, name="step"),
    path("records/", views.documents, name="documents"),
    path("records/<uuid:document_id>/", views.document_view, name="document"),
    path("records/<uuid:document_id>/delete/", views.document_delete, name="document_delete"),
    path("check/", views.check, name="check"),
    path("account/", views.account, name="account"),
    path("account/sent/", views.account_sent, name="account_sent"),
    path("account/confirm/<str:token>/", views.account_confirm, name="account_confirm"),
    path("send/", views.submit, name="submit"),
]
