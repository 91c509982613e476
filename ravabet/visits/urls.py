from django.urls import path

from . import views

app_name = "visits"
urlpatterns = [
    path("visits/", views.visit_list, name="list"),
    path("visits/new/", views.visit_create, name="create"),
    path("visits/monthly/", views.monthly, name="monthly"),
    path("visits/actions/", views.action_list, name="actions"),
    path("visits/places/", views.places, name="places"),
    path("visits/places/new/", views.place_create, name="place_create"),
    path("visits/places/<int:pk>/edit/", views.place_edit, name="place_edit"),
    path("visits/<int:pk>/report.pdf", views.visit_pdf, name="pdf"),
    path("visits/photos/<int:pk>/", views.photo, name="photo"),
    path("visits/<int:pk>/", views.visit_detail, name="detail"),
    path("visits/<int:pk>/edit/", views.visit_edit, name="edit"),
    path("visits/<int:pk>/done/", views.visit_record, name="record"),
    path("visits/<int:pk>/replan/", views.visit_replan, name="replan"),
    path("visits/<int:pk>/photos/new/", views.photo_add, name="photo_add"),
    path("visits/<int:pk>/actions/new/", views.action_add, name="action_add"),
]
