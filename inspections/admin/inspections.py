"""Admin for inspections, findings and answers: managers plan and assign inspections here."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.models import Authority, Membership, User
from inspections.models import Answer, Finding, Inspection


def _managed_authorities(user: User) -> QuerySet[Authority]:
    if user.is_superuser:
        return Authority.objects.all()
    return Authority.objects.filter(
        pk__in=[a.pk for a in access.authorities_of(user, access.MANAGING_ROLES)]
    )


class InspectionForm(forms.ModelForm):
    class Meta:
        model = Inspection
        # The admin builds the form from its fieldsets; these are the fields clean() reads.
        fields = ["premises", "authority", "kind", "inspectors"]

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
        inspectors = data.get("inspectors")
        if authority and inspectors:
            members = set(
                Membership.objects.filter(authority=authority, user__in=inspectors).values_list(
                    "user_id", flat=True
                )
            )
            outsiders = [str(u) for u in inspectors if u.pk not in members]
            if outsiders:
                self.add_error(
                    "inspectors",
                    _("Không phải cán bộ của cơ quan kiểm tra: %(names)s")
                    % {"names": ", ".join(outsiders)},
                )
        if not authority and data.get("kind") != Inspection.Kind.SELF:
            self.add_error("authority", _("Đợt kiểm tra của cơ quan phải có cơ quan kiểm tra."))
        return data


class FindingInline(admin.TabularInline):
    model = Finding
    fk_name = "inspection"
    extra = 0
    fields = ["description", "severity", "remediation_deadline", "status"]
    show_change_link = True


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
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
    ]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "premises",
                    "authority",
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
        (_("Giới hạn 1 lần/năm"), {"fields": ("cap_override_reason",)}),
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

    def has_change_permission(self, request: HttpRequest, obj: Inspection | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or access.can_manage_inspection(request.user, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Inspection | None = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or access.can_manage_inspection(request.user, obj))

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "authority":
            kwargs["queryset"] = _managed_authorities(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "inspectors":
            kwargs["queryset"] = (
                User.objects.filter(
                    memberships__authority__in=_managed_authorities(request.user),
                    is_active=True,
                )
                .distinct()
                .order_by("full_name", "email")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        # The checklist is frozen and removed inspectors' phones told to drop it, as in the API.
        from inspections.services.inspections import after_planning_change

        before = set(form.instance.inspectors.values_list("pk", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after_planning_change(form.instance, inspectors_before=before)

    def save_model(self, request: HttpRequest, obj: Inspection, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
            super().save_model(request, obj, form, change)
            return
        super().save_model(request, obj, form, change)
        # Devices detect changes by version (optimistic concurrency): any edit bumps it.
        Inspection.objects.filter(pk=obj.pk).update(version=F("version") + 1)


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "premises", "severity", "status", "remediation_deadline"]
    list_filter = ["status", "severity", "remediation_deadline"]
    search_fields = ["description", "premises__name", "inspection__number"]
    list_select_related = ["premises"]
    raw_id_fields = ["inspection", "premises", "item", "answer", "requirement", "reinspection"]
    readonly_fields = ["client_uuid", "content_hash", "created_by", "created_at", "updated_at"]

    def get_queryset(self, request: HttpRequest):
        return access.findings_visible_to(request.user).select_related("premises")


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["inspection", "item", "value", "answered_at", "answered_by"]
    list_filter = ["value"]
    search_fields = ["inspection__number", "item__code", "note"]
    list_select_related = ["inspection__premises", "item", "answered_by"]
    raw_id_fields = ["inspection", "item"]
    readonly_fields = ["client_uuid", "answered_by", "answered_at", "content_hash", "created_at"]

    def get_queryset(self, request: HttpRequest):
        return Answer.objects.filter(inspection__in=access.inspections_visible_to(request.user))
