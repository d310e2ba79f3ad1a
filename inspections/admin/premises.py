"""Admin for the premises registry: search, filters, heads, certificates, audit trail, CSV import."""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts import divisions
from accounts.models import User
from inspections import access
from inspections.admin.accounts import (
    ProvinceListFilter,
    users_in_jurisdiction,
    ward_choices_with_province,
)
from inspections.models import Premises, PremisesChange, TrainingCertificate
from inspections.selectors.search import search
from inspections.services.certificates import (
    add_training_certificate,
    remove_training_certificate,
)
from inspections.services.premises import create_premises, fact_fields, update_premises_facts
from inspections.services.premises_csv import ImportFileError
from inspections.services.premises_import_jobs import queue_import

from .scoped import ScopedAdmin


class PremisesForm(forms.ModelForm):
    province_code = forms.TypedChoiceField(
        label=_("tỉnh/thành phố"), coerce=int, choices=divisions.province_choices
    )
    ward_code = forms.TypedChoiceField(
        label=_("xã/phường"), coerce=int, choices=ward_choices_with_province
    )

    class Meta:
        model = Premises
        # The admin builds the form from its fieldsets; these get the choice widgets above.
        fields = ["province_code", "ward_code"]

    # Set by PremisesAdmin.get_form: staff who are not superusers keep to their jurisdiction.
    user = None

    def clean(self) -> dict:
        data = super().clean()
        user = self.user
        province, ward = data.get("province_code"), data.get("ward_code")
        if user is not None and province and ward:
            moved_from = (
                (self.instance.province_code, self.instance.ward_code)
                if self.instance.pk
                else (province, ward)
            )
            if not (
                access.can_place_premises(user, province, ward)
                and access.can_place_premises(user, *moved_from)
            ):
                self.add_error("ward_code", _("Ngoài địa bàn cơ quan bạn quản lý."))
        return data


class TrainingCertificateInline(admin.TabularInline):
    """Added and removed through the certificates service (audit row, obligations refreshed,
    as in the portal); a certificate is not edited in place: remove it and add the new one."""

    model = TrainingCertificate
    extra = 0
    fields = ["holder_name", "duty", "training_kind", "role", "number", "issued_on", "expires_on"]

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class PremisesChangeInline(admin.TabularInline):
    """The audit trail, read-only: who changed which fact, from what to what."""

    model = PremisesChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "changed_by", "source", "changes_display"]
    readonly_fields = fields
    ordering = ["-changed_at", "-id"]
    verbose_name_plural = _("lịch sử thay đổi")

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("thay đổi"))
    def changes_display(self, obj: PremisesChange) -> str:
        return format_html(
            "<pre>{}</pre>",
            json.dumps(obj.changes, ensure_ascii=False, indent=1),
        )

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("changed_by")


class OccupancyFilter(admin.SimpleListFilter):
    title = _("loại hình hoạt động")
    parameter_name = "occupancy"

    def lookups(self, request, model_admin) -> list[tuple[str, str]]:
        values = (
            model_admin.get_queryset(request)
            .exclude(occupancy_category="")
            .values_list("occupancy_category", flat=True)
        )
        return [(v, v) for v in sorted(set(values))]

    def queryset(self, request, queryset):
        return queryset.filter(occupancy_category=self.value()) if self.value() else queryset


class ImportCsvForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp CSV"),
        help_text=_(
            "UTF-8, phân cách bằng dấu phẩy hoặc chấm phẩy. Cột bắt buộc: external_id, kind, "
            "name, province_code, ward_code; tùy chọn: các trường của cơ sở và head_emails."
        ),
    )


@admin.register(Premises)
class PremisesAdmin(ScopedAdmin):
    form = PremisesForm
    change_list_template = "admin/inspections/premises/change_list.html"
    list_display = [
        "name",
        "kind",
        "address",
        "occupancy_category",
        "alarm_device_state",
        "insurance_expires_on",
    ]
    list_filter = [
        "kind",
        ProvinceListFilter,
        "alarm_device_state",
        OccupancyFilter,
        "in_infra_deficient_area",
        "trades_hazardous_goods",
    ]
    # Accent-insensitive on the folded column (get_search_results); heads by e-mail or name.
    search_fields = ["search_text", "heads__email", "heads__full_name"]
    filter_horizontal = ["heads"]
    inlines = [TrainingCertificateInline, PremisesChangeInline]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "kind",
                    "name",
                    "external_id",
                    "occupancy_category",
                    "is_public_body",
                    "heads",
                )
            },
        ),
        (
            _("Địa chỉ"),
            {"fields": ("address_line", "province_code", "ward_code", "contact_phone")},
        ),
        (
            _("Quy mô"),
            {
                "fields": (
                    "floors",
                    "height_m",
                    "floor_area_m2",
                    "volume_m3",
                    "business_area_m2",
                    "beds",
                    "capacity",
                    "employees",
                    "onsite_team_members",
                    "put_into_use_on",
                )
            },
        ),
        (
            _("Thông tin theo loại hình (Phụ lục I, II Nghị định 105)"),
            {
                "fields": (
                    "gas_stored_kg",
                    "voltage_kv",
                    "length_m",
                    "site_area_m2",
                    "heritage_rank",
                    "works_grade",
                    "fishing_port_class",
                    "needs_design_appraisal",
                )
            },
        ),
        (
            _("Nguy hiểm cháy nổ"),
            {
                "fields": (
                    "hazard_class",
                    "trades_hazardous_goods",
                    "in_infra_deficient_area",
                    "under_fire_safety_management",
                    "hosts_other_organisations",
                    "legacy_noncompliant_listed",
                    "has_ev_charging",
                    "uses_electricity_for_production",
                    "needs_specialised_team",
                    "let_to_tenant",
                )
            },
        ),
        (
            _("Thiết bị truyền tin báo cháy"),
            {
                "fields": (
                    "alarm_device_state",
                    "alarm_device_id",
                    "alarm_connected_on",
                    "fire_data_declared_on",
                )
            },
        ),
        (
            _("Bảo hiểm cháy nổ bắt buộc"),
            {"fields": ("insurer", "insurance_policy_number", "insurance_expires_on")},
        ),
        (
            _("Tự quản lý"),
            {
                "fields": (
                    "last_drill_on",
                    "last_self_inspection_on",
                    "last_regular_check_on",
                    "last_pc04_report_on",
                    "created_at",
                    "updated_at",
                )
            },
        ),
    )

    @admin.display(description=_("địa chỉ"))
    def address(self, obj: Premises) -> str:
        return obj.full_address

    def get_queryset(self, request: HttpRequest):
        # Staff who are not superusers (managers) see their jurisdiction only.
        return access.premises_visible_to(request.user)

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        if not search_term.strip():
            return queryset, False
        heads = search(User.objects.all(), search_term, ["email", "full_name"])
        headed = Premises.heads.through.objects.filter(user__in=heads).values("premises_id")
        by_text = search(queryset, search_term, ["search_text"]).values("pk")
        # Subqueries, not joins: no duplicate rows, no DISTINCT over 100,000 premises.
        return queryset.filter(Q(pk__in=by_text) | Q(pk__in=headed)), False

    def has_change_permission(self, request: HttpRequest, obj: Premises | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or access.can_edit_premises_facts(request.user, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Premises | None = None) -> bool:
        # No service deletes premises (their inspections and records must stay).
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def get_form(self, request: HttpRequest, obj: Premises | None = None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "heads":
            # Not every user of the system: the jurisdiction's heads and members.
            kwargs["queryset"] = users_in_jurisdiction(request.user).order_by("email")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Premises, form, change: bool) -> None:
        # Through the premises service, so the change is audited and obligations refreshed.
        names = set(fact_fields()) | {"heads"}
        if change:
            before = Premises.objects.get(pk=obj.pk)
            changes = {
                n: form.cleaned_data[n] if n == "heads" else getattr(obj, n)
                for n in form.changed_data
                if n in names
            }
            update_premises_facts(before, user=request.user, changes=changes, source="admin")
        else:
            data = {n: getattr(obj, n) for n in fact_fields()}
            data["heads"] = list(form.cleaned_data.get("heads") or [])
            created = create_premises(user=request.user, data=data, source="admin")
            obj.pk = created.pk
            obj.created_at, obj.updated_at = created.created_at, created.updated_at
            obj._state.adding = False
            obj._state.db = created._state.db

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if formset.model is not TrainingCertificate:
            return super().save_formset(request, form, formset, change)
        premises = form.instance
        # What formset.save() would record, for the admin's change message.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.deleted_forms:
            if row.instance.pk:
                formset.deleted_objects.append(row.instance)
                remove_training_certificate(
                    user=request.user, certificate=row.instance, source="admin"
                )
        for row in formset.forms:
            if row in formset.deleted_forms or row.instance.pk or not row.has_changed():
                continue
            data = {n: row.cleaned_data.get(n) for n in TrainingCertificateInline.fields}
            created = add_training_certificate(
                user=request.user,
                premises=premises,
                source="admin",
                **{k: v for k, v in data.items() if v not in (None, "")},
            )
            formset.new_objects.append(created)
        return None

    # --- CSV import page -------------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "import-csv/",
                self.admin_site.admin_view(self.import_csv_view),
                name="inspections_premises_import_csv",
            ),
            path(
                "import-csv/<int:job_id>/",
                self.admin_site.admin_view(self.import_job_view),
                name="inspections_premises_import_job",
            ),
            *super().get_urls(),
        ]

    def import_csv_view(self, request: HttpRequest) -> HttpResponse:
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = ImportCsvForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                # The whole file is checked here; the rows are saved by the worker.
                job = queue_import(user=request.user, file_name=upload.name, raw=upload.read())
            except ImportFileError as exc:
                form.add_error("file", str(exc))
            else:
                return redirect("admin:inspections_premises_import_job", job_id=job.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Nhập cơ sở từ tệp CSV"),
            "form": form,
            "jobs": self._import_jobs(request)[:10],
            "changelist_url": reverse("admin:inspections_premises_changelist"),
        }
        return TemplateResponse(request, "admin/inspections/premises/import_csv.html", context)

    def _import_jobs(self, request: HttpRequest):
        return access.import_jobs_visible_to(request.user).defer("content")

    def import_job_view(self, request: HttpRequest, job_id: int) -> HttpResponse:
        """Progress while the worker imports (the page reloads itself), then the report."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        job = get_object_or_404(self._import_jobs(request), pk=job_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Nhập cơ sở từ tệp CSV: %(name)s") % {"name": job.file_name},
            "job": job,
            "report": job.report,
            "import_url": reverse("admin:inspections_premises_import_csv"),
            "changelist_url": reverse("admin:inspections_premises_changelist"),
        }
        return TemplateResponse(request, "admin/inspections/premises/import_job.html", context)
