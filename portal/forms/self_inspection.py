"""The self-inspection page."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


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
