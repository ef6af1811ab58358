from django.urls import path

from onconav.content import views

app_name = "content"
urlpatterns = [
    path("", views.guide_index, name="index"),
    path("faq/", views.faq, name="faq"),
    path("search/", views.search, name="search"),
    path("<slug:slug>/", views.article, name="article"),
]
