"""Portal forms: input parsing only; the services validate and change state."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Authority, User
from inspections import access
from inspections.inputs import validate_sane_date
from inspections.models import (
    AlarmDeviceState,
    FishingPortClass,
    HeritageRank,
    Inspection,
    PremisesKind,
    TrainingDuty,
    TrainingKind,
    WorksGrade,
)

# Dates are typed dd/mm/yyyy whatever the browser's locale: a native date picker shows
# mm/dd/yyyy on an English-US browser and people in Viet Nam then enter the wrong day. ISO
# (yyyy-mm-dd, what older links and autofill send) and dd-mm-yyyy / dd.mm.yyyy are accepted too.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
# Valid under the "v" flag browsers compile pattern="" with (no bare "/" or "-" in a class).
DATE_PATTERN = r"\s*(\d{1,2}(\/|\.|-)\d{1,2}(\/|\.|-)\d{4}|\d{4}-\d{1,2}-\d{1,2})\s*"


class DateInput(forms.DateInput):
    """A text box that shows and takes dd/mm/yyyy in both languages."""

    input_type = "text"

    def __init__(self, attrs=None, **kwargs):
        attrs = {
            "inputmode": "numeric",
            "pattern": DATE_PATTERN,
            "placeholder": "dd/mm/yyyy",
            "autocomplete": "off",
            "size": 10,
            "maxlength": 12,
            "class": "date-input",
            **(attrs or {}),
        }
        super().__init__(attrs=attrs, format="%d/%m/%Y", **kwargs)


class SaneDateField(forms.DateField):
    """A date typed dd/mm/yyyy, within the range every input of the system accepts
    (inspections/inputs.py)."""

    default_validators = [validate_sane_date]
    widget = DateInput
    input_formats = DATE_INPUT_FORMATS
    default_error_messages = {
        "invalid": _("Nhập ngày theo dạng ngày/tháng/năm, ví dụ 31/12/2026."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Ngày/tháng/năm, ví dụ 31/12/2026"))
        super().__init__(**kwargs)


def note_field(label, **kwargs) -> forms.CharField:
    """Free text capped like the API (settings.NOTE_MAX_CHARS)."""
    kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
    kwargs.setdefault("max_length", settings.NOTE_MAX_CHARS)
    return forms.CharField(label=label, **kwargs)


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


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Ảnh hoặc tài liệu"),
        help_text=_("Ảnh JPEG, PNG, WebP hoặc tệp PDF, tối đa %(mb)d MB.")
        % {"mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}
        ),
    )
    note = note_field(_("Ghi chú"), required=False)

    def clean_file(self):
        f = self.cleaned_data["file"]
        # Refuse before reading: the size is known from the upload headers.
        if f.size > settings.EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(
                _("Tệp lớn hơn %(mb)d MB.") % {"mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)}
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
    """The fields of the self-inspection page besides the answers (one per checklist item).

    No version field: answers are saved one by one as they are given, so the page's version
    would always be stale; between two answers to one item the later one wins."""

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


# --- Fire-safety dossier and forms ---------------------------------------------------------


class DossierUploadForm(forms.Form):
    item = forms.ChoiceField(label=_("Mục hồ sơ (khoản 1 Điều 4 Nghị định 105)"), choices=())
    title = forms.CharField(label=_("Tên tài liệu"), max_length=255)
    made_on = SaneDateField(label=_("Ngày lập, ban hành"), widget=DateInput())
    file = forms.FileField(
        label=_("Tệp"),
        help_text=_("Tệp PDF hoặc ảnh chụp tài liệu (JPEG, PNG, WebP)."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}
        ),
    )

    def __init__(self, *args, **kwargs):
        from inspections.models import DossierItem

        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(v, f"{v}) {label}") for v, label in DossierItem.choices]


class Pc04Form(forms.Form):
    """The head's edits of a PC04 draft, section by section (form PC04, note (3))."""

    responsibility = forms.CharField(
        label=_("Trách nhiệm về PCCC và CNCH của người đứng đầu cơ sở (khoản 3 Điều 8 Luật)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=20000,
    )
    self_inspection = forms.CharField(
        label=_("Nội dung và kết quả tự kiểm tra định kỳ"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=20000,
    )
    maintenance = forms.CharField(
        label=_("Việc bảo quản, bảo dưỡng phương tiện PCCC và CNCH"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20000,
    )
    insurance = forms.CharField(
        label=_("Việc thực hiện bảo hiểm cháy, nổ bắt buộc"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=20000,
    )
    findings = forms.CharField(
        label=_("Sơ hở, thiếu sót, vi phạm và cam kết thời hạn khắc phục"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=20000,
    )
    authority_requests = forms.CharField(
        label=_("Kết quả thực hiện yêu cầu, kiến nghị của cơ quan có thẩm quyền"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=20000,
    )
    proposals = forms.CharField(
        label=_("Đề xuất đối với cơ quan quản lý"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20000,
    )
    recipient = forms.TypedChoiceField(label=_("Kính gửi"), coerce=int, choices=())

    def __init__(self, *args, recipients=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].choices = [(a.pk, a.name) for a in recipients]
