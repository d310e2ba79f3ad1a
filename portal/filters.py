"""FilterSets of the manager's portal lists (django-filter, as the API's lists)."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from inspections.models import (
    AlarmDeviceState,
    Obligation,
    ObligationStatus,
    Premises,
    PremisesKind,
)
from inspections.selectors.overview import compliance_filter_q, roadmap_obligated_q

COMPLIANCE_CHOICES = [
    ("overdue_obligations", _("Có nghĩa vụ quá hạn")),
    ("open_findings", _("Có vi phạm chưa khắc phục")),
    ("overdue_findings", _("Có vi phạm quá hạn khắc phục")),
    ("device_none", _("Thuộc diện bắt buộc, chưa trang bị thiết bị truyền tin")),
    ("never_inspected", _("Chưa từng được kiểm tra")),
    ("periodic_overdue", _("Quá hạn kiểm tra định kỳ")),
    ("periodic_due_month", _("Đến hạn kiểm tra định kỳ trong tháng")),
]


class ManagerPremisesFilter(django_filters.FilterSet):
    """Ward, kind and compliance state of the manager's premises list (the dashboard's links)."""

    ward = django_filters.ChoiceFilter(
        field_name="ward_code", label=_("Xã/phường"), empty_label=_("Tất cả")
    )
    kind = django_filters.ChoiceFilter(
        choices=PremisesKind.choices, label=_("Loại đối tượng"), empty_label=_("Tất cả")
    )
    state = django_filters.ChoiceFilter(
        choices=COMPLIANCE_CHOICES,
        method="filter_state",
        label=_("Tình trạng tuân thủ"),
        empty_label=_("Tất cả"),
    )
    obligation = django_filters.ChoiceFilter(
        choices=ObligationStatus.choices,
        method="filter_obligation",
        label=_("Có nghĩa vụ ở trạng thái"),
        empty_label=_("Tất cả"),
    )
    device = django_filters.ChoiceFilter(
        choices=AlarmDeviceState.choices,
        method="filter_device",
        label=_("Thiết bị truyền tin (cơ sở thuộc diện bắt buộc)"),
        empty_label=_("Tất cả"),
    )

    class Meta:
        model = Premises
        fields: list[str] = []

    def __init__(self, *args, wards: list[tuple[int, str]], on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.on = on
        self.filters["ward"].extra["choices"] = wards

    def filter_state(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(compliance_filter_q(value, on=self.on))

    def filter_obligation(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(
            Exists(Obligation.objects.filter(premises_id=OuterRef("pk"), status=value))
        )

    def filter_device(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(roadmap_obligated_q(), alarm_device_state=value)
