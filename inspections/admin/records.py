"""Admin for what an inspection recorded (findings, answers): read by managers, corrected by a
superuser through the services while the inspection is open."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from inspections import access
from inspections.models import Answer, Finding
from inspections.services.corrections import FINDING_FIELDS, correct_finding

from .inspections import OPEN_STATES
from .scoped import ScopedAdmin
from .service_forms import through_service


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
