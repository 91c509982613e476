from django.urls import path

from . import views

app_name = "workflow"

urlpatterns = [
    path("<str:label>/<int:pk>/<str:name>/", views.transition, name="transition"),
]
