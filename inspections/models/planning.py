"""Planning data: days off that differ from the statutory calendar (for notice deadlines)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarOverride(models.Model):
    """A day whose status differs from the ``holidays`` package's Vietnamese calendar.

    The Government moves days off every year (bridge days, working Saturdays made up): an
    administrator records them here rather than waiting for a library release.
    """

    date = models.DateField(_("ngày"), unique=True)
    day_off = models.BooleanField(
        _("ngày nghỉ"),
        help_text=_("Bỏ chọn để đánh dấu ngày làm việc bù (ví dụ một thứ Bảy làm bù)."),
    )
    name = models.CharField(_("tên / căn cứ"), max_length=200)

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("ngày nghỉ, ngày làm bù")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} · {self.name}"
