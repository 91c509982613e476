from django.urls import path

from . import views
from .api import api

app_name = "api"

urlpatterns = [
    path("api/tokens/", views.token_list, name="tokens"),
    path("api/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]

api_urls = [path("api/v1/", api.urls)]
