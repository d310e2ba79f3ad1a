"""Admin for inspections, findings and answers: managers plan and assign inspections here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from inspections import access
from inspections.models import Answer, Finding, Inspection
from inspections.services.corrections import (
    FINDING_FIELDS,
    INSPECTION_FIELDS,
    correct_finding,
    correct_inspection,
)
from inspections.services.errors import ServiceError

from .scoped import ScopedAdmin


def through_service(form: forms.ModelForm, action: Callable[[], Any]) -> Any:
    """Run a service for an admin form; its refusal shows on the form (never a 500). The
    admin's own transaction commits only when the whole page is valid."""
    try:
        return action()
    except ServiceError as exc:
        placed = False
        for name, errors in (exc.fields or {}).items():
            if name in form.fields:
                form.add_error(name, [str(e) for e in errors] or exc.detail)
                placed = True
        if not placed:
            form.add_error(None, exc.detail)
    except PermissionDenied:
        form.add_error(None, _("Bạn không có quyền thực hiện thao tác này."))
    return None


class InspectionForm(forms.ModelForm):
    """New inspections and changes of assignment go through the services (the cap of
    Resolution 198, jurisdiction, inspectors of the authority, a surprise inspection's reason),
    exactly as in the API and the portal; their refusals show on the form."""

    class Meta:
        model = Inspection
        # The admin builds the form from its fieldsets; these are the fields clean() reads.
        fields = ["premises", "authority", "kind", "inspectors"]

    # Set by InspectionAdmin.get_form.
    user = None
    # The inspection the service created or changed (see InspectionAdmin.save_model).
    done_by_service: Inspection | None = None

    def clean(self) -> dict:
        data = super().clean()
        premises, authority = data.get("premises"), data.get("authority")
        if (
            premises
            and authority
            and not authority.covers(premises.province_code, premises.ward_code)
        ):
            self.add_error(
                "authority", _("Cơ sở không thuộc địa bàn của cơ quan kiểm tra đã chọn.")
            )
        if (
            "authority" in self.fields
            and not authority
            and data.get("kind") != Inspection.Kind.SELF
        ):
            self.add_error("authority", _("Đợt kiểm tra của cơ quan phải có cơ quan kiểm tra."))
        if self.instance.pk is None:
            if data.get("kind") == Inspection.Kind.SELF:
                self.add_error("kind", _("Tự kiểm tra do người đứng đầu cơ sở thực hiện."))
            if "scheduled_for" in self.fields and not data.get("scheduled_for"):
                self.add_error("scheduled_for", _("Trường này là bắt buộc."))
        if self.errors or self.user is None:
            return data
        if self.instance.pk is None and authority is not None:
            self.done_by_service = through_service(self, lambda: self._create(data))
            return data
        if self.instance.pk is not None and "inspectors" in self.changed_data:
            self.done_by_service = through_service(self, lambda: self._assign(data))
        details = {n: data.get(n) for n in self.changed_data if n in INSPECTION_FIELDS}
        if self.instance.pk is not None and details and not self.errors:
            self.done_by_service = through_service(
                self,
                lambda: correct_inspection(
                    user=self.user, inspection=self.instance, changes=details
                ),
            )
        return data

    def _create(self, data: dict) -> Inspection:
        from inspections.services.inspections import create_inspection

        inspection, _created = create_inspection(
            user=self.user,
            premises=data["premises"],
            authority=data["authority"],
            kind=data["kind"],
            scheduled_for=data.get("scheduled_for"),
            inspectors=list(data.get("inspectors") or []),
            place=data.get("place") or "",
            cap_override_reason=data.get("cap_override_reason") or "",
            unannounced_reason=data.get("unannounced_reason") or "",
            joint_authority=data.get("joint_authority"),
            parent=data.get("parent"),
        )
        return inspection

    def _assign(self, data: dict) -> Inspection:
        from inspections.services.inspections import assign_inspectors

        return assign_inspectors(
            user=self.user,
            inspection=self.instance,
            inspectors=list(data.get("inspectors") or []),
        )


class FindingInline(admin.TabularInline):
    """Findings are raised on the phone and closed through verification: shown, not edited."""

    model = Finding
    fk_name = "inspection"
    extra = 0
    fields = ["description", "severity", "remediation_deadline", "status"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


# What a staff manager may still edit on an existing inspection: its assignment, while open.
STAFF_EDITABLE = {"inspectors"}
OPEN_STATES = (Inspection.State.SCHEDULED, Inspection.State.IN_PROGRESS)


@admin.register(Inspection)
class InspectionAdmin(ScopedAdmin):
    form = InspectionForm
    list_display = [
        "__str__",
        "number",
        "kind",
        "state",
        "authority",
        "scheduled_for",
        "updated_at",
    ]
    list_filter = ["state", "kind", "authority", "scheduled_for"]
    search_fields = ["number", "premises__name", "premises__address_line", "inspectors__email"]
    list_select_related = ["premises", "authority"]
    autocomplete_fields = ["premises", "parent"]
    filter_horizontal = ["inspectors"]
    date_hierarchy = "scheduled_for"
    inlines = [FindingInline]
    readonly_fields = [
        "client_uuid",
        "state",
        "started_at",
        "ended_at",
        "submitted_at",
        "submission_hash",
        "version",
        "created_by",
        "created_at",
        "updated_at",
        "cap_override_by",
        "notice_sent_at",
    ]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "premises",
                    "authority",
                    "joint_authority",
                    "kind",
                    "scheduled_for",
                    "inspectors",
                    "catalogue_version",
                    "template",
                    "parent",
                    "number",
                    "place",
                )
            },
        ),
        (_("Giới hạn 1 lần/năm"), {"fields": ("cap_override_reason", "cap_override_by")}),
        (_("Đột xuất, thông báo"), {"fields": ("unannounced_reason", "notice_sent_at")}),
        (
            _("Kết quả"),
            {
                "fields": (
                    "state",
                    "recommendations",
                    "representative_name",
                    "representative_position",
                    "cancelled_reason",
                )
            },
        ),
        (
            _("Hệ thống"),
            {
                "classes": ("collapse",),
                "fields": (
                    "client_uuid",
                    "started_at",
                    "ended_at",
                    "submitted_at",
                    "submission_hash",
                    "version",
                    "created_by",
                    "created_at",
                    "updated_at",
                ),
            },
        ),
    )

    def get_queryset(self, request: HttpRequest):
        return access.inspections_visible_to(request.user).select_related("premises", "authority")

    def get_form(self, request: HttpRequest, obj: Inspection | None = None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def get_readonly_fields(self, request: HttpRequest, obj: Inspection | None = None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # What was inspected, by whom and under which version is fixed once planned.
            editable = STAFF_EDITABLE if obj.state in OPEN_STATES else set()
            if request.user.is_superuser and obj.state in OPEN_STATES:
                editable = editable | set(INSPECTION_FIELDS)
            names = [n for _t, opts in self.fieldsets for n in opts["fields"]]
            return [n for n in names if n not in editable]
        # New: the service picks the catalogue version, checklist and number.
        return [*readonly, "catalogue_version", "template", "number"]

    def has_change_permission(self, request: HttpRequest, obj: Inspection | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or access.can_manage_inspection(request.user, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Inspection | None = None) -> bool:
        # Cancel (portal, API) keeps the record and tells the phones; deleting does neither.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        user = request.user
        if db_field.name == "authority":
            kwargs["queryset"] = access.authorities_managed_by(user)
        elif db_field.name == "premises":
            kwargs["queryset"] = access.premises_managed_by(user)
        elif db_field.name == "parent":
            kwargs["queryset"] = access.inspections_managed_by(user)
        elif db_field.name == "joint_authority":
            kwargs["queryset"] = access.joint_authorities_pickable_by(user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "inspectors":
            kwargs["queryset"] = access.inspectors_of(access.authorities_managed_by(request.user))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Inspection, form, change: bool) -> None:
        # Everything was written by the services in the form's clean() (create, assign,
        # correct: each locks and bumps the version): adopt the stored row, save nothing here.
        done = form.done_by_service
        if done is not None:
            obj.pk, obj.version = done.pk, done.version
            obj._state.adding = False
            obj._state.db = done._state.db

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        # Inspectors were set by the service (with tombstones for those taken off); findings
        # are a read-only inline.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class RecordAdmin(ScopedAdmin):
    """What an inspection recorded: written by the phone, the head and the verifier through the
    services. Staff managers read it; a superuser may correct a finding through a service only
    while the inspection is open, never on a submitted or signed record; nothing is deleted."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if not (request.user.is_superuser and super().has_change_permission(request, obj)):
            return False
        return obj is None or obj.inspection.state in OPEN_STATES

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # No service deletes a finding or an answer (a phone would keep it, the version would
        # not move): a finding raised by mistake is corrected or closed.
        return False


class FindingForm(forms.ModelForm):
    """A superuser's correction of an open inspection's finding, through the service (it locks
    the inspection and bumps its version so the phones see the change)."""

    user = None  # set by FindingAdmin.get_form
    done_by_service: Finding | None = None

    class Meta:
        model = Finding
        fields = list(FINDING_FIELDS)

    def clean(self) -> dict:
        data = super().clean()
        changes = {n: data.get(n) for n in self.changed_data if n in FINDING_FIELDS}
        if self.user is not None and changes and not self.errors:
            self.done_by_service = through_service(
                self,
                lambda: correct_finding(user=self.user, finding=self.instance, changes=changes),
            )
        return data


@admin.register(Finding)
class FindingAdmin(RecordAdmin):
    form = FindingForm
    list_display = ["__str__", "premises", "severity", "status", "remediation_deadline"]
    list_filter = ["status", "severity", "remediation_deadline"]
    search_fields = ["description", "premises__name", "inspection__number"]
    list_select_related = ["premises", "inspection"]
    raw_id_fields = ["inspection", "premises", "item", "answer", "requirement", "reinspection"]
    # Status moves only through remediation and verification (portal, API).
    readonly_fields = [
        "client_uuid",
        "inspection",
        "premises",
        "status",
        "remediated_at",
        "verified_by",
        "verified_at",
        "closed_at",
        "content_hash",
        "created_by",
        "created_at",
        "updated_at",
    ]

    def get_queryset(self, request: HttpRequest):
        return access.findings_visible_to(request.user).select_related("premises", "inspection")

    def get_form(self, request: HttpRequest, obj: Finding | None = None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def save_model(self, request: HttpRequest, obj: Finding, form, change: bool) -> None:
        # Saved by correct_finding in the form's clean(); nothing else to write.
        if form.done_by_service is not None:
            obj.updated_at = form.done_by_service.updated_at


@admin.register(Answer)
class AnswerAdmin(RecordAdmin):
    """Answers come from the phone (record_answers, with its conflict rules): read-only here."""

    list_display = ["inspection", "item", "value", "answered_at", "answered_by"]
    list_filter = ["value"]
    search_fields = ["inspection__number", "item__code", "note"]
    list_select_related = ["inspection__premises", "item", "answered_by"]
    raw_id_fields = ["inspection", "item"]
    readonly_fields = [
        "client_uuid",
        "inspection",
        "item",
        "answered_by",
        "answered_at",
        "content_hash",
        "created_at",
    ]

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest):
        return Answer.objects.filter(
            inspection__in=access.inspections_visible_to(request.user)
        ).select_related("inspection")
