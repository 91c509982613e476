from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from ravabet.api.urls import api_urls
from ravabet.offices import login_views
from ravabet.offices import views as office_views

urlpatterns = [
    path("", office_views.home, name="home"),
    path("public/", office_views.public_home, name="public_home"),
    path("health/", office_views.health, name="health"),
    path("accounts/login/", login_views.LoginView.as_view(), name="login"),
    path("accounts/password_reset/", login_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("captcha/", include("captcha.urls")),
    path("", include("ravabet.offices.urls")),
    path("", include("ravabet.outbox.urls")),
    path("", include("ravabet.compliance.urls")),
    path("", include("ravabet.photos.urls")),
    path("", include("ravabet.news.urls")),
    path("", include("ravabet.complaints.urls")),
    path("", include("ravabet.planning.urls")),
    path("", include("ravabet.messaging.urls")),
    path("", include("ravabet.reports.urls")),
    path("", include("ravabet.press.urls")),
    path("", include("ravabet.occasions.urls")),
    path("", include("ravabet.hqtasks.urls")),
    path("", include("ravabet.events.urls")),
    path("", include("ravabet.surveys.urls")),
    path("", include("ravabet.visits.urls")),
    path("workflow/", include("ravabet.workflow.urls")),
    path("", include("ravabet.api.urls")),
    *api_urls,
]

if settings.DEBUG:
    from django.views.static import serve

    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

admin.site.site_header = "مدیریت سامانه روابط"
admin.site.site_title = "روابط"

handler403 = "ravabet.workflow.views.refused"
