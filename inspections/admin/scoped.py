"""The admin's answer for an object outside the user's scope: 404, as in the API and portal."""

from __future__ import annotations

from django.contrib import admin
from django.http import Http404


class ScopedAdmin(admin.ModelAdmin):
    """``get_queryset`` holds what the user may see (from the access module); an id outside it
    is a 404 on the change, delete and history pages (Django would redirect with "does not
    exist. Perhaps it was deleted?"), so another tenant's ids answer like unknown ones."""

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404
