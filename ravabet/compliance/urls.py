from django.urls import path

from . import views

app_name = "compliance"
urlpatterns = [
    path("instruction/", views.catalog, name="catalog"),
    path("instruction/scorecard/", views.scorecard, name="scorecard"),
]
