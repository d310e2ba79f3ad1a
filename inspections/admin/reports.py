"""Admin for signed records: operators see status, hash and failures, and re-queue failed ones."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from inspections import access
from inspections.models import Report
from inspections.services.reports import queue_report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = [
        "verification_code",
        "inspection",
        "form",
        "status",
        "signature_level",
        "archive_expires_at",
        "signed_at",
    ]
    list_filter = ["status", "form", "signature_level", "ltv_pending"]
    search_fields = ["verification_code", "sha256", "inspection__premises__name"]
    list_select_related = ["inspection__premises"]
    # A signed record is evidence: nothing about it is edited by hand.
    readonly_fields = [
        "inspection",
        "form",
        "language",
        "status",
        "verification_code",
        "download",
        "sha256",
        "signer",
        "signed_at",
        "signature_level",
        "ltv_pending",
        "ltv_attempts",
        "ltv_error",
        "archive_expires_at",
        "failure_reason",
        "attempts",
        "claimed_at",
        "created_at",
        "updated_at",
    ]
    actions = ["requeue"]

    @admin.display(description=_("Tệp PDF"))
    def download(self, obj: Report) -> str:
        # Through the access-checked download, never the stored path (files are private).
        if obj.status != Report.Status.READY or not obj.file:
            return "—"
        url = reverse("portal:report_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Tải PDF đã ký"))

    def get_queryset(self, request: HttpRequest) -> QuerySet[Report]:
        qs = super().get_queryset(request)
        return qs.filter(inspection__in=access.inspections_visible_to(request.user))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Report | None = None) -> bool:
        return False

    @admin.action(description=_("Tạo lại biên bản lỗi (đưa vào hàng đợi)"))
    def requeue(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        failed = list(queryset.filter(status=Report.Status.FAILED).select_related("inspection"))
        for report in failed:
            Report.objects.filter(pk=report.pk).update(attempts=0)
            queue_report(report.inspection)
        self.message_user(
            request, _("Đã đưa %(n)d biên bản vào hàng đợi.") % {"n": len(failed)}, messages.INFO
        )
