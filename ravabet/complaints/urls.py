from django.urls import path

from . import views

app_name = "complaints"
urlpatterns = [
    path("public/complaints/", views.public_new, name="public_new"),
    path("public/complaints/done/", views.public_done, name="public_done"),
    path("public/complaints/track/", views.public_track, name="public_track"),
    path("public/complaints/case/", views.public_case, name="public_case"),
    path("public/complaints/case/answers/<int:version>/file/", views.public_answer_file, name="public_answer_file"),
    path("t/<str:code>", views.short_link, name="short"),
    path("complaints/", views.case_list, name="list"),
    path("complaints/new/", views.case_create, name="create"),
    path("complaints/press/new/", views.press_create, name="press_create"),
    path("complaints/figures/", views.figures, name="figures"),
    path("complaints/deadlines/", views.deadlines, name="deadlines"),
    path("complaints/settings/", views.unit_settings, name="unit_settings"),
    path("complaints/hq/overdue/", views.hq_overdue, name="hq_overdue"),
    path("complaints/hq/forwarded/", views.hq_forwarded, name="hq_forwarded"),
    path("complaints/hq/transfers/", views.hq_transfers, name="hq_transfers"),
    path("complaints/hq/forward/", views.hq_forward, name="hq_forward"),
    path("complaints/<int:pk>/", views.case_detail, name="detail"),
    path("complaints/<int:pk>/personal/", views.case_personal, name="personal"),
    path("complaints/<int:pk>/refer/", views.case_refer, name="refer"),
    path("complaints/<int:pk>/transfer/", views.case_transfer, name="transfer"),
    path("complaints/<int:pk>/answer/", views.case_answer, name="answer"),
    path("complaints/<int:pk>/answers/<int:version>/file/", views.answer_file, name="answer_file"),
    path("complaints/<int:pk>/pdf/", views.case_pdf, name="pdf"),
    path("complaints/<int:pk>/clipping/", views.clipping, name="clipping"),
    path("complaints/<int:pk>/attachments/<int:attachment_pk>/", views.attachment, name="attachment"),
]
