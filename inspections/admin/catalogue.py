"""Admin of the legal catalogue: drafts are editable, published versions are read-only."""

from __future__ import annotations

import json
import re

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from inspections.models import (
    CatalogueVersion,
    Citation,
    Confidence,
    DecreeParameter,
    LawChange,
    LegalDocument,
    Provision,
    Requirement,
)
from inspections.selectors.catalogue import (
    category_appendix_rows,
    parameters_of,
    version_diff,
    version_in_force,
)
from inspections.services import catalogue as services
from inspections.services.lawchanges import projected_effect


def _is_draft(version: CatalogueVersion | None) -> bool:
    return version is None or not version.is_published


class PendingSourceFilter(admin.SimpleListFilter):
    """Sources whose text is not confirmed against the gazette (e.g. 2026 amending decrees)."""

    title = _("nguồn chờ xác nhận")
    parameter_name = "pending"

    def lookups(self, request, model_admin):
        return [("yes", _("Chờ xác nhận")), ("no", _("Đã xác minh"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(confidence=Confidence.VERIFIED)
        if self.value() == "no":
            return queryset.filter(confidence=Confidence.VERIFIED)
        return queryset


@admin.register(LegalDocument)
class LegalDocumentAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "title", "issued_on", "effective_on", "confidence"]
    list_filter = [PendingSourceFilter, "kind"]
    search_fields = ["code", "title"]
    fields = ["code", "kind", "title", "issued_on", "effective_on", "confidence", "note"]


@admin.register(Provision)
class ProvisionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "heading", "confidence"]
    list_filter = ["document", "confidence"]
    search_fields = ["text_vi", "heading"]
    list_select_related = ["document"]
    ordering = ["document", "order"]

    def has_change_permission(self, request, obj=None) -> bool:
        # The law's text is the parser's output; editing it here would break verbatim citations.
        if obj is not None and obj.document.kind == LegalDocument.Kind.LAW:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class DraftOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return _is_draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return _is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return _is_draft(obj) and super().has_delete_permission(request, obj)


class ParameterInline(DraftOnlyInline):
    model = DecreeParameter
    fields = ["key", "value", "source", "confidence", "note"]


class RequirementInline(DraftOnlyInline):
    model = Requirement
    fields = ["order", "code", "title_vi", "severity", "premises_kinds", "advice"]
    show_change_link = True


def _next_label(label: str) -> str:
    m = re.match(r"^(.*?)(\d+)$", label)
    base, n = (m.group(1), int(m.group(2))) if m else (f"{label}.", 0)
    candidate = f"{base}{n + 1}"
    while CatalogueVersion.objects.filter(label=candidate).exists():
        n += 1
        candidate = f"{base}{n + 1}"
    return candidate


@admin.register(CatalogueVersion)
class CatalogueVersionAdmin(admin.ModelAdmin):
    list_display = [
        "label",
        "status",
        "effective_on",
        "in_force",
        "published_at",
        "based_on",
        "diff_link",
    ]
    list_filter = ["status"]
    readonly_fields = ["status", "published_at", "based_on", "created_at"]
    fields = [
        "label",
        "notes",
        "effective_on",
        "legal_basis",
        "status",
        "published_at",
        "based_on",
        "created_at",
    ]
    filter_horizontal = ["legal_basis"]
    inlines = [ParameterInline, RequirementInline]
    actions = ["publish", "new_draft"]

    def has_change_permission(self, request, obj=None) -> bool:
        return _is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return _is_draft(obj) and super().has_delete_permission(request, obj)

    @admin.display(description=_("đang áp dụng"), boolean=True)
    def in_force(self, obj: CatalogueVersion) -> bool:
        current = version_in_force()
        return current is not None and current.pk == obj.pk

    @admin.display(description=_("so sánh"))
    def diff_link(self, obj: CatalogueVersion) -> str:
        other = obj.based_on or (
            CatalogueVersion.objects.filter(status=CatalogueVersion.Status.PUBLISHED)
            .exclude(pk=obj.pk)
            .order_by("-published_at")
            .first()
        )
        if other is None:
            return "—"
        url = reverse("admin:inspections_catalogueversion_diff", args=[other.pk, obj.pk])
        return format_html('<a href="{}">{} → {}</a>', url, other.label, obj.label)

    def get_urls(self):
        return [
            path(
                "<int:old_id>/diff/<int:new_id>/",
                self.admin_site.admin_view(self.diff_view),
                name="inspections_catalogueversion_diff",
            ),
            *super().get_urls(),
        ]

    def diff_view(self, request: HttpRequest, old_id: int, new_id: int) -> HttpResponse:
        old = get_object_or_404(CatalogueVersion, pk=old_id)
        new = get_object_or_404(CatalogueVersion, pk=new_id)
        diff = version_diff(old, new)
        for section in ("requirements", "parameters"):
            for fields in diff[section]["changed"].values():
                for change in fields.values():
                    change["from_json"] = json.dumps(change["from"], ensure_ascii=False, indent=1)
                    change["to_json"] = json.dumps(change["to"], ensure_ascii=False, indent=1)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Thay đổi từ phiên bản %(old)s đến %(new)s")
            % {"old": old.label, "new": new.label},
            "diff": diff,
            # Before publishing: what the new version would change across the registry.
            "effect": projected_effect(new, old=old),
            "old": old,
            "new": new,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/inspections/catalogue_diff.html", context)

    @admin.action(description=_("Ban hành các phiên bản nháp đã chọn"))
    def publish(self, request: HttpRequest, queryset) -> None:
        for version in queryset:
            try:
                services.publish_version(version)
            except services.CatalogueError as exc:
                self.message_user(request, f"{version.label}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, _("Đã ban hành %s") % version.label, messages.SUCCESS)

    @admin.action(description=_("Tạo bản nháp mới từ phiên bản đã chọn"))
    def new_draft(self, request: HttpRequest, queryset) -> HttpResponseRedirect | None:
        drafts = [services.clone_version(v, label=_next_label(v.label)) for v in queryset]
        for draft in drafts:
            self.message_user(
                request,
                _("Đã tạo bản nháp %(new)s từ %(old)s")
                % {"new": draft.label, "old": draft.based_on.label},
                messages.SUCCESS,
            )
        if len(drafts) == 1:
            return HttpResponseRedirect(
                reverse("admin:inspections_catalogueversion_change", args=[drafts[0].pk])
            )
        return None


class CitationInline(DraftOnlyInline):
    model = Citation
    fields = ["order", "provision", "confidence", "provision_text"]
    readonly_fields = ["provision_text"]
    autocomplete_fields = ["provision"]

    @admin.display(description=_("nội dung"))
    def provision_text(self, obj: Citation) -> str:
        return obj.provision.text_vi if obj.pk else ""

    def has_add_permission(self, request, obj=None) -> bool:
        return _is_draft(obj.version if obj else None) and request.user.has_perm(
            "inspections.add_citation"
        )

    def has_change_permission(self, request, obj=None) -> bool:
        return _is_draft(obj.version if obj else None) and request.user.has_perm(
            "inspections.change_citation"
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return _is_draft(obj.version if obj else None) and request.user.has_perm(
            "inspections.delete_citation"
        )


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    list_display = ["code", "title_vi", "version", "severity", "decree_points", "advice"]
    list_filter = ["version", "severity", "advice"]
    search_fields = ["code", "title_vi", "question_vi"]
    list_select_related = ["version"]
    inlines = [CitationInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return (obj is None or _is_draft(obj.version)) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return (obj is None or _is_draft(obj.version)) and super().has_delete_permission(
            request, obj
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "version":
            kwargs["queryset"] = CatalogueVersion.objects.filter(
                status=CatalogueVersion.Status.DRAFT
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj: Requirement, form, change) -> None:
        services.ensure_draft(obj.version)
        super().save_model(request, obj, form, change)


@admin.register(DecreeParameter)
class DecreeParameterAdmin(admin.ModelAdmin):
    list_display = ["key", "version", "confidence", "source"]
    list_filter = ["version", "confidence"]
    search_fields = ["key", "source", "note"]
    list_select_related = ["version"]
    readonly_fields = ["category_rows"]

    @admin.display(description=_("Loại hình và các dòng Phụ lục tương ứng"))
    def category_rows(self, obj: DecreeParameter | None) -> str:
        if obj is None or obj.key != "occupancy_categories":
            return "—"
        body = format_html_join(
            "",
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    row["code"],
                    row["label_vi"],
                    ", ".join(row["appendix_i"]) or "—",
                    ", ".join(row["appendix_ii"]) or "—",
                    ", ".join(row["appendix_vii"]) or "—",
                )
                for row in category_appendix_rows(parameters_of(obj.version))
            ),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>"
            "</thead><tbody>{}</tbody></table>",
            _("mã"),
            _("loại hình"),
            _("Phụ lục I (mục)"),
            _("Phụ lục II (dòng)"),
            _("Phụ lục VII (mục)"),
            body,
        )

    def has_change_permission(self, request, obj=None) -> bool:
        return (obj is None or _is_draft(obj.version)) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return (obj is None or _is_draft(obj.version)) and super().has_delete_permission(
            request, obj
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "version":
            kwargs["queryset"] = CatalogueVersion.objects.filter(
                status=CatalogueVersion.Status.DRAFT
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj: DecreeParameter, form, change) -> None:
        services.ensure_draft(obj.version)
        super().save_model(request, obj, form, change)


@admin.register(LawChange)
class LawChangeAdmin(admin.ModelAdmin):
    """Versions that came into force: read-only record of each switch and its progress."""

    list_display = [
        "to_version",
        "from_version",
        "effective_on",
        "premises_done",
        "premises_changed",
        "completed_at",
    ]
    readonly_fields = list_display + ["cursor", "started_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
