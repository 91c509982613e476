from django.urls import path

from . import views

app_name = "messaging"
urlpatterns = [
    path("messaging/announcements/", views.announcement_list, name="announcement_list"),
    path("messaging/announcements/new/", views.announcement_create, name="announcement_create"),
    path("messaging/announcements/people/", views.people_picker, name="people_picker"),
    path("messaging/announcements/<int:pk>/", views.announcement_detail, name="announcement_detail"),
    path("messaging/announcements/<int:pk>/progress/", views.announcement_progress, name="announcement_progress"),
    path("messaging/my/", views.inbox, name="inbox"),
    path("messaging/my/sms/", views.sms_preference, name="sms_preference"),
    path("messaging/staff/import/", views.staff_import_view, name="staff_import"),
    path("messaging/staff/import/<int:pk>/", views.staff_import_detail, name="staff_import_detail"),
    path("messaging/staff/import/<int:pk>/confirm/", views.staff_import_confirm, name="staff_import_confirm"),
    path("messaging/staff/import/<int:pk>/undo/", views.staff_import_undo, name="staff_import_undo"),
    path("messaging/staff/export/", views.staff_export, name="staff_export"),
    path("messaging/staff/coverage/", views.mobile_coverage, name="mobile_coverage"),
    path("messaging/groups/", views.group_list, name="group_list"),
    path("messaging/groups/new/", views.group_create, name="group_create"),
    path("messaging/groups/<int:pk>/", views.group_edit, name="group_edit"),
    path("messaging/duplicates/", views.duplicate_list, name="duplicate_list"),
    path("messaging/tickers/", views.ticker_list, name="ticker_list"),
    path("messaging/tickers/new/", views.ticker_create, name="ticker_create"),
    path("messaging/tickers/<int:pk>/", views.ticker_edit, name="ticker_edit"),
    path("messaging/banners/", views.banner_list, name="banner_list"),
    path("messaging/banners/new/", views.banner_create, name="banner_create"),
    path("messaging/banners/<int:pk>/", views.banner_detail, name="banner_detail"),
    path("messaging/banners/templates/", views.condolence_templates, name="condolence_templates"),
    path("messaging/banners/templates/new/", views.condolence_template_edit, name="condolence_template_create"),
    path("messaging/banners/templates/<int:pk>/", views.condolence_template_edit, name="condolence_template_edit"),
    path("messaging/banners/<int:pk>/edit/", views.banner_edit, name="banner_edit"),
    path("messaging/banners/<int:pk>/installed/", views.banner_installed, name="banner_installed"),
    path("messaging/banners/<int:pk>/file/<str:size>/", views.banner_file, name="banner_file"),
    path("messaging/banners/<int:pk>/photo/<str:which>/", views.banner_photo, name="banner_photo"),
]
