"""Obligation evaluation: which requirements bind a premises, their status, due date and why."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from django.utils.translation import gettext_noop

from inspections.legal.citations import citation_label, quote

from .applicability import (
    FACT_LABELS,
    KIND_LABELS,
    Because,
    Decision,
    Params,
    decide,
    evaluate,
    resolve,
)
from .reminders.wording import _, in_language

MET, NOT_MET, UNKNOWN, OVERDUE = "met", "not_met", "unknown", "overdue"
_ONE_DAY = timedelta(days=1)
COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE = "compliant", "non_compliant", "not_applicable"

# Alarm-transmission roadmap steps (Art. 23.1.c / 20.5): none → installed → connected → declared.
# Vietnamese msgids, English in locale/en.
ALARM_STEPS: dict[str, str] = {
    "none": gettext_noop("Chưa trang bị thiết bị truyền tin báo cháy"),
    "installed": gettext_noop("Đã lắp thiết bị, chưa kết nối"),
    "connected": gettext_noop("Đã kết nối, chưa khai báo dữ liệu PCCC"),
    "declared": gettext_noop("Đã kết nối và khai báo dữ liệu PCCC"),
}


def alarm_step(step: str | None) -> str:
    """The device's step in the active language (an unknown state reads as "none")."""
    return _(ALARM_STEPS.get(step or "none", ALARM_STEPS["none"]))


def alarm_step_texts(step: str | None) -> tuple[str, str]:
    """(vi, en) of the device's step, for an obligation's reason (stored in both languages)."""
    return in_language("vi", lambda: alarm_step(step)), in_language("en", lambda: alarm_step(step))


@dataclass(frozen=True)
class CitationRef:
    document: str
    article: int
    clause: int | None
    point: str | None
    text_vi: str
    confidence: str = "verified"

    # Cached: the refresh labels the same few hundred citations for every premises.
    @cached_property
    def label_vi(self) -> str:
        return citation_label(self.document, self.article, self.clause, self.point, "vi")

    @cached_property
    def label_en(self) -> str:
        return citation_label(self.document, self.article, self.clause, self.point, "en")

    @property
    def quoted_text(self) -> str:
        """What applies: the point's words, or a lead-in clause with its points."""
        return quote(self.document, self.article, self.clause, self.point, self.text_vi)

    def as_dict(self) -> dict[str, Any]:
        return {
            "label_vi": self.label_vi,
            "label_en": self.label_en,
            "document": self.document,
            "article": self.article,
            "clause": self.clause,
            "point": self.point,
            "text_vi": self.text_vi,
            "confidence": self.confidence,
        }


@dataclass(frozen=True)
class RequirementSpec:
    code: str
    title_vi: str
    title_en: str
    premises_kinds: tuple[str, ...]
    applicability: Mapping[str, Any]
    citations: tuple[CitationRef, ...]
    severity: str = "major"
    deadline_rule: Mapping[str, Any] | None = None
    advice: bool = False
    order: int = 0
    id: int | None = None  # database id when built from the ORM
    decree_points: tuple[str, ...] = ()  # Decree 105 Art. 13.1 points


@dataclass
class ObligationResult:
    requirement: RequirementSpec
    status: str
    due_date: date | None
    days_left: int | None
    reason_vi: str
    reason_en: str
    detail_vi: str = ""
    detail_en: str = ""
    progress: str | None = None  # alarm roadmap step
    answer: str | None = None
    # Facts to fill in before the engine can tell whether (or when) the requirement binds.
    missing_facts: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        r = self.requirement
        return {
            "requirement": r.code,
            "title_vi": r.title_vi,
            "title_en": r.title_en,
            "severity": r.severity,
            "citations": [c.as_dict() for c in r.citations],
            "decree_points": list(r.decree_points),
            "status": self.status,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "days_left": self.days_left,
            "reason": self.reason_vi,
            "reason_vi": self.reason_vi,
            "reason_en": self.reason_en,
            "detail_vi": self.detail_vi,
            "detail_en": self.detail_en,
            "progress": self.progress,
            "missing_facts": list(self.missing_facts),
        }


@dataclass
class Advice:
    requirement: RequirementSpec
    reason_vi: str
    reason_en: str

    def as_dict(self) -> dict[str, Any]:
        r = self.requirement
        return {
            "requirement": r.code,
            "title_vi": r.title_vi,
            "title_en": r.title_en,
            "citations": [c.as_dict() for c in r.citations],
            "reason": self.reason_vi,
            "reason_vi": self.reason_vi,
            "reason_en": self.reason_en,
        }


@dataclass
class Evaluation:
    obligations: list[ObligationResult] = field(default_factory=list)
    advice: list[Advice] = field(default_factory=list)
    not_applicable: list[str] = field(default_factory=list)  # answered "not applicable"


def add_months(d: date, months: int) -> date:
    month = d.month - 1 + months
    year = d.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _fmt_date(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def _reason(spec: RequirementSpec, facts: Mapping[str, Any], because: Iterable[Because]):
    kind_vi, kind_en = KIND_LABELS.get(facts.get("kind", ""), ("Đối tượng", "Premises"))
    head_vi, head_en = kind_vi, kind_en
    if facts.get("province_name"):
        head_vi += f" tại {facts['province_name']}"
        head_en += f" in {facts['province_name']}"
    parts_vi = [head_vi] + [b.vi for b in because if b.vi]
    parts_en = [head_en] + [b.en for b in because if b.en]
    law = [c for c in spec.citations if c.document.startswith("55/")] or list(spec.citations)
    refs_vi = ", ".join(c.label_vi for c in law[:2])
    refs_en = ", ".join(c.label_en for c in law[:2])
    return f"{', '.join(parts_vi)} → {refs_vi}", f"{', '.join(parts_en)} → {refs_en}"


def applicable(spec: RequirementSpec, facts: Mapping[str, Any], params: Params):
    if facts.get("kind") not in spec.premises_kinds:
        return None
    result = evaluate(spec.applicability, facts, params)
    return result if result.applies else None


def _status_from_answer(answer: str | None) -> str:
    return {COMPLIANT: MET, NON_COMPLIANT: NOT_MET}.get(answer or "", UNKNOWN)


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def fact_label(name: str) -> tuple[str, str]:
    """(vi, en) name of a premises fact, for "fill in ..." messages."""
    if name == "occupancy_category":
        return "loại hình hoạt động", "occupancy category"
    vi, en, _unit = FACT_LABELS.get(name, (name, name, ""))
    return vi, en


def missing_text(missing: Iterable[str]) -> tuple[str, str]:
    names = list(missing)
    vi = ", ".join(fact_label(n)[0] for n in names)
    en = ", ".join(fact_label(n)[1] for n in names)
    return (
        f"Chưa đủ thông tin để xác định nghĩa vụ này: cần bổ sung {vi}",
        f"Not enough information to decide this duty: fill in {en}",
    )


def _months(value: Any, facts: Mapping[str, Any]) -> tuple[int | None, tuple[str, ...]]:
    """A cycle in months; a mapping picks the Appendix II or Appendix I cycle (Art. 14.2)."""
    if not isinstance(value, Mapping):
        return (int(value) if value is not None else None), ()
    unknown = facts.get("unknown_facts") or {}
    if facts.get("in_appendix_ii") is None and "in_appendix_ii" in unknown:
        return None, tuple(unknown["in_appendix_ii"])
    if facts.get("in_appendix_ii") and value.get("appendix_ii") is not None:
        return int(value["appendix_ii"]), ()
    if facts.get("under_fire_safety_management") and value.get("appendix_i") is not None:
        return int(value["appendix_i"]), ()
    other = value.get("other")
    return (int(other) if other is not None else None), ()


def _next_calendar_deadline(after: date, days: list[tuple[int, int]]) -> date:
    """The first "before day/month" deadline whose last allowed day is on or after ``after``."""
    for year in (after.year, after.year + 1):
        for month, day in sorted(days):
            last_allowed = date(year, month, day).toordinal() - 1
            if last_allowed >= after.toordinal():
                return date.fromordinal(last_allowed)
    raise ValueError("no calendar deadline configured")


def calendar_due(last: date | None, on: date, deadlines: Iterable[Mapping[str, Any]]) -> date:
    """Due date of a report owed before fixed days of the year (PC04: 15 June, 15 December).

    A report made on ``last`` answers the first deadline not yet past on that day; the next one
    is then owed by the following deadline. Without a report, the next deadline from ``on``.
    """
    days = [(int(d["month"]), int(d["day"])) for d in deadlines]
    if last is None:
        return _next_calendar_deadline(on, days)
    answered = _next_calendar_deadline(last, days)
    return _next_calendar_deadline(answered + _ONE_DAY, days)


def evaluate_status(
    spec: RequirementSpec,
    facts: Mapping[str, Any],
    params: Params,
    answer: str | None,
    on: date,
) -> tuple[str, date | None, str, str, str | None]:
    """(status, due date, detail vi, detail en, roadmap step) of one applicable requirement.

    Facts the head keeps (device state, insurance expiry, last drill) decide first; an
    inspector's latest "non compliant" answer always wins over facts that look fine, because it
    was observed on site.
    """
    rule = spec.deadline_rule or {}
    kind = rule.get("type")
    if kind in ("team_size", "training"):  # team and training per person: rules/people.py
        from .people import people_status

        return people_status(rule, facts, params, answer, on)  # type: ignore[return-value]
    inspector_says_no = answer == NON_COMPLIANT
    if kind == "roadmap":
        deadline = _as_date(resolve(rule.get("date"), params))
        late = deadline is not None and on > deadline
        if rule.get("track") == "alarm_device":
            state = facts.get("alarm_device_state") or "none"
            declared = facts.get("fire_data_declared_on") is not None
            step = "declared" if state == "connected" and declared else state
            done = state == "connected" and (declared or not rule.get("declaration", False))
            vi, en = alarm_step_texts(step)
            city = params.get("roadmap.homes_city_paid")
            if (
                city
                and facts.get("kind") in ("home", "home_business")
                and not facts.get("under_fire_safety_management")
            ):
                # Decree 105 Art. 27.1: the city equips, connects and pays; the household keeps
                # the device running at its own cost (Art. 25.1.c).
                vi += (
                    "; UBND thành phố trang bị, kết nối và chi trả kinh phí thiết bị "
                    "(Điều 27.1 Nghị định 105/2025/NĐ-CP), hộ gia đình duy trì hoạt động"
                )
                en += (
                    "; the city equips, connects and pays for the device (Decree 105 Art. 27.1),"
                    " the household keeps it running"
                )
            if done and not inspector_says_no:
                return MET, deadline, vi, en, step
            return (OVERDUE if late else NOT_MET), deadline, vi, en, step
        status = _status_from_answer(answer)
        if status == NOT_MET and late:
            status = OVERDUE
        return status, deadline, "", "", None
    if kind == "recurring":
        months, missing = _months(resolve(rule.get("months"), params), facts)
        if missing:
            vi, en = missing_text(missing)
            return UNKNOWN, None, vi, en, None
        if months is None:
            return _status_from_answer(answer), None, "", "", None
        last = _as_date(facts.get(rule.get("fact", "")))
        if last is None:
            status = _status_from_answer(answer)
            return (
                status,
                None,
                "Chưa ghi nhận ngày thực hiện gần nhất",
                "No date of the last time recorded",
                None,
            )
        due = add_months(last, months)
        status = MET if on <= due else OVERDUE
        if inspector_says_no and status == MET:
            status = NOT_MET
        return (
            status,
            due,
            f"Lần gần nhất: {_fmt_date(last)}; chu kỳ {months} tháng",
            f"Last done {last.isoformat()}; every {months} months",
            None,
        )
    if kind == "expiry":
        expires = _as_date(facts.get(rule.get("fact", "")))
        if expires is None and rule.get("present_fact") and facts.get(rule["present_fact"]):
            status = NOT_MET if inspector_says_no else MET
            return status, None, "Đã có giấy tờ, không ghi hạn", "On file, no expiry date", None
        if expires is None:
            return (
                _status_from_answer(answer),
                None,
                "Chưa ghi nhận ngày hết hạn",
                "No expiry date recorded",
                None,
            )
        status = MET if expires >= on else OVERDUE
        if inspector_says_no and status == MET:
            status = NOT_MET
        return (
            status,
            expires,
            f"Hiệu lực đến {_fmt_date(expires)}",
            f"Valid until {expires.isoformat()}",
            None,
        )
    if kind == "calendar":
        return _calendar_status(rule, facts, params, answer, on)
    if kind == "calendar_year":
        last = _as_date(facts.get(rule.get("fact", "")))
        if last is None:
            status = _status_from_answer(answer)
            due = date(on.year, 12, 31)
            return status, due, "Chưa ghi nhận lần thực hiện nào", "Never recorded", None
        # Once in every calendar year: a drill in year Y leaves year Y+1's drill owed by its
        # 31 December.
        due = date(last.year + 1, 12, 31)
        status = MET if on <= due else OVERDUE
        if inspector_says_no and status == MET:
            status = NOT_MET
        return (
            status,
            due,
            f"Lần gần nhất: {_fmt_date(last)}; ít nhất một lần mỗi năm",
            f"Last done {last.isoformat()}; at least once every calendar year",
            None,
        )
    if kind == "within_days":
        start = _as_date(facts.get(rule.get("fact", "")))
        if start is None:
            vi, en = missing_text((rule.get("fact", ""),))
            return UNKNOWN, None, vi, en, None
        days = int(resolve(rule.get("days"), params))
        due = date.fromordinal(start.toordinal() + days)
        done = _as_date(facts.get(rule.get("done_fact", "")))
        if done is not None and not inspector_says_no:
            return MET, due, f"Đã thực hiện ngày {_fmt_date(done)}", f"Done on {done}", None
        status = NOT_MET if on <= due else OVERDUE
        return (
            status,
            due,
            f"Hạn {days} ngày kể từ {_fmt_date(start)}",
            f"Due {days} days after {start.isoformat()}",
            None,
        )
    return _status_from_answer(answer), None, "", "", None


def _calendar_status(rule, facts, params, answer, on):
    last = _as_date(facts.get(rule.get("fact", "")))
    due = calendar_due(last, on, resolve(rule.get("dates"), params) or [])
    if last is None:
        return (
            _status_from_answer(answer),
            due,
            "Chưa ghi nhận lần gửi báo cáo nào",
            "No report recorded yet",
            None,
        )
    # The report made on ``last`` answered an earlier deadline; the next one is ``due``.
    status = MET if on <= due else OVERDUE
    if answer == NON_COMPLIANT and status == MET:
        status = NOT_MET
    return (
        status,
        due,
        f"Lần gửi gần nhất: {_fmt_date(last)}; hạn kế tiếp {_fmt_date(due)}",
        f"Last sent {last.isoformat()}; next due {due.isoformat()}",
        None,
    )


def decide_applicable(
    spec: RequirementSpec, facts: Mapping[str, Any], params: Params
) -> Decision | None:
    """Three-valued ``applicable``: None when the kind differs (never the premises' duty)."""
    if facts.get("kind") not in spec.premises_kinds:
        return None
    return decide(spec.applicability, facts, params)


def evaluate_obligations(
    specs: Iterable[RequirementSpec],
    facts: Mapping[str, Any],
    params: Params,
    answers: Mapping[str, str],
    on: date,
) -> Evaluation:
    """Every applicable requirement of the catalogue for one premises' derived facts."""
    out = Evaluation()
    for spec in sorted(specs, key=lambda s: (s.order, s.code)):
        result = decide_applicable(spec, facts, params)
        if result is None or result.value is False:
            continue
        if result.value is None:
            if spec.advice:
                continue
            if answers.get(spec.code) == NOT_APPLICABLE:
                out.not_applicable.append(spec.code)
                continue
            # Never dropped: the premises lacks a fact that decides whether this binds it.
            vi, en = missing_text(result.missing)
            out.obligations.append(
                ObligationResult(
                    requirement=spec,
                    status=UNKNOWN,
                    due_date=None,
                    days_left=None,
                    reason_vi=vi,
                    reason_en=en,
                    answer=answers.get(spec.code),
                    missing_facts=result.missing,
                )
            )
            continue
        reason_vi, reason_en = _reason(spec, facts, result.because)
        if spec.advice:
            out.advice.append(Advice(spec, reason_vi, reason_en))
            continue
        answer = answers.get(spec.code)
        if answer == NOT_APPLICABLE:
            out.not_applicable.append(spec.code)
            continue
        status, due, detail_vi, detail_en, step = evaluate_status(spec, facts, params, answer, on)
        out.obligations.append(
            ObligationResult(
                requirement=spec,
                status=status,
                due_date=due,
                days_left=(due - on).days if due else None,
                reason_vi=reason_vi,
                reason_en=reason_en,
                detail_vi=detail_vi,
                detail_en=detail_en,
                progress=step,
                answer=answer,
                missing_facts=_status_missing_facts(spec, facts) if status == UNKNOWN else (),
            )
        )
    return out


def _status_missing_facts(spec: RequirementSpec, facts: Mapping[str, Any]) -> tuple[str, ...]:
    """Facts whose absence leaves an applicable duty undecided (team size: the headcount, then
    the team's members), so the head is told what to fill in rather than just "unknown"."""
    if (spec.deadline_rule or {}).get("type") != "team_size":
        return ()
    if facts.get("employees") is None:
        return ("employees",)
    if facts.get("onsite_team_members") is None:
        return ("onsite_team_members",)
    return ()
