from django.urls import path

from . import views

app_name = "outbox"
urlpatterns = [
    path("notices/", views.notices, name="notices"),
    path("notices/read/", views.notices_read, name="notices_read"),
    path("notices/sms/", views.sms_setting, name="sms_setting"),
]
