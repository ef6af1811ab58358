from django.urls import path

from onconav.hospitals import views

app_name = "hospitals"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("map/", views.city_map, name="map"),
    path("match/", views.match, name="match"),
    path("changes/review/", views.review_changes, name="review"),
    path("<str:hospital_id>/", views.detail, name="detail"),
    path("<str:hospital_id>/propose-change/", views.propose_change, name="propose"),
]
