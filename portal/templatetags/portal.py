"""Template helpers of the portal: navigation by role, sort links, countdowns, status badges."""

from __future__ import annotations

import datetime as dt

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from inspections.access import is_facility_head, is_inspector, is_manager

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_nav(context) -> list[dict]:
    request = context["request"]
    user = request.user
    items: list[tuple[str, str]] = []
    if is_facility_head(user):
        items += [
            (reverse("portal:home"), _("Cơ sở của tôi")),
            (reverse("portal:findings"), _("Vi phạm cần khắc phục")),
            (reverse("portal:law_changes"), _("Thay đổi pháp luật")),
        ]
    if is_manager(user):
        items += [
            (reverse("portal:dashboard"), _("Tổng quan")),
            (reverse("portal:premises_list"), _("Danh sách cơ sở")),
            (reverse("portal:planning"), _("Kế hoạch kiểm tra")),
            (reverse("portal:inspections"), _("Đợt kiểm tra")),
            (reverse("portal:findings"), _("Vi phạm")),
            (reverse("portal:notifications"), _("Thông báo")),
            (reverse("portal:received_reports"), _("Báo cáo PC04")),
            (reverse("portal:law_changes"), _("Thay đổi pháp luật")),
        ]
    if is_inspector(user):
        # Inspections are done in the phone app; an inspector who also heads or manages
        # something reaches it from here.
        items.append((reverse("fieldapp:shell"), _("Ứng dụng kiểm tra")))
    # A head who also manages sees one findings link, not two.
    unique: dict[str, str] = {}
    for url, label in items:
        unique.setdefault(url, label)
    items = list(unique.items())
    if not items:
        items = [(reverse("portal:home"), _("Trang chính"))]
    path = request.path
    # The longest matching prefix is the current section ("/" would match everything).
    best = max((u for u, _l in items if path.startswith(u)), key=len, default=None)
    return [{"url": u, "label": label, "active": u == best} for u, label in items]


@register.simple_tag(takes_context=True)
def sort_link(context, field: str, label: str) -> str:
    """A column header link toggling ascending/descending on ``field``, keeping other params."""
    from django.utils.html import format_html

    request = context["request"]
    current = request.GET.get("sort", context.get("default_sort", ""))
    params = request.GET.copy()
    params.pop("page", None)
    if current == field:
        params["sort"] = f"-{field}"
        arrow, state = "▲", "ascending"
    elif current == f"-{field}":
        params["sort"] = field
        arrow, state = "▼", "descending"
    else:
        params["sort"] = field
        arrow, state = "", "none"
    return format_html(
        '<a href="?{}" data-sort="{}">{} <span aria-hidden="true">{}</span></a>',
        params.urlencode(),
        state,
        label,
        arrow,
    )


@register.simple_tag(takes_context=True)
def aria_sort(context, field: str) -> str:
    current = context["request"].GET.get("sort", context.get("default_sort", ""))
    if current == field:
        return "ascending"
    if current == f"-{field}":
        return "descending"
    return "none"


@register.filter
def days_left(value: dt.date | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    return (value - timezone.localdate()).days


@register.filter
def countdown(value: dt.date | None) -> str:
    """ "còn 12 ngày" / "quá hạn 3 ngày" / "hôm nay"."""
    days = days_left(value)
    if days is None:
        return ""
    if days == 0:
        return _("hết hạn hôm nay")
    if days > 0:
        return ngettext("còn %(n)d ngày", "còn %(n)d ngày", days) % {"n": days}
    return ngettext("quá hạn %(n)d ngày", "quá hạn %(n)d ngày", -days) % {"n": -days}


EVIDENCE_LABELS = {
    "document": gettext_lazy("tài liệu, hồ sơ"),
    "photo": gettext_lazy("ảnh chụp"),
    "measurement": gettext_lazy("số đo"),
}


@register.filter
def evidence_labels(kinds: list[str]) -> str:
    return ", ".join(str(EVIDENCE_LABELS.get(k, k)) for k in kinds or [])


@register.filter
def percent(part: int | None, whole: int | None) -> int:
    if not whole:
        return 0
    return round(100 * (part or 0) / whole)
