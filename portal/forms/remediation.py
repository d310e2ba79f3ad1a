"""Remediation of a finding: the head's evidence and report, the authority's answer."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .fields import note_field


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
