from django.urls import path

from onconav.kb import views

app_name = "kb"
urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("cancers/<str:code>/", views.cancer_detail, name="cancer"),
    path("drugs/<str:inn>/", views.drug_detail, name="drug"),
    path("modalities/<str:modality_id>/", views.modality_detail, name="modality"),
    path("evidence/<str:evidence_id>/", views.evidence_detail, name="evidence"),
]
