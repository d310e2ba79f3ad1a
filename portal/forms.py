"""Portal forms: input parsing only; the services validate and change state."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, User
from inspections.inputs import validate_sane_date
from inspections.models import AlarmDeviceState, Inspection, PremisesKind
from inspections.services.remediation import EVIDENCE_MAX_BYTES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SaneDateField(forms.DateField):
    """A date within the range every input of the system accepts (inspections/inputs.py)."""

    default_validators = [validate_sane_date]


def note_field(label, **kwargs) -> forms.CharField:
    """Free text capped like the API (settings.NOTE_MAX_CHARS)."""
    kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
    return forms.CharField(label=label, max_length=settings.NOTE_MAX_CHARS, **kwargs)


class PremisesFactsForm(forms.Form):
    """The facts a facility head is responsible for keeping current."""

    alarm_device_state = forms.ChoiceField(
        label=_("Thiết bị truyền tin báo cháy"), choices=AlarmDeviceState.choices
    )
    alarm_device_id = forms.CharField(label=_("Mã thiết bị"), max_length=64, required=False)
    alarm_connected_on = SaneDateField(label=_("Ngày kết nối"), required=False, widget=DateInput())
    fire_data_declared_on = SaneDateField(
        label=_("Ngày khai báo dữ liệu PCCC"), required=False, widget=DateInput()
    )
    insurer = forms.CharField(label=_("Doanh nghiệp bảo hiểm"), max_length=255, required=False)
    insurance_policy_number = forms.CharField(
        label=_("Số hợp đồng/giấy chứng nhận bảo hiểm"), max_length=64, required=False
    )
    insurance_expires_on = SaneDateField(
        label=_("Ngày hết hạn bảo hiểm"), required=False, widget=DateInput()
    )
    last_drill_on = SaneDateField(
        label=_("Ngày thực tập phương án chữa cháy gần nhất"), required=False, widget=DateInput()
    )

    FIELDS = (
        "alarm_device_state",
        "alarm_device_id",
        "alarm_connected_on",
        "fire_data_declared_on",
        "insurer",
        "insurance_policy_number",
        "insurance_expires_on",
        "last_drill_on",
    )

    def clean(self):
        data = super().clean()
        if data.get("alarm_device_state") == AlarmDeviceState.CONNECTED and not data.get(
            "alarm_connected_on"
        ):
            self.add_error("alarm_connected_on", _("Nhập ngày kết nối thiết bị."))
        return data


class TrainingCertificateForm(forms.Form):
    holder_name = forms.CharField(label=_("Người được cấp"), max_length=200)
    role = forms.CharField(label=_("Chức danh"), max_length=120, required=False)
    number = forms.CharField(label=_("Số chứng nhận"), max_length=64, required=False)
    issued_on = SaneDateField(label=_("Ngày cấp"), required=False, widget=DateInput())
    expires_on = SaneDateField(label=_("Ngày hết hạn"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        if (
            data.get("issued_on")
            and data.get("expires_on")
            and data["expires_on"] < data["issued_on"]
        ):
            self.add_error("expires_on", _("Ngày hết hạn phải sau ngày cấp."))
        return data


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Ảnh hoặc tài liệu"),
        help_text=_("Ảnh JPEG, PNG, WebP hoặc tệp PDF, tối đa %(mb)d MB.")
        % {"mb": EVIDENCE_MAX_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}
        ),
    )
    note = note_field(_("Ghi chú"), required=False)

    def clean_file(self):
        f = self.cleaned_data["file"]
        # Refuse before reading: the size is known from the upload headers.
        if f.size > EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(
                _("Tệp lớn hơn %(mb)d MB.") % {"mb": EVIDENCE_MAX_BYTES // (1024 * 1024)}
            )
        return f


class RemediatedForm(forms.Form):
    note = note_field(
        _("Mô tả việc đã khắc phục"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class VerifyRemediationForm(forms.Form):
    """The authority's answer to a remediation report."""

    decision = forms.ChoiceField(
        label=_("Kết quả"),
        choices=[
            ("accept", _("Xác nhận đã khắc phục")),
            ("reject", _("Chưa đạt, yêu cầu khắc phục tiếp")),
        ],
        widget=forms.RadioSelect,
    )
    note = note_field(
        _("Ý kiến (bắt buộc khi chưa đạt)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SelfInspectionForm(forms.Form):
    """The fields of the self-inspection page besides the answers (one per checklist item)."""

    version = forms.IntegerField(
        label=_("Phiên bản"),
        min_value=1,
        max_value=2**63 - 1,
        error_messages={
            "invalid": _("Trang đã cũ hoặc bị sửa; hãy tải lại trang rồi nhập lại."),
            "required": _("Trang đã cũ hoặc bị sửa; hãy tải lại trang rồi nhập lại."),
        },
    )
    signer_name = forms.CharField(
        label=_("Họ tên người ký"), required=False, max_length=settings.NAME_MAX_CHARS
    )
    signer_position = forms.CharField(
        label=_("Chức vụ"), required=False, max_length=settings.NAME_MAX_CHARS
    )
    recommendations = forms.CharField(
        label=_("Kiến nghị, biện pháp khắc phục"),
        required=False,
        max_length=settings.RECOMMENDATIONS_MAX_CHARS,
    )


class DashboardFilterForm(forms.Form):
    ward = forms.TypedChoiceField(
        label=_("Xã/phường"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(
        label=_("Loại đối tượng"),
        required=False,
        choices=[("", _("Tất cả"))] + list(PremisesKind.choices),
    )

    def __init__(self, *args, wards: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].choices = [("", _("Tất cả"))] + wards


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
    )

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].queryset = inspectors_of(authority)


class AssignForm(forms.Form):
    inspectors = forms.ModelMultipleChoiceField(
        label=_("Cán bộ kiểm tra"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].queryset = inspectors_of(authority)


def inspectors_of(authority) -> forms.QuerySet:
    return (
        User.objects.filter(
            memberships__authority=authority,
            memberships__role__in=[Membership.Role.INSPECTOR, Membership.Role.MANAGER],
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "email")
    )
