"""The head's forms for a premises' facts and its training certificates."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from inspections.models import (
    AlarmDeviceState,
    FishingPortClass,
    HeritageRank,
    TrainingDuty,
    TrainingKind,
    WorksGrade,
)

from .fields import DateInput, SaneDateField


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
    onsite_team_members = forms.IntegerField(
        label=_("Số thành viên Đội PCCC và CNCH cơ sở"),
        required=False,
        min_value=0,
        help_text=_("Nghị định 105/2025/NĐ-CP khoản 5 Điều 20: tối thiểu 10, 15 hoặc 25 người."),
    )
    # The head's recurring duties under Decree 105 (Art. 14.1, 14.2).
    last_regular_check_on = SaneDateField(
        label=_("Ngày tự kiểm tra thường xuyên gần nhất"), required=False, widget=DateInput()
    )
    last_self_inspection_on = SaneDateField(
        label=_("Ngày tự kiểm tra định kỳ gần nhất (biên bản PC02)"),
        required=False,
        widget=DateInput(),
    )
    last_pc04_report_on = SaneDateField(
        label=_("Ngày gửi báo cáo PC04 gần nhất"), required=False, widget=DateInput()
    )
    # Facts that decide the Decree 105 duties; blank when unknown (every change is audited).
    employees = forms.IntegerField(
        label=_("Số người thường xuyên làm việc tại cơ sở"), required=False, min_value=0
    )
    business_area_m2 = forms.DecimalField(
        label=_("Diện tích phục vụ kinh doanh (m²)"), required=False, min_value=0, max_digits=12
    )
    gas_stored_kg = forms.DecimalField(
        label=_("Lượng khí đốt tồn chứa (kg)"), required=False, min_value=0, max_digits=12
    )
    voltage_kv = forms.IntegerField(
        label=_("Điện áp trạm biến áp (kV)"), required=False, min_value=0
    )
    length_m = forms.DecimalField(
        label=_("Chiều dài hầm (m)"), required=False, min_value=0, max_digits=10
    )
    site_area_m2 = forms.DecimalField(
        label=_("Diện tích khu đất, bãi (m²)"), required=False, min_value=0, max_digits=14
    )
    heritage_rank = forms.ChoiceField(
        label=_("Cấp di tích"), choices=HeritageRank.choices, required=False
    )
    works_grade = forms.ChoiceField(
        label=_("Cấp công trình"), choices=WorksGrade.choices, required=False
    )
    fishing_port_class = forms.ChoiceField(
        label=_("Loại cảng cá"), choices=FishingPortClass.choices, required=False
    )
    needs_design_appraisal = forms.NullBooleanField(
        label=_("Thuộc diện thẩm duyệt, thẩm định thiết kế về PCCC"), required=False
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
        "onsite_team_members",
        "last_regular_check_on",
        "last_self_inspection_on",
        "last_pc04_report_on",
        "employees",
        "business_area_m2",
        "gas_stored_kg",
        "voltage_kv",
        "length_m",
        "site_area_m2",
        "heritage_rank",
        "works_grade",
        "fishing_port_class",
        "needs_design_appraisal",
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
    # Blank means the head's own full training (what a certificate meant before duties existed).
    duty = forms.ChoiceField(
        label=_("Đối tượng huấn luyện"), choices=TrainingDuty.choices, required=False
    )
    training_kind = forms.ChoiceField(label=_("Loại"), choices=TrainingKind.choices, required=False)
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
        data["duty"] = data.get("duty") or TrainingDuty.HEAD
        data["training_kind"] = data.get("training_kind") or TrainingKind.FULL
        return data
