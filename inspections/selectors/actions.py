"""What a facility head must do next, across all their premises: one list, overdue first.

Every date here is stored: a finding's remediation deadline, an obligation's due date (computed
by the rules from the catalogue's decree intervals and stored by ``refresh_obligations``), a
certificate's expiry, an inspection's scheduled day. "Due soon" is the reminder window of the
row's kind (``settings.REMINDERS``) or ``PORTAL_ACTIONS_HORIZON_DAYS``, whichever is longer, so
the home page shows what the reminders talk about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from inspections import access
from inspections.models import (
    Citation,
    Finding,
    Inspection,
    Obligation,
    ObligationStatus,
    Premises,
    TrainingCertificate,
)
from inspections.rules.obligations import ALARM_STEPS, fact_label
from inspections.rules.reminders.citations import catalogue_cite, law_cite
from inspections.rules.reminders.duties import duty_kind
from inspections.rules.reminders.schedule import lookahead_days
from inspections.selectors.notifications import reminder_config

from .catalogue import citation_ref


class Kind:
    """Row kinds: each one names the place where the head does the work."""

    FINDING = "finding"
    OBLIGATION = "obligation"
    UNKNOWN = "unknown"  # facts missing: the rules cannot tell whether or when a duty binds
    UNASSESSED = "unassessed"  # applies, but no inspection or self-inspection has checked it
    INSURANCE = "insurance"
    CERTIFICATE = "certificate"
    INSPECTION = "inspection"
    SELF_INSPECTION = "self_inspection"
    PC04 = "pc04"
    ALARM_DEVICE = "alarm_device"
    FACT_DATE = "fact_date"  # a recurring duty whose last date the head records (drill, check)


# Reminder kind of a catalogue duty (rules/reminders/duties.py: duty_kind) → row kind.
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
# What the due date means, per duty: "{date}" is filled in (dd/mm/yyyy).
_DUE_TEXT: dict[str | None, tuple[str, str]] = {
    "insurance_expiry": (
        "Giấy chứng nhận bảo hiểm cháy, nổ bắt buộc hết hiệu lực ngày {date}",
        "The compulsory fire and explosion insurance certificate expires on {date}",
    ),
    "self_inspection_due": (
        "Kỳ tự kiểm tra PCCC định kỳ (mẫu PC02) đến hạn ngày {date}",
        "The periodic self-inspection (form PC02) is due on {date}",
    ),
    "pc04_report_due": (
        "Hạn gửi báo cáo kết quả công tác PCCC (mẫu PC04) ngày {date}",
        "The fire-safety work report (form PC04) is due on {date}",
    ),
    "alarm_roadmap": (
        "Hạn trang bị, kết nối thiết bị truyền tin báo cháy ngày {date}",
        "Alarm-transmission device to be installed and connected by {date}",
    ),
    "data_declaration_due": (
        "Hạn khai báo dữ liệu PCCC lần đầu ngày {date}",
        "First fire-data declaration due on {date}",
    ),
    "drill_due": (
        "Hạn thực tập phương án chữa cháy, cứu nạn, cứu hộ ngày {date}",
        "Fire and rescue plan drill due on {date}",
    ),
    "regular_check_due": (
        "Hạn tự kiểm tra PCCC thường xuyên ngày {date}",
        "Regular fire-safety self-check due on {date}",
    ),
    "training": (
        "Hạn có chứng nhận huấn luyện nghiệp vụ PCCC còn hiệu lực: {date}",
        "A valid fire-safety training certificate is required from {date}",
    ),
    None: ("Hạn thực hiện ngày {date}", "Due on {date}"),
}
_REMINDER_OF_KIND = {
    Kind.FINDING: "finding_deadline",
    Kind.CERTIFICATE: "training_expiry",
    Kind.INSPECTION: "inspection_due",
}


@dataclass(frozen=True)
class ActionCitation:
    label_vi: str
    label_en: str
    text_vi: str


@dataclass(frozen=True)
class ActionRow:
    """One thing to do: where, by when, what triggered it, under which provision, and where."""

    kind: str
    premises_id: int
    premises_name: str
    due_on: dt.date | None
    days_left: int | None  # negative when overdue
    overdue: bool
    title_vi: str
    title_en: str
    trigger_vi: str  # exactly what put the row here
    trigger_en: str
    badge_vi: str
    badge_en: str
    action_vi: str  # the button's label
    action_en: str
    url: str
    post: bool = False  # the button starts something (a self-inspection, a PC04 draft)
    citation: ActionCitation | None = None
    missing_facts: tuple[tuple[str, str], ...] = ()  # (label vi, label en) to fill in
    self_reported: bool = False  # decided by the head's own answer, not by an authority


@dataclass
class ActionList:
    rows: list[ActionRow]
    overdue: int
    due_soon: int
    unknown: int
    premises_count: int

    @property
    def overdue_rows(self) -> list[ActionRow]:
        return [r for r in self.rows if r.overdue]

    @property
    def upcoming_rows(self) -> list[ActionRow]:
        return [r for r in self.rows if not r.overdue and r.due_on is not None]

    @property
    def undated_rows(self) -> list[ActionRow]:
        return [r for r in self.rows if not r.overdue and r.due_on is None]


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _window(kind: str, reminder_kind: str | None = None) -> int:
    reminder_kind = reminder_kind or _REMINDER_OF_KIND.get(kind)
    lookahead = lookahead_days(reminder_config(reminder_kind)) if reminder_kind else 0
    return max(lookahead, settings.PORTAL_ACTIONS_HORIZON_DAYS)


def _badge(due: dt.date | None, today: dt.date, *, overdue: bool) -> tuple[str, str]:
    if due is None:
        return ("Quá hạn", "Overdue") if overdue else ("Chưa đáp ứng", "Not met")
    days = (due - today).days
    if days < 0:
        return f"Quá hạn {-days} ngày", f"{-days} days overdue"
    if days == 0:
        return "Hạn hôm nay", "Due today"
    return f"Còn {days} ngày", f"{days} days left"


def _citations(requirement_ids: Iterable[int | None]) -> dict[int, ActionCitation]:
    """The first citation of each requirement (one query for the whole list); None is skipped."""
    out: dict[int, ActionCitation] = {}
    ids = {i for i in requirement_ids if i}
    if not ids:
        return out
    for c in (
        Citation.objects.filter(requirement_id__in=ids)
        .select_related("provision__document")
        .order_by("requirement_id", "order")
    ):
        if c.requirement_id not in out:
            cite = catalogue_cite(citation_ref(c))
            out[c.requirement_id] = ActionCitation(cite.label_vi, cite.label_en, cite.text_vi)
    return out


def _config_citation(reminder_kind: str) -> ActionCitation | None:
    """The law provision a reminder kind cites (settings.REMINDERS), for rows with no
    requirement of their own (certificates, inspections)."""
    for article, clause, point in reminder_config(reminder_kind).cite[:1]:
        cite = law_cite(article, clause, point)
        return ActionCitation(cite.label_vi, cite.label_en, cite.text_vi)
    return None


def headed_premises(user: User) -> QuerySet[Premises]:
    """The premises this user heads and may see (the access module decides visibility)."""
    return access.premises_visible_to(user).filter(heads=user)


def actions_for_head(user: User, *, today: dt.date) -> ActionList:
    """Everything the head has to do across their premises, sorted: overdue first (oldest
    first), then by due date, then what has no date (facts to fill in)."""
    premises = {p.pk: p for p in headed_premises(user).only("pk", "name", "alarm_device_state")}
    ids = list(premises)
    rows: list[ActionRow] = []
    if ids:
        obligations = list(
            Obligation.objects.filter(premises_id__in=ids)
            .select_related("requirement", "source_answer__inspection")
            .order_by("premises_id", "requirement__order")
        )
        findings = list(
            access.findings_visible_to(user)
            .filter(premises_id__in=ids, status=Finding.Status.OPEN)
            .select_related("inspection", "inspection__authority")
            .order_by("remediation_deadline", "pk")
        )
        cites = _citations(
            [o.requirement_id for o in obligations] + [f.requirement_id for f in findings]
        )
        rows += _obligation_rows(obligations, premises, cites, today)
        rows += _finding_rows(findings, premises, cites, today)
        rows += _certificate_rows(ids, premises, today)
        rows += _inspection_rows(user, ids, premises, today)
        rows = _point_self_inspections_at_drafts(user, ids, rows)
    rows.sort(
        key=lambda r: (
            not r.overdue,
            r.due_on is None,
            r.due_on or dt.date.max,
            r.premises_name,
            r.title_vi,
        )
    )
    return ActionList(
        rows=rows,
        overdue=sum(r.overdue for r in rows),
        due_soon=sum(1 for r in rows if not r.overdue and r.due_on is not None),
        unknown=sum(1 for r in rows if r.kind in (Kind.UNKNOWN, Kind.UNASSESSED)),
        premises_count=len(ids),
    )


def _facts_url(premises_id: int, fact: str | None = None) -> str:
    url = reverse("portal:premises_facts", args=[premises_id])
    return f"{url}#id_{fact}" if fact else url


def _obligation_rows(
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
            if ob.due_on is None or not 0 <= (ob.due_on - today).days <= _window(kind, duty):
                continue
        trigger_vi, trigger_en = _obligation_trigger(
            ob, "training" if rule_type in ("training", "team_size") else duty
        )
        if kind == Kind.ALARM_DEVICE and ob.status != ObligationStatus.MET:
            state_vi, state_en = ALARM_STEPS.get(
                premises[ob.premises_id].alarm_device_state, ALARM_STEPS["none"]
            )
            trigger_vi += f"; hiện trạng: {state_vi.lower()}"
            trigger_en += f"; now: {state_en.lower()}"
        badge_vi, badge_en = _badge(ob.due_on, today, overdue=overdue)
        action_vi, action_en, url, post = _obligation_action(ob, kind, duty)
        yield ActionRow(
            kind=kind,
            premises_id=ob.premises_id,
            premises_name=name,
            due_on=ob.due_on,
            days_left=(ob.due_on - today).days if ob.due_on else None,
            overdue=overdue,
            title_vi=req.title_vi,
            title_en=req.title_en or req.title_vi,
            trigger_vi=trigger_vi,
            trigger_en=trigger_en,
            badge_vi=badge_vi,
            badge_en=badge_en,
            action_vi=action_vi,
            action_en=action_en,
            url=url,
            post=post,
            citation=cites.get(req.pk),
            self_reported=_self_reported(ob),
        )
    for pid, obs in missing.items():
        yield _missing_facts_row(pid, premises[pid].name, obs, cites)
    for pid, obs in unassessed.items():
        yield _unassessed_row(pid, premises[pid].name, obs)


def _self_reported(ob: Obligation) -> bool:
    answer = ob.source_answer
    return answer is not None and answer.inspection.kind == Inspection.Kind.SELF


def _obligation_trigger(ob: Obligation, duty: str | None) -> tuple[str, str]:
    """Why the row is here, from what is stored: the due date and what it means, or the
    answer that was recorded "not compliant" (by whom, on which day)."""
    parts_vi: list[str] = []
    parts_en: list[str] = []
    if ob.due_on is not None:
        vi, en = _DUE_TEXT.get(duty, _DUE_TEXT[None])
        parts_vi.append(vi.format(date=_fmt(ob.due_on)))
        parts_en.append(en.format(date=_fmt(ob.due_on)))
    answer = ob.source_answer
    if answer is not None and answer.value == "non_compliant":
        day = _fmt(timezone.localdate(answer.answered_at))
        if answer.inspection.kind == Inspection.Kind.SELF:
            parts_vi.append(f"cơ sở tự đánh giá “không đạt” khi tự kiểm tra ngày {day}")
            parts_en.append(f"self-assessed “not compliant” in the self-inspection of {day}")
        else:
            parts_vi.append(f"đoàn kiểm tra ghi nhận “không đạt” ngày {day}")
            parts_en.append(f"recorded “not compliant” by the inspectors on {day}")
    if not parts_vi:
        parts_vi.append(ob.reason_vi or "Chưa đáp ứng")
        parts_en.append(ob.reason_en or ob.reason_vi or "Not met")
    return "; ".join(parts_vi), "; ".join(parts_en)


def _obligation_action(ob: Obligation, kind: str, duty: str | None) -> tuple[str, str, str, bool]:
    pid = ob.premises_id
    if kind == Kind.SELF_INSPECTION:
        return (
            "Bắt đầu tự kiểm tra",
            "Start the self-inspection",
            reverse("portal:self_inspection_start", args=[pid]),
            True,
        )
    if kind == Kind.PC04:
        return (
            "Lập báo cáo PC04",
            "Write the PC04 report",
            reverse("portal:pc04_start", args=[pid]),
            True,
        )
    if kind == Kind.INSURANCE:
        return (
            "Cập nhật bảo hiểm",
            "Update the insurance",
            _facts_url(pid, _DUTY_FACT[duty or ""]),
            False,
        )
    if kind in (Kind.ALARM_DEVICE, Kind.FACT_DATE):
        return (
            "Cập nhật thông tin",
            "Update the facts",
            _facts_url(pid, _DUTY_FACT.get(duty or "")),
            False,
        )
    rule_type = (ob.requirement.deadline_rule or {}).get("type")
    if rule_type in ("training", "team_size"):
        return (
            "Cập nhật huấn luyện, đội PCCC",
            "Update training and team",
            reverse("portal:premises_facts", args=[pid]) + "#certificates",
            False,
        )
    # Anything else is shown with the evidence it asks for on the premises page.
    return (
        "Nộp chứng cứ",
        "Provide evidence",
        reverse("portal:premises_detail", args=[pid]) + f"#ob-{ob.requirement.code}",
        False,
    )


def _missing_facts_row(
    pid: int, name: str, group: list[Obligation], cites: dict[int, ActionCitation]
) -> ActionRow:
    """One row per premises: the facts to fill in, and the duties they decide."""
    facts = list(dict.fromkeys(f for ob in group for f in ob.missing_facts))
    labels = tuple(fact_label(f) for f in facts)
    titles_vi = "; ".join(ob.requirement.title_vi for ob in group[:3])
    titles_en = "; ".join(ob.requirement.title_en or ob.requirement.title_vi for ob in group[:3])
    more = len(group) - 3
    if more > 0:
        titles_vi += f" và {more} nghĩa vụ khác"
        titles_en += f" and {more} more duties"
    return ActionRow(
        kind=Kind.UNKNOWN,
        premises_id=pid,
        premises_name=name,
        due_on=None,
        days_left=None,
        overdue=False,
        title_vi="Thiếu thông tin để xác định nghĩa vụ",
        title_en="Facts missing to decide duties",
        trigger_vi=f"Cần bổ sung {', '.join(vi for vi, _ in labels)} — để xác định: {titles_vi}",
        trigger_en=f"Fill in {', '.join(en for _, en in labels)} — to decide: {titles_en}",
        badge_vi="Chưa xác định",
        badge_en="Unknown",
        action_vi="Bổ sung thông tin",
        action_en="Fill in the facts",
        url=_facts_url(pid, facts[0]),
        citation=cites.get(group[0].requirement_id),
        missing_facts=labels,
    )


def _unassessed_row(pid: int, name: str, group: list[Obligation]) -> ActionRow:
    """Duties that apply but nobody has checked yet: a self-inspection records them."""
    n = len(group)
    return ActionRow(
        kind=Kind.UNASSESSED,
        premises_id=pid,
        premises_name=name,
        due_on=None,
        days_left=None,
        overdue=False,
        title_vi=f"{n} nghĩa vụ chưa được đánh giá",
        title_en=f"{n} duties not assessed yet",
        trigger_vi="Chưa có kết quả kiểm tra hay tự kiểm tra nào cho các nghĩa vụ này",
        trigger_en="No inspection or self-inspection has recorded these duties yet",
        badge_vi="Chưa đánh giá",
        badge_en="Not assessed",
        action_vi="Tự kiểm tra để đánh giá",
        action_en="Self-inspect to assess them",
        url=reverse("portal:self_inspection_start", args=[pid]),
        post=True,
    )


def _finding_rows(
    findings: list[Finding],
    premises: dict[int, Premises],
    cites: dict[int, ActionCitation],
    today: dt.date,
) -> Iterable[ActionRow]:
    for f in findings:
        due = f.remediation_deadline
        overdue = due is not None and due < today
        found_on = f.inspection.scheduled_for or timezone.localdate(f.created_at)
        by = str(f.inspection.authority) if f.inspection.authority_id else "cơ sở"
        trigger_vi = f"Vi phạm ghi trong biên bản kiểm tra ngày {_fmt(found_on)} ({by})"
        trigger_en = f"Violation recorded in the inspection of {_fmt(found_on)} ({by})"
        if due is not None:
            trigger_vi += f"; hạn khắc phục {_fmt(due)}"
            trigger_en += f"; remediation deadline {_fmt(due)}"
        badge_vi, badge_en = _badge(due, today, overdue=overdue)
        yield ActionRow(
            kind=Kind.FINDING,
            premises_id=f.premises_id,
            premises_name=premises[f.premises_id].name,
            due_on=due,
            days_left=(due - today).days if due else None,
            overdue=overdue,
            title_vi=f.description,
            title_en=f.description,
            trigger_vi=trigger_vi,
            trigger_en=trigger_en,
            badge_vi=badge_vi,
            badge_en=badge_en,
            action_vi="Tải lên chứng cứ khắc phục",
            action_en="Upload remediation evidence",
            url=reverse("portal:finding_detail", args=[f.pk]),
            citation=cites.get(f.requirement_id) if f.requirement_id else None,
        )


def _certificate_rows(
    ids: list[int], premises: dict[int, Premises], today: dt.date
) -> Iterable[ActionRow]:
    """Certificates expired or expiring within the window; one renewed later (same holder,
    duty and kind) is not the head's concern any more."""
    horizon = today + dt.timedelta(days=_window(Kind.CERTIFICATE))
    latest: dict[tuple, TrainingCertificate] = {}
    for c in TrainingCertificate.objects.filter(
        premises_id__in=ids, expires_on__isnull=False
    ).order_by("expires_on", "pk"):
        latest[(c.premises_id, c.holder_name.strip().lower(), c.duty, c.training_kind)] = c
    cite = _config_citation("training_expiry")
    for c in latest.values():
        expires = c.expires_on
        if expires is None or expires > horizon:  # None: not read (filtered above)
            continue
        overdue = expires < today
        badge_vi, badge_en = _badge(expires, today, overdue=overdue)
        yield ActionRow(
            kind=Kind.CERTIFICATE,
            premises_id=c.premises_id,
            premises_name=premises[c.premises_id].name,
            due_on=expires,
            days_left=(expires - today).days,
            overdue=overdue,
            title_vi=f"Chứng nhận huấn luyện PCCC của {c.holder_name}",
            title_en=f"Fire-safety training certificate of {c.holder_name}",
            trigger_vi=f"Chứng nhận số {c.number or '—'} hết hạn ngày {_fmt(expires)}",
            trigger_en=f"Certificate no. {c.number or '—'} expires on {_fmt(expires)}",
            badge_vi=badge_vi,
            badge_en=badge_en,
            action_vi="Cập nhật chứng nhận",
            action_en="Update the certificate",
            url=reverse("portal:premises_facts", args=[c.premises_id]) + "#certificates",
            citation=cite,
        )


def _inspection_rows(
    user: User, ids: list[int], premises: dict[int, Premises], today: dt.date
) -> Iterable[ActionRow]:
    """Inspections an authority has scheduled within the window, with their written notice."""
    horizon = today + dt.timedelta(days=_window(Kind.INSPECTION))
    cite = _config_citation("inspection_due")
    for i in (
        access.inspections_visible_to(user)
        .filter(
            premises_id__in=ids,
            state=Inspection.State.SCHEDULED,
            authority__isnull=False,
            scheduled_for__gte=today,
            scheduled_for__lte=horizon,
        )
        .select_related("authority")
        .order_by("scheduled_for", "pk")
    ):
        scheduled = i.scheduled_for
        if scheduled is None:  # not read (filtered above)
            continue
        day = _fmt(scheduled)
        kind_vi = str(Inspection.Kind(i.kind).label)
        if i.notice_sent_at:
            sent = _fmt(timezone.localdate(i.notice_sent_at))
            notice_vi, notice_en = f"thông báo gửi ngày {sent}", f"notice sent on {sent}"
        elif i.kind == Inspection.Kind.UNANNOUNCED:
            notice_vi, notice_en = "kiểm tra đột xuất", "unannounced inspection"
        else:
            notice_vi, notice_en = "chưa nhận thông báo", "no written notice yet"
        days = (scheduled - today).days
        yield ActionRow(
            kind=Kind.INSPECTION,
            premises_id=i.premises_id,
            premises_name=premises[i.premises_id].name,
            due_on=scheduled,
            days_left=days,
            overdue=False,
            title_vi=f"{kind_vi}: {i.authority}",
            title_en=f"Inspection ({i.get_kind_display()}): {i.authority}",
            trigger_vi=f"{i.authority} kiểm tra ngày {day}; {notice_vi}",
            trigger_en=f"{i.authority} inspects on {day}; {notice_en}",
            badge_vi="Hôm nay" if days == 0 else f"Sau {days} ngày",
            badge_en="Today" if days == 0 else f"In {days} days",
            action_vi="Xem đợt kiểm tra, chuẩn bị hồ sơ",
            action_en="View the inspection, prepare the dossier",
            url=reverse("portal:inspection_detail", args=[i.pk]),
            citation=cite,
        )


def _point_self_inspections_at_drafts(
    user: User, ids: list[int], rows: list[ActionRow]
) -> list[ActionRow]:
    """A self-inspection already under way is continued, not started again."""
    drafts = dict(
        access.inspections_visible_to(user)
        .filter(
            premises_id__in=ids,
            kind=Inspection.Kind.SELF,
            state=Inspection.State.IN_PROGRESS,
        )
        .order_by("premises_id", "created_at")
        .values_list("premises_id", "pk")
    )
    out = []
    for r in rows:
        if r.kind in (Kind.SELF_INSPECTION, Kind.UNASSESSED) and r.premises_id in drafts:
            r = ActionRow(
                **{
                    **r.__dict__,
                    "action_vi": "Tiếp tục đợt tự kiểm tra đang làm",
                    "action_en": "Continue the self-inspection under way",
                    "url": reverse("portal:self_inspection", args=[drafts[r.premises_id]]),
                    "post": False,
                }
            )
        out.append(r)
    return out


__all__ = ["ActionList", "ActionRow", "Kind", "actions_for_head", "headed_premises"]
