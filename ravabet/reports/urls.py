from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("reports/", views.report_list, name="list"),
    path("reports/new/", views.report_create, name="create"),
    path("reports/<int:pk>/", views.report_detail, name="detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="edit"),
    path("reports/<int:pk>/act/", views.report_act, name="act"),
    path("reports/<int:pk>/pdf/", views.report_pdf, name="pdf"),
    path("reports/<int:pk>/attachments/<int:attachment_pk>/", views.report_attachment, name="attachment"),
]
