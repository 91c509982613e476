from django.urls import path

from . import profile_views, views

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
    # The unit's introduction and brochure (B9); the addresses it had in the reports part.
    path("reports/profiles/", profile_views.profile_list, name="profiles"),
    path("reports/profiles/start/", profile_views.profile_start, name="profile_start"),
    path("reports/profiles/<int:pk>/", profile_views.profile_detail, name="profile_detail"),
    path("reports/profiles/<int:pk>/edit/", profile_views.profile_edit, name="profile_edit"),
    path("reports/profiles/<int:pk>/brochure/", profile_views.profile_brochure, name="profile_brochure"),
    path("reports/profiles/<int:pk>/brochure/remove/", profile_views.profile_brochure_remove,
         name="profile_brochure_remove"),
    path("reports/profiles/<int:pk>/photos/<int:photo_pk>/", profile_views.profile_photo, name="profile_photo"),
    path("reports/profiles/<int:pk>/photos/<int:photo_pk>/remove/", profile_views.profile_photo_remove,
         name="profile_photo_remove"),
    path("public/reports/units/<slug:code>/", profile_views.public_unit, name="public_unit"),
    path("public/reports/units/<slug:code>/brochure/", profile_views.public_brochure, name="public_brochure"),
    path("public/reports/units/<slug:code>/photos/<int:photo_pk>/", profile_views.public_photo, name="public_photo"),
]
