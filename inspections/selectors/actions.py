"""What a facility head must do next, across all their premises: one list, overdue first.

Every date here is stored: a finding's remediation deadline, an obligation's due date (computed
by the rules from the catalogue's decree intervals and stored by ``refresh_obligations``), a
certificate's expiry, an inspection's scheduled day. "Due soon" is the reminder window of the
row's kind (``settings.REMINDERS``) or ``PORTAL_ACTIONS_HORIZON_DAYS``, whichever is longer, so
the home page shows what the reminders talk about.

The texts are rendered in the active language (the portal's): messages through gettext
(Vietnamese source, English in locale/en); catalogue data that is bilingual by nature
(requirement titles, reasons, citation labels, fact names) is picked by the language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext, pgettext

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
from inspections.rules.obligations import alarm_step, fact_label
from inspections.rules.reminders.citations import catalogue_cite, law_cite
from inspections.rules.reminders.duties import duty_kind
from inspections.rules.reminders.schedule import lookahead_days
from inspections.rules.reminders.wording import in_active_language
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
    # In the active language when the list was built.
    title: str
    trigger: str  # exactly what put the row here
    badge: str
    action: str  # the button's label
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


def _badge(due: dt.date | None, today: dt.date, *, overdue: bool) -> str:
    if due is None:
        return pgettext("action badge", "Quá hạn") if overdue else _("Chưa đáp ứng")
    days = (due - today).days
    if days < 0:
        return ngettext("Quá hạn %(days)d ngày", "Quá hạn %(days)d ngày", -days) % {"days": -days}
    if days == 0:
        return _("Hạn hôm nay")
    return ngettext("Còn %(days)d ngày", "Còn %(days)d ngày", days) % {"days": days}


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
            r.title,
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
        trigger = _obligation_trigger(
            ob, "training" if rule_type in ("training", "team_size") else duty
        )
        if kind == Kind.ALARM_DEVICE and ob.status != ObligationStatus.MET:
            trigger = _("%(trigger)s; hiện trạng: %(state)s") % {
                "trigger": trigger,
                "state": alarm_step(premises[ob.premises_id].alarm_device_state).lower(),
            }
        action, url, post = _obligation_action(ob, kind, duty)
        yield ActionRow(
            kind=kind,
            premises_id=ob.premises_id,
            premises_name=name,
            due_on=ob.due_on,
            days_left=(ob.due_on - today).days if ob.due_on else None,
            overdue=overdue,
            title=in_active_language(req.title_vi, req.title_en or req.title_vi),
            trigger=trigger,
            badge=_badge(ob.due_on, today, overdue=overdue),
            action=action,
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


def _obligation_trigger(ob: Obligation, duty: str | None) -> str:
    """Why the row is here, from what is stored: the due date and what it means, or the
    answer that was recorded "not compliant" (by whom, on which day)."""
    parts: list[str] = []
    if ob.due_on is not None:
        parts.append(_(_DUE_TEXT.get(duty, _DUE_TEXT[None])) % {"date": _fmt(ob.due_on)})
    answer = ob.source_answer
    if answer is not None and answer.value == "non_compliant":
        day = {"day": _fmt(timezone.localdate(answer.answered_at))}
        if answer.inspection.kind == Inspection.Kind.SELF:
            parts.append(_("cơ sở tự đánh giá “không đạt” khi tự kiểm tra ngày %(day)s") % day)
        else:
            parts.append(_("đoàn kiểm tra ghi nhận “không đạt” ngày %(day)s") % day)
    if not parts:
        # The catalogue's reason is bilingual data; an obligation stored without one is "not met".
        reason = in_active_language(ob.reason_vi, ob.reason_en or ob.reason_vi)
        parts.append(reason or _("Chưa đáp ứng"))
    return "; ".join(parts)


def _obligation_action(ob: Obligation, kind: str, duty: str | None) -> tuple[str, str, bool]:
    """The button: its label, where it goes, and whether it starts something (POST)."""
    pid = ob.premises_id
    if kind == Kind.SELF_INSPECTION:
        return _("Bắt đầu tự kiểm tra"), reverse("portal:self_inspection_start", args=[pid]), True
    if kind == Kind.PC04:
        return _("Lập báo cáo PC04"), reverse("portal:pc04_start", args=[pid]), True
    if kind == Kind.INSURANCE:
        return _("Cập nhật bảo hiểm"), _facts_url(pid, _DUTY_FACT[duty or ""]), False
    if kind in (Kind.ALARM_DEVICE, Kind.FACT_DATE):
        return (
            pgettext("head action", "Cập nhật thông tin"),
            _facts_url(pid, _DUTY_FACT.get(duty or "")),
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


def _missing_facts_row(
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
        names = {
            "day": _fmt(found_on),
            # A finding of the head's own self-inspection has no authority.
            "by": str(f.inspection.authority)
            if f.inspection.authority_id
            else pgettext("finding recorded by", "cơ sở"),
        }
        if due is None:
            trigger = _("Vi phạm ghi trong biên bản kiểm tra ngày %(day)s (%(by)s)") % names
        else:
            trigger = _(
                "Vi phạm ghi trong biên bản kiểm tra ngày %(day)s (%(by)s); hạn khắc phục %(due)s"
            ) % (names | {"due": _fmt(due)})
        yield ActionRow(
            kind=Kind.FINDING,
            premises_id=f.premises_id,
            premises_name=premises[f.premises_id].name,
            due_on=due,
            days_left=(due - today).days if due else None,
            overdue=overdue,
            title=f.description,
            trigger=trigger,
            badge=_badge(due, today, overdue=overdue),
            action=_("Tải lên chứng cứ khắc phục"),
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
        yield ActionRow(
            kind=Kind.CERTIFICATE,
            premises_id=c.premises_id,
            premises_name=premises[c.premises_id].name,
            due_on=expires,
            days_left=(expires - today).days,
            overdue=overdue,
            title=_("Chứng nhận huấn luyện PCCC của %(holder)s") % {"holder": c.holder_name},
            trigger=_("Chứng nhận số %(number)s hết hạn ngày %(date)s")
            % {"number": c.number or "—", "date": _fmt(expires)},
            badge=_badge(expires, today, overdue=overdue),
            action=_("Cập nhật chứng nhận"),
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
        if i.notice_sent_at:
            notice = _("thông báo gửi ngày %(day)s") % {
                "day": _fmt(timezone.localdate(i.notice_sent_at))
            }
        elif i.kind == Inspection.Kind.UNANNOUNCED:
            notice = pgettext("inspection notice", "kiểm tra đột xuất")
        else:
            notice = _("chưa nhận thông báo")
        days = (scheduled - today).days
        yield ActionRow(
            kind=Kind.INSPECTION,
            premises_id=i.premises_id,
            premises_name=premises[i.premises_id].name,
            due_on=scheduled,
            days_left=days,
            overdue=False,
            title=pgettext("upcoming inspection", "%(kind)s: %(authority)s")
            % {"kind": i.get_kind_display(), "authority": i.authority},
            trigger=_("%(authority)s kiểm tra ngày %(day)s; %(notice)s")
            % {"authority": i.authority, "day": _fmt(scheduled), "notice": notice},
            badge=_("Hôm nay")
            if days == 0
            else ngettext("Sau %(days)d ngày", "Sau %(days)d ngày", days) % {"days": days},
            action=_("Xem đợt kiểm tra, chuẩn bị hồ sơ"),
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
                    "action": _("Tiếp tục đợt tự kiểm tra đang làm"),
                    "url": reverse("portal:self_inspection", args=[drafts[r.premises_id]]),
                    "post": False,
                }
            )
        out.append(r)
    return out


__all__ = ["ActionList", "ActionRow", "Kind", "actions_for_head", "headed_premises"]
