"""The fire-safety dossier: uploading a document, editing a PC04 draft."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import DateInput, SaneDateField


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
