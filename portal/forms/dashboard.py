"""The manager dashboard's filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from inspections.models import PremisesKind


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
