from django.urls import path

from . import views

app_name = "hqtasks"
urlpatterns = [
    path("tasks/", views.task_list, name="list"),
    path("tasks/new/", views.task_create, name="create"),
    path("tasks/<int:pk>/", views.assignment_detail, name="assignment"),
    path("tasks/<int:pk>/done/", views.assignment_submit, name="submit"),
    path("tasks/<int:pk>/file/", views.assignment_file, name="file"),
]
