from django.urls import path

from . import views

app_name = "occasions"
urlpatterns = [
    path("occasions/", views.occasion_list, name="list"),
    path("occasions/seed/", views.occasions_seed, name="seed"),
    path("occasions/new/", views.occasion_edit, name="create"),
    path("occasions/<int:pk>/", views.occasion_detail, name="detail"),
    path("occasions/<int:pk>/edit/", views.occasion_edit, name="edit"),
    path("occasions/matrix/", views.occasion_matrix, name="matrix"),
    path("occasions/holidays/", views.holiday_list, name="holidays"),
    path("occasions/holidays/new/", views.holiday_edit, name="holiday_create"),
    path("occasions/holidays/<int:pk>/edit/", views.holiday_edit, name="holiday_edit"),
    path("occasions/holidays/<int:pk>/delete/", views.holiday_delete, name="holiday_delete"),
    path("occasions/activities/", views.activity_list, name="activities"),
    path("occasions/activities/new/", views.activity_create, name="activity_create"),
    path("occasions/activities/<int:pk>/evidence/", views.activity_evidence, name="activity_evidence"),
    path("occasions/culture/", views.culture, name="culture"),
    path("occasions/contents/", views.content_list, name="contents"),
    path("occasions/contents/new/", views.content_create, name="content_create"),
    path("occasions/contents/<int:pk>/", views.content_detail, name="content"),
    path("occasions/contents/<int:pk>/edit/", views.content_edit, name="content_edit"),
    path("occasions/contents/<int:pk>/file/", views.content_file, name="content_file"),
]
