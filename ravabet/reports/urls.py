from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("reports/", views.report_list, name="list"),
    path("reports/new/", views.report_create, name="create"),
    path("reports/<int:pk>/", views.report_detail, name="detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="edit"),
    path("reports/<int:pk>/send/", views.report_send, name="send"),
    path("reports/<int:pk>/answer/", views.report_answer, name="answer"),
    path("reports/<int:pk>/close/", views.report_close, name="close"),
    path("reports/<int:pk>/pdf/", views.report_pdf, name="pdf"),
    path("reports/<int:pk>/attachments/<int:attachment_pk>/", views.report_attachment, name="attachment"),
    path("reports/profiles/", views.profile_list, name="profiles"),
    path("reports/profiles/start/", views.profile_start, name="profile_start"),
    path("reports/profiles/<int:pk>/", views.profile_detail, name="profile_detail"),
    path("reports/profiles/<int:pk>/edit/", views.profile_edit, name="profile_edit"),
    path("reports/profiles/<int:pk>/submit/", views.profile_submit, name="profile_submit"),
    path("reports/profiles/<int:pk>/review/", views.profile_review, name="profile_review"),
    path("reports/profiles/<int:pk>/brochure/", views.profile_brochure, name="profile_brochure"),
    path("reports/profiles/<int:pk>/brochure/remove/", views.profile_brochure_remove, name="profile_brochure_remove"),
    path("reports/profiles/<int:pk>/photos/<int:photo_pk>/", views.profile_photo, name="profile_photo"),
    path("reports/profiles/<int:pk>/photos/<int:photo_pk>/remove/", views.profile_photo_remove,
         name="profile_photo_remove"),
    path("public/reports/units/<slug:code>/", views.public_unit, name="public_unit"),
    path("public/reports/units/<slug:code>/brochure/", views.public_brochure, name="public_brochure"),
    path("public/reports/units/<slug:code>/photos/<int:photo_pk>/", views.public_photo, name="public_photo"),
]
