from django.urls import path

from . import views

app_name = "offices"
urlpatterns = [
    path("unit/switch/", views.switch_unit, name="switch_unit"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/archive/", views.staff_archive, name="staff_archive"),
    path("units/", views.unit_list, name="unit_list"),
    path("accounts/two-factor/", views.two_factor, name="two_factor"),
    path("closures/", views.closure_list, name="closures"),
    path("closures/<int:pk>/delete/", views.closure_delete, name="closure_delete"),
]
