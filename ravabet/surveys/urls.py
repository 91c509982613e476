from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("surveys/", views.survey_list, name="list"),
    path("surveys/new/", views.survey_create, name="create"),
    path("surveys/mine/", views.my_surveys, name="mine"),
    path("surveys/<int:pk>/", views.survey_detail, name="detail"),
    path("surveys/<int:pk>/edit/", views.survey_edit, name="edit"),
    path("surveys/<int:pk>/questions/new/", views.question_add, name="question_add"),
    path("surveys/questions/<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("surveys/questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
    path("surveys/questions/<int:pk>/move/", views.question_move, name="question_move"),
    path("surveys/<int:pk>/share/", views.survey_share, name="share"),
    path("surveys/<int:pk>/qr.png", views.survey_qr, name="qr"),
    path("surveys/<int:pk>/results/", views.survey_results, name="results"),
    path("surveys/<int:pk>/answers.xlsx", views.survey_export, name="export"),
    path("surveys/<int:pk>/report.pdf", views.survey_pdf, name="pdf"),
    path("surveys/<int:pk>/answer/", views.staff_answer, name="staff_answer"),
    path("surveys/<int:pk>/invite/", views.survey_invite, name="invite"),
    path("public/surveys/<str:token>/", views.public_answer, name="public_answer"),
    path("public/surveys/i/<str:token>/", views.invited_answer, name="invited_answer"),
    path("public/surveys/<str:token>/panel/", views.panel_join, name="panel_join"),
    path("public/surveys/panel/<str:token>/withdraw/", views.panel_withdraw, name="panel_withdraw"),
]
