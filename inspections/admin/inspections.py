"""Admin for inspections: managers plan and assign inspections here.

What an inspection recorded (findings, answers) is in ``records.py``.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from inspections import access
from inspections.models import Finding, Inspection
from inspections.services.corrections import (
    INSPECTION_FIELDS,
    correct_inspection,
)

from .scoped import ScopedAdmin
from .service_forms import through_service


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
