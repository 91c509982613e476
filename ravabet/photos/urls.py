from django.urls import path

from . import views

app_name = "photos"
urlpatterns = [
    path("photos/", views.library, name="library"),
    path("photos/rules/", views.rules, name="rules"),
    path("photos/<int:pk>/original/", views.original, name="original"),
    path("photos/<int:pk>/caption/", views.caption, name="caption"),
]
