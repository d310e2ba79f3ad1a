"""The form of the notification preferences page: one delivery choice per notification kind."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from inspections.models import Delivery
from inspections.selectors.notifications import PreferenceRow

MANDATORY_OFF_ERROR = _(
    "Đây là thời hạn theo quy định pháp luật: chỉ có thể gửi ngay hoặc gộp vào bản tin "
    "tổng hợp, không thể tắt."
)


class NotificationPreferencesForm(forms.Form):
    """Fields are built from ``preferences_for(user)`` so the choices follow the rules:
    a mandatory legal deadline offers immediate/digest only, never off."""

    def __init__(self, rows: list[PreferenceRow], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[row.kind] = forms.ChoiceField(
                label=row.label,
                choices=[(m, Delivery(m).label) for m in row.allowed],
                initial=row.mode,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Chọn cách nhận thông báo này."),
                    # The only value a browser can send outside the offered radios is "off"
                    # for a mandatory kind (a crafted or stale form): say why it is refused.
                    "invalid_choice": MANDATORY_OFF_ERROR
                    if row.mandatory
                    else _("Lựa chọn không hợp lệ."),
                },
            )

    def entries(self) -> list[tuple[PreferenceRow, forms.BoundField]]:
        """Rows paired with their bound fields, in the order of the notification kinds."""
        return [(row, self[row.kind]) for row in self.rows]

    def changes(self) -> dict[str, str]:
        """Kinds whose submitted mode differs from the effective one shown on the page."""
        return {
            row.kind: self.cleaned_data[row.kind]
            for row in self.rows
            if self.cleaned_data[row.kind] != row.mode
        }
