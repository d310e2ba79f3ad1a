"""Admin for the fire-safety dossier and the head's forms: read-only evidence; removal goes through
the same service as the portal and the API, so the decree's retention is never bypassed."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspections import access
from inspections.models import DossierDocument, FormDocument
from inspections.services.dossier import delete_dossier_document
from inspections.services.errors import ServiceError


@admin.register(DossierDocument)
class DossierDocumentAdmin(admin.ModelAdmin):
    list_display = ["premises", "item", "title", "made_on", "origin", "deleted_at"]
    list_filter = ["item", "origin"]
    search_fields = ["title", "premises__name", "sha256"]
    list_select_related = ["premises"]
    readonly_fields = [
        "premises",
        "item",
        "title",
        "made_on",
        "origin",
        "file",
        "sha256",
        "size",
        "content_type",
        "original_name",
        "report",
        "form_document",
        "uploaded_by",
        "created_at",
        "deleted_at",
        "deleted_by",
    ]
    actions = ["remove_from_dossier"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[DossierDocument]:
        qs = super().get_queryset(request)
        return qs.filter(premises__in=access.premises_visible_to(request.user))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: DossierDocument | None = None):
        # Rows are removed only by the action below (the retention check) and the purge task.
        return False

    def get_actions(self, request: HttpRequest):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Xóa khỏi hồ sơ (trừ tài liệu còn thời hạn lưu trữ)"))
    def remove_from_dossier(self, request: HttpRequest, queryset: QuerySet[DossierDocument]):
        removed = 0
        today = timezone.localdate()
        for document in queryset.select_related("premises"):
            try:
                delete_dossier_document(user=request.user, document=document, today=today)
            except ServiceError as exc:
                self.message_user(request, f"{document}: {exc.detail}", messages.ERROR)
            else:
                removed += 1
        if removed:
            self.message_user(
                request, _("Đã xóa %(n)d tài liệu khỏi hồ sơ.") % {"n": removed}, messages.INFO
            )


@admin.register(FormDocument)
class FormDocumentAdmin(admin.ModelAdmin):
    list_display = ["premises", "form", "period_end", "status", "recipient", "sent_at"]
    list_filter = ["form", "status"]
    search_fields = ["verification_code", "sha256", "premises__name"]
    list_select_related = ["premises", "recipient"]
    readonly_fields = [f.name for f in FormDocument._meta.fields]

    def get_queryset(self, request: HttpRequest) -> QuerySet[FormDocument]:
        qs = super().get_queryset(request)
        return qs.filter(premises__in=access.premises_visible_to(request.user))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: FormDocument | None = None):
        return False
