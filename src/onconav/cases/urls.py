from django.urls import path

from onconav.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("queue/", views.queue, name="queue"),
    path("documents/<uuid:document_id>/", views.document_download, name="document"),
    path("<uuid:case_id>/", views.detail, name="detail"),
    path("<uuid:case_id>/transition/", views.transition, name="transition"),
    path("<uuid:case_id>/assign/", views.assign, name="assign"),
    path("<uuid:case_id>/messages/", views.message_post, name="message"),
    path("<uuid:case_id>/notes/", views.note_post, name="note"),
    path("<uuid:case_id>/documents/", views.document_upload, name="upload"),
    path("<uuid:case_id>/options.pdf", views.options_pdf, name="options_pdf"),
    path("<uuid:case_id>/opinion/", views.opinion_post, name="opinion"),
    path("<uuid:case_id>/referrals/", views.referral_post, name="referral"),
    path(
        "<uuid:case_id>/referrals/<uuid:referral_id>/respond/",
        views.referral_respond,
        name="referral_respond",
    ),
    path("<uuid:case_id>/quotes/new/", views.quote_new, name="quote_new"),
    path("<uuid:case_id>/quotes/<uuid:quote_id>/send/", views.quote_send, name="quote_send"),
    path("<uuid:case_id>/quotes/<uuid:quote_id>/accept/", views.quote_accept, name="quote_accept"),
    path("<uuid:case_id>/travel/", views.travel_edit, name="travel"),
    path("<uuid:case_id>/visa-letter.pdf", views.visa_letter, name="visa_letter"),
    path("<uuid:case_id>/appointments/", views.appointment_post, name="appointment"),
    path("<uuid:case_id>/follow-up/", views.follow_up, name="follow_up"),
    path("<uuid:case_id>/export.json", views.fhir_export, name="fhir"),
]
