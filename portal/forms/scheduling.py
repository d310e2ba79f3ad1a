"""Scheduling an inspection and assigning its inspectors."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Authority, User
from inspections import access
from inspections.models import Inspection

from .fields import DateInput, SaneDateField, note_field


class InspectionCreateForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Hình thức"),
        choices=[(k, label) for k, label in Inspection.Kind.choices if k != Inspection.Kind.SELF],
    )
    scheduled_for = SaneDateField(label=_("Ngày dự kiến"), widget=DateInput())
    inspectors = forms.ModelMultipleChoiceField(
        label=_("Cán bộ kiểm tra"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cap_override_reason = note_field(
        _("Lý do kiểm tra quá 1 lần/năm"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Chỉ khi có dấu hiệu vi phạm rõ ràng (Nghị quyết 198/2025/QH15)."),
        max_length=2000,
    )
    unannounced_reason = note_field(
        _("Lý do kiểm tra đột xuất"),
        required=False,
        max_length=2000,
        help_text=_("Bắt buộc với kiểm tra đột xuất (Nghị định 105/2025 Điều 14 khoản 5)."),
    )
    send_notice = forms.BooleanField(
        label=_("Gửi thông báo kiểm tra bằng văn bản cho cơ sở ngay"),
        required=False,
        initial=True,
        help_text=_(
            "Kiểm tra định kỳ: thông báo trước ít nhất 03 ngày làm việc (Nghị định 105/2025 "
            "Điều 14), gửi qua e-mail cho người đứng đầu cơ sở và được lưu lại."
        ),
    )
    joint_authority = forms.ModelChoiceField(
        label=_("Kiểm tra chung với"),
        queryset=Authority.objects.none(),
        required=False,
        help_text=_(
            "Cơ sở thuộc Phụ lục II: công an và cơ quan quản lý xây dựng kiểm tra chung một lần "
            "thay vì hai lần (Nghị quyết 198/2025/QH15 Điều 4)."
        ),
    )

    def __init__(self, *args, authority, joint_choices=(), workload=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].queryset = inspectors_of(authority)
        self.fields["inspectors"].label_from_instance = workload_label(workload)
        if joint_choices:
            self.fields["joint_authority"].queryset = Authority.objects.filter(
                pk__in=[a.pk for a in joint_choices]
            )
        else:
            del self.fields["joint_authority"]


class AssignForm(forms.Form):
    inspectors = forms.ModelMultipleChoiceField(
        label=_("Cán bộ kiểm tra"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, authority, workload=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].queryset = inspectors_of(authority)
        self.fields["inspectors"].label_from_instance = workload_label(workload)


def workload_label(workload):
    """Each inspector's name with their open assignments against the authority's capacity."""
    load = {u.pk: u for u in workload}

    def label(user) -> str:
        w = load.get(user.pk)
        if w is None:
            return str(user)
        text = _("%(name)s — đang mở %(open)s/%(cap)s") % {
            "name": user,
            "open": w.n_open,
            "cap": w.capacity,
        }
        return f"{text} ({_('vượt mức tải')})" if w.over_capacity else text

    return label


def inspectors_of(authority) -> forms.QuerySet:
    return access.inspectors_of(authority)
