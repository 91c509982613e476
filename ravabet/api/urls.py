from django.urls import path, re_path

from . import views
from .api import api

app_name = "api"

urlpatterns = [
    path("api/tokens/", views.token_list, name="tokens"),
    path("api/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]

# Anything else under /api/v1/ answers 404 in the API's error shape, not the site's HTML page.
api_urls = [path("api/v1/", api.urls), re_path(r"^api/v1/", views.api_not_found, name="api_not_found")]
