"""Routes of the inspector app: the shell page, its manifest and its service worker."""

from django.urls import path

from . import views

app_name = "fieldapp"

urlpatterns = [
    path("", views.shell, name="shell"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service-worker"),
]
