from django.urls import path

from . import views

app_name = "planning"
urlpatterns = [
    path("planning/plans/", views.plan_list, name="plans"),
    path("planning/plans/new/", views.plan_create, name="plan_create"),
    path("planning/plans/review/", views.plan_queue, name="plan_queue"),
    path("planning/plans/overview/", views.plan_overview, name="plan_overview"),
    path("planning/plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("planning/plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("planning/meetings/", views.meeting_list, name="meetings"),
    path("planning/meetings/new/", views.meeting_create, name="meeting_create"),
    path("planning/meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("planning/meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("planning/meetings/<int:pk>/pdf/", views.meeting_pdf, name="meeting_pdf"),
    path("planning/meetings/<int:pk>/announce/", views.meeting_announce, name="meeting_announce"),
    path("planning/meetings/<int:pk>/archive/", views.meeting_archive, name="meeting_archive"),
    path("planning/decisions/", views.decision_list, name="decisions"),
    path("planning/decisions/<int:pk>/toggle/", views.decision_toggle, name="decision_toggle"),
    path("planning/trainings/", views.training_list, name="trainings"),
    path("planning/trainings/new/", views.training_create, name="training_create"),
    path("planning/trainings/<int:pk>/edit/", views.training_edit, name="training_edit"),
    path("planning/trainings/<int:pk>/certificate/", views.training_certificate, name="training_certificate"),
    path("planning/trainings/<int:pk>/archive/", views.training_archive, name="training_archive"),
    path("planning/settings/", views.planning_settings, name="settings"),
    path("planning/channels/", views.channel_list, name="channels"),
    path("planning/channels/<int:pk>/", views.channel_detail, name="channel_detail"),
    path("planning/channels/<int:pk>/edit/", views.channel_edit, name="channel_edit"),
    path("planning/channels/<int:pk>/archive/", views.channel_archive, name="channel_archive"),
    path("planning/reports/", views.report_list, name="reports"),
    path("planning/reports/states/", views.report_states, name="report_states"),
    path("planning/reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("planning/reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("planning/reports/<int:pk>/compile/", views.report_compile, name="report_compile"),
    path("planning/reports/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("planning/reports/<int:pk>/xlsx/", views.report_xlsx, name="report_xlsx"),
]
