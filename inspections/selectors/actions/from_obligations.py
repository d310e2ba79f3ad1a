"""Action rows from stored obligations: duties due or not met, facts missing, duties unassessed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext, pgettext

from inspections.models import Inspection, Obligation, ObligationStatus, Premises
from inspections.rules.alarm import alarm_step
from inspections.rules.labels import fact_label
from inspections.rules.reminders.duties import duty_kind
from inspections.rules.reminders.wording import in_active_language

from .rows import ActionCitation, ActionRow, Kind, badge, facts_url, fmt_day, window_days

_DUTY_ROW_KIND = {
    "insurance_expiry": Kind.INSURANCE,
    "self_inspection_due": Kind.SELF_INSPECTION,
    "pc04_report_due": Kind.PC04,
    "alarm_roadmap": Kind.ALARM_DEVICE,
    "data_declaration_due": Kind.ALARM_DEVICE,
    "drill_due": Kind.FACT_DATE,
    "regular_check_due": Kind.FACT_DATE,
}
# The premises fact a duty's form field fills (anchor of the facts form).
_DUTY_FACT = {
    "insurance_expiry": "insurance_expires_on",
    "alarm_roadmap": "alarm_device_state",
    "data_declaration_due": "fire_data_declared_on",
    "drill_due": "last_drill_on",
    "regular_check_due": "last_regular_check_on",
}
# What the due date means, per duty: "%(date)s" is filled in (dd/mm/yyyy).
_DUE_TEXT: dict[str | None, str] = {
    "insurance_expiry": gettext_noop(
        "Giấy chứng nhận bảo hiểm cháy, nổ bắt buộc hết hiệu lực ngày %(date)s"
    ),
    "self_inspection_due": gettext_noop(
        "Kỳ tự kiểm tra PCCC định kỳ (mẫu PC02) đến hạn ngày %(date)s"
    ),
    "pc04_report_due": gettext_noop(
        "Hạn gửi báo cáo kết quả công tác PCCC (mẫu PC04) ngày %(date)s"
    ),
    "alarm_roadmap": gettext_noop(
        "Hạn trang bị, kết nối thiết bị truyền tin báo cháy ngày %(date)s"
    ),
    "data_declaration_due": gettext_noop("Hạn khai báo dữ liệu PCCC lần đầu ngày %(date)s"),
    "drill_due": gettext_noop("Hạn thực tập phương án chữa cháy, cứu nạn, cứu hộ ngày %(date)s"),
    "regular_check_due": gettext_noop("Hạn tự kiểm tra PCCC thường xuyên ngày %(date)s"),
    "training": gettext_noop("Hạn có chứng nhận huấn luyện nghiệp vụ PCCC còn hiệu lực: %(date)s"),
    None: gettext_noop("Hạn thực hiện ngày %(date)s"),
}


def obligation_rows(
    obligations: list[Obligation],
    premises: dict[int, Premises],
    cites: dict[int, ActionCitation],
    today: dt.date,
) -> Iterable[ActionRow]:
    missing: dict[int, list[Obligation]] = {}
    unassessed: dict[int, list[Obligation]] = {}
    for ob in obligations:
        req = ob.requirement
        name = premises[ob.premises_id].name
        if ob.status == ObligationStatus.UNKNOWN and (ob.missing_facts or ob.due_on is None):
            # Undated and undecided; an unknown duty with a date (a PC04 never sent) is still
            # owed by that date, so it is listed by date below.
            group = missing if ob.missing_facts else unassessed
            group.setdefault(ob.premises_id, []).append(ob)
            continue
        duty = duty_kind(req.deadline_rule)
        rule_type = (req.deadline_rule or {}).get("type")
        kind = _DUTY_ROW_KIND.get(duty or "", Kind.OBLIGATION)
        overdue = ob.status == ObligationStatus.OVERDUE or (
            ob.status == ObligationStatus.NOT_MET and ob.due_on is not None and ob.due_on < today
        )
        if ob.status == ObligationStatus.MET:
            # A met duty comes back when its next date enters the reminder window; training
            # does through each certificate's own row.
            if rule_type in ("training", "team_size"):
                continue
            if ob.due_on is None or not 0 <= (ob.due_on - today).days <= window_days(kind, duty):
                continue
        trigger = obligation_trigger(
            ob, "training" if rule_type in ("training", "team_size") else duty
        )
        if kind == Kind.ALARM_DEVICE and ob.status != ObligationStatus.MET:
            trigger = _("%(trigger)s; hiện trạng: %(state)s") % {
                "trigger": trigger,
                "state": alarm_step(premises[ob.premises_id].alarm_device_state).lower(),
            }
        action, url, post = obligation_action(ob, kind, duty)
        yield ActionRow(
            kind=kind,
            premises_id=ob.premises_id,
            premises_name=name,
            due_on=ob.due_on,
            days_left=(ob.due_on - today).days if ob.due_on else None,
            overdue=overdue,
            title=in_active_language(req.title_vi, req.title_en or req.title_vi),
            trigger=trigger,
            badge=badge(ob.due_on, today, overdue=overdue),
            action=action,
            url=url,
            post=post,
            citation=cites.get(req.pk),
            self_reported=_self_reported(ob),
        )
    for pid, obs in missing.items():
        yield missing_facts_row(pid, premises[pid].name, obs, cites)
    for pid, obs in unassessed.items():
        yield unassessed_row(pid, premises[pid].name, obs)


def _self_reported(ob: Obligation) -> bool:
    answer = ob.source_answer
    return answer is not None and answer.inspection.kind == Inspection.Kind.SELF


def obligation_trigger(ob: Obligation, duty: str | None) -> str:
    """Why the row is here, from what is stored: the due date and what it means, or the
    answer that was recorded "not compliant" (by whom, on which day)."""
    parts: list[str] = []
    if ob.due_on is not None:
        parts.append(_(_DUE_TEXT.get(duty, _DUE_TEXT[None])) % {"date": fmt_day(ob.due_on)})
    answer = ob.source_answer
    if answer is not None and answer.value == "non_compliant":
        day = {"day": fmt_day(timezone.localdate(answer.answered_at))}
        if answer.inspection.kind == Inspection.Kind.SELF:
            parts.append(_("cơ sở tự đánh giá “không đạt” khi tự kiểm tra ngày %(day)s") % day)
        else:
            parts.append(_("đoàn kiểm tra ghi nhận “không đạt” ngày %(day)s") % day)
    if not parts:
        # The catalogue's reason is bilingual data; an obligation stored without one is "not met".
        reason = in_active_language(ob.reason_vi, ob.reason_en or ob.reason_vi)
        parts.append(reason or _("Chưa đáp ứng"))
    return "; ".join(parts)


def obligation_action(ob: Obligation, kind: str, duty: str | None) -> tuple[str, str, bool]:
    """The button: its label, where it goes, and whether it starts something (POST)."""
    pid = ob.premises_id
    if kind == Kind.SELF_INSPECTION:
        return _("Bắt đầu tự kiểm tra"), reverse("portal:self_inspection_start", args=[pid]), True
    if kind == Kind.PC04:
        return _("Lập báo cáo PC04"), reverse("portal:pc04_start", args=[pid]), True
    if kind == Kind.INSURANCE:
        return _("Cập nhật bảo hiểm"), facts_url(pid, _DUTY_FACT[duty or ""]), False
    if kind in (Kind.ALARM_DEVICE, Kind.FACT_DATE):
        return (
            pgettext("head action", "Cập nhật thông tin"),
            facts_url(pid, _DUTY_FACT.get(duty or "")),
            False,
        )
    rule_type = (ob.requirement.deadline_rule or {}).get("type")
    if rule_type in ("training", "team_size"):
        return (
            _("Cập nhật huấn luyện, đội PCCC"),
            reverse("portal:premises_facts", args=[pid]) + "#certificates",
            False,
        )
    # Anything else is shown with the evidence it asks for on the premises page.
    return (
        _("Nộp chứng cứ"),
        reverse("portal:premises_detail", args=[pid]) + f"#ob-{ob.requirement.code}",
        False,
    )


def missing_facts_row(
    pid: int, name: str, group: list[Obligation], cites: dict[int, ActionCitation]
) -> ActionRow:
    """One row per premises: the facts to fill in, and the duties they decide."""
    facts = list(dict.fromkeys(f for ob in group for f in ob.missing_facts))
    labels = tuple(fact_label(f) for f in facts)
    titles = "; ".join(
        in_active_language(
            ob.requirement.title_vi, ob.requirement.title_en or ob.requirement.title_vi
        )
        for ob in group[:3]
    )
    more = len(group) - 3
    if more > 0:
        titles = ngettext(
            "%(duties)s và %(count)d nghĩa vụ khác", "%(duties)s và %(count)d nghĩa vụ khác", more
        ) % {"duties": titles, "count": more}
    return ActionRow(
        kind=Kind.UNKNOWN,
        premises_id=pid,
        premises_name=name,
        due_on=None,
        days_left=None,
        overdue=False,
        title=pgettext("head action", "Thiếu thông tin để xác định nghĩa vụ"),
        trigger=_("Cần bổ sung %(facts)s — để xác định: %(duties)s")
        % {"facts": ", ".join(in_active_language(*label) for label in labels), "duties": titles},
        badge=pgettext("action badge", "Chưa xác định"),
        action=_("Bổ sung thông tin"),
        url=facts_url(pid, facts[0]),
        citation=cites.get(group[0].requirement_id),
        missing_facts=labels,
    )


def unassessed_row(pid: int, name: str, group: list[Obligation]) -> ActionRow:
    """Duties that apply but nobody has checked yet: a self-inspection records them."""
    n = len(group)
    return ActionRow(
        kind=Kind.UNASSESSED,
        premises_id=pid,
        premises_name=name,
        due_on=None,
        days_left=None,
        overdue=False,
        title=ngettext(
            "%(count)d nghĩa vụ chưa được đánh giá", "%(count)d nghĩa vụ chưa được đánh giá", n
        )
        % {"count": n},
        trigger=_("Chưa có kết quả kiểm tra hay tự kiểm tra nào cho các nghĩa vụ này"),
        badge=pgettext("action badge", "Chưa đánh giá"),
        action=_("Tự kiểm tra để đánh giá"),
        url=reverse("portal:self_inspection_start", args=[pid]),
        post=True,
    )
