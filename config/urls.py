"""Top-level URLs: admin, API v1 with its docs, health check, portal."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerSplitView

from . import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    # Split view: the page's init script is a separate request, so no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("app/", include("fieldapp.urls")),
    path("", include("portal.urls")),
]

handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
