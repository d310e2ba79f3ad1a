"""Reminder rules: which reminder is due today for a deadline, and what it says (pure functions).

Nothing here reads the database. The sweep (services/reminders.py) feeds plain values in and
turns the returned ``Reminder`` objects into Notification rows. Offsets come from
``settings.REMINDERS`` (passed in as ``ReminderConfig``), never from constants here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from inspections.dates import format_date
from inspections.legal.citations import citation_label, law_quote, quote
from inspections.legal.parser import LAW_DOCUMENT
from inspections.rules.obligations import CitationRef

OVERDUE = "overdue"


@dataclass(frozen=True)
class ReminderConfig:
    """One kind's schedule: days before the due date, and how often to repeat once overdue."""

    offsets: tuple[int, ...] = ()
    overdue: bool = True
    overdue_every_days: int = 0
    mandatory: bool = False
    default: str = "immediate"
    cite: tuple[tuple[int, int | None, str | None], ...] = ()

    @classmethod
    def from_setting(cls, raw: Mapping[str, Any]) -> ReminderConfig:
        return cls(
            offsets=tuple(sorted({int(o) for o in raw.get("offsets", [])}, reverse=True)),
            overdue=bool(raw.get("overdue", True)),
            overdue_every_days=int(raw.get("overdue_every_days", 0) or 0),
            mandatory=bool(raw.get("mandatory", False)),
            default=str(raw.get("default", "immediate")),
            cite=tuple(
                (int(c[0]), c[1] if len(c) > 1 else None, c[2] if len(c) > 2 else None)
                for c in raw.get("cite", [])
            ),
        )


def stage_for(due: date, today: date, config: ReminderConfig) -> str | None:
    """The reminder stage whose window contains ``today``, or None when nothing is due.

    With offsets (14, 3): from D-14 to D-4 the stage is "t14", from D-3 to D itself "t3", after
    D "overdue". A sweep that missed days still sends the current stage, and only that one,
    so a late first run does not fire a burst of stale reminders.
    """
    days_left = (due - today).days
    if days_left < 0:
        if not config.overdue:
            return None
        if config.overdue_every_days > 0:
            # Repeats while the duty stays unmet: overdue, overdue-1, overdue-2 ... each once.
            n = (-days_left - 1) // config.overdue_every_days
            return OVERDUE if n == 0 else f"{OVERDUE}-{n}"
        return OVERDUE
    reached = [k for k in config.offsets if k >= days_left]
    return f"t{min(reached)}" if reached else None


def lookahead_days(config: ReminderConfig) -> int:
    """How far ahead the sweep must look for this kind (the largest offset)."""
    return max(config.offsets, default=0)


# --- Citations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cite:
    label_vi: str
    label_en: str
    text_vi: str
    # Set for provisions of the vendored law: the payload then carries the reference only and
    # the text is read again from the parsed law when the e-mail is rendered (a reminder row
    # stays small: 100,000 rows a sweep).
    law_ref: tuple[int, int | None, str | None] | None = None

    def as_dict(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"label_vi": self.label_vi, "label_en": self.label_en}
        if self.law_ref:
            doc["law"] = [LAW_DOCUMENT, *self.law_ref]
        else:
            doc["text_vi"] = self.text_vi
        return doc


def cite_text(doc: Mapping[str, Any]) -> str:
    """The verbatim text of a stored citation (from the parsed law for law references)."""
    if doc.get("text_vi"):
        return str(doc["text_vi"])
    law = doc.get("law")
    if law and law[0] == LAW_DOCUMENT:
        try:
            return law_quote(law[1], law[2], law[3])
        except KeyError:
            return ""
    return ""


def cite_label(doc: Mapping[str, Any], lang: str) -> str:
    """A stored citation's label; law references are labelled again in the current style."""
    law = doc.get("law")
    if law and len(law) == 4:
        return citation_label(law[0], law[1], law[2], law[3], lang)
    return str(doc.get(f"label_{lang}") or doc.get("label_vi") or "")


def law_cite(article: int, clause: int | None = None, point: str | None = None) -> Cite:
    """A provision of Law 55/2024/QH15 with its verbatim text from the parsed law."""
    return Cite(
        label_vi=citation_label(LAW_DOCUMENT, article, clause, point, "vi"),
        label_en=citation_label(LAW_DOCUMENT, article, clause, point, "en"),
        text_vi=law_quote(article, clause, point),
        law_ref=(article, clause, point),
    )


def catalogue_cite(ref: CitationRef) -> Cite:
    """A catalogue citation: law provisions re-read from the parsed law, decree text as stored."""
    if ref.document == LAW_DOCUMENT:
        try:
            return law_cite(ref.article, ref.clause, ref.point)
        except KeyError:
            pass
    return Cite(
        label_vi=citation_label(ref.document, ref.article, ref.clause, ref.point, "vi"),
        label_en=citation_label(ref.document, ref.article, ref.clause, ref.point, "en"),
        text_vi=quote(ref.document, ref.article, ref.clause, ref.point, ref.text_vi),
    )


# --- Reminders -------------------------------------------------------------------------------


@dataclass
class Reminder:
    """A reminder due today: what, by when, why (with the article), where to act."""

    kind: str
    subject_key: str
    due_on: date
    stage: str
    user_ids: tuple[int, ...]
    title_vi: str
    title_en: str
    what_vi: str
    what_en: str
    why_vi: str = ""
    why_en: str = ""
    cites: tuple[Cite, ...] = ()
    link: tuple[str, tuple[Any, ...]] = ("portal:home", ())
    premises_id: int | None = None
    premises_name: str = ""
    # Authorities concerned (jurisdiction of the premises): their webhooks get a copy.
    authority_ids: tuple[int, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def overdue(self) -> bool:
        return self.stage.startswith(OVERDUE)

    def payload(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title_vi": self.title_vi,
            "title_en": self.title_en,
            "what_vi": self.what_vi,
            "what_en": self.what_en,
            "why_vi": self.why_vi,
            "why_en": self.why_en,
            "due_on": self.due_on.isoformat(),
            "stage": self.stage,
            "overdue": self.overdue,
            "cites": [c.as_dict() for c in self.cites],
            "link": [self.link[0], list(self.link[1])],
            "premises_id": self.premises_id,
            "premises_name": self.premises_name,
            **self.extra,
        }


def _when(due: date, today: date, stage: str) -> tuple[str, str]:
    days = (due - today).days
    d = format_date(due)
    if stage.startswith(OVERDUE):
        return f"đã quá hạn {-days} ngày (hạn {d})", f"{-days} days overdue (due {d})"
    if days == 0:
        return f"hạn là hôm nay ({d})", f"due today ({d})"
    return f"còn {days} ngày (hạn {d})", f"due in {days} days ({d})"


def _expiry(stage: str) -> tuple[str, str]:
    """'sắp hết hạn' before the date, 'đã hết hạn' after it (and the English)."""
    if stage.startswith(OVERDUE):
        return "đã hết hạn", "expired"
    return "sắp hết hạn", "expiring"


def inspection_reminder(
    *,
    inspection_id: int,
    premises_id: int,
    premises_name: str,
    address: str,
    kind_vi: str,
    kind_en: str,
    scheduled_for: date,
    inspector_ids: Iterable[int],
    authority_id: int | None,
    today: date,
    config: ReminderConfig,
) -> Reminder | None:
    """Assigned inspectors: T-7, T-1 and overdue for an inspection not yet carried out."""
    stage = stage_for(scheduled_for, today, config)
    users = tuple(sorted(set(inspector_ids)))
    if stage is None or not users:
        return None
    when_vi, when_en = _when(scheduled_for, today, stage)
    late = stage.startswith(OVERDUE)
    return Reminder(
        kind="inspection_due",
        subject_key=f"inspection:{inspection_id}",
        due_on=scheduled_for,
        stage=stage,
        user_ids=users,
        title_vi=("Quá hạn kiểm tra: " if late else "Sắp đến lịch kiểm tra: ") + premises_name,
        title_en=("Inspection overdue: " if late else "Inspection coming up: ") + premises_name,
        what_vi=f"{kind_vi} tại {premises_name} ({address}) — {when_vi}.",
        what_en=f"{kind_en} at {premises_name} ({address}) — {when_en}.",
        why_vi="Bạn được phân công thực hiện đợt kiểm tra này.",
        why_en="You are assigned to this inspection.",
        cites=tuple(law_cite(*c) for c in config.cite),
        link=("portal:inspection_detail", (inspection_id,)),
        premises_id=premises_id,
        premises_name=premises_name,
        authority_ids=(authority_id,) if authority_id else (),
    )


def finding_reminder(
    *,
    finding_id: int,
    premises_id: int,
    premises_name: str,
    description: str,
    deadline: date,
    head_ids: Iterable[int],
    cites: Sequence[Cite],
    authority_ids: Iterable[int],
    today: date,
    config: ReminderConfig,
) -> Reminder | None:
    """Facility heads: remediation deadline of an open finding, T-14, T-3 and overdue."""
    stage = stage_for(deadline, today, config)
    users = tuple(sorted(set(head_ids)))
    if stage is None or not users:
        return None
    when_vi, when_en = _when(deadline, today, stage)
    short = description if len(description) <= 160 else description[:157] + "..."
    late = stage.startswith(OVERDUE)
    return Reminder(
        kind="finding_deadline",
        subject_key=f"finding:{finding_id}",
        due_on=deadline,
        stage=stage,
        user_ids=users,
        title_vi=("Quá hạn khắc phục vi phạm: " if late else "Hạn khắc phục vi phạm: ")
        + premises_name,
        title_en=("Remediation overdue: " if late else "Remediation deadline: ") + premises_name,
        what_vi=f"Khắc phục vi phạm “{short}” — {when_vi}.",
        what_en=f"Remedy the finding “{short}” — {when_en}.",
        why_vi="Vi phạm được ghi trong biên bản kiểm tra; người đứng đầu cơ sở phải khắc phục "
        "đúng hạn và gửi chứng cứ khắc phục.",
        why_en="The finding was recorded in the inspection record; the head must remedy it by "
        "the deadline and upload evidence.",
        cites=tuple(cites) or tuple(law_cite(*c) for c in config.cite),
        link=("portal:finding_detail", (finding_id,)),
        premises_id=premises_id,
        premises_name=premises_name,
        authority_ids=tuple(sorted(set(authority_ids))),
    )


def remediation_decision_notice(
    *,
    finding_id: int,
    premises_id: int,
    premises_name: str,
    description: str,
    head_ids: Iterable[int],
    authority_name: str,
    accepted: bool,
    note: str,
    decided_at_key: str,
    decided_on: date,
    deadline: date | None,
) -> Reminder | None:
    """Facility heads: the authority confirmed their remediation, or sent it back with a reason.

    One notice per decision: ``decided_at_key`` (the decision's timestamp) is part of the
    subject, so a second send-back after a new report is a new notice, a retry is not.
    """
    users = tuple(sorted(set(head_ids)))
    if not users:
        return None
    short = description if len(description) <= 160 else description[:157] + "..."
    if accepted:
        title_vi, title_en = "Đã xác nhận khắc phục vi phạm: ", "Remediation confirmed: "
        what_vi = f"Không cần làm gì thêm: vi phạm “{short}” đã được xác nhận khắc phục."
        what_en = f"Nothing more to do: the finding “{short}” is confirmed as remedied."
        due = decided_on
    else:
        title_vi, title_en = "Chưa đạt, cần khắc phục tiếp: ", "Remediation sent back: "
        what_vi = f"Khắc phục tiếp vi phạm “{short}”: {note}"
        what_en = f"Keep working on the finding “{short}”: {note}"
        due = deadline or decided_on
    return Reminder(
        kind="finding_verified",
        subject_key=f"finding:{finding_id}@{decided_at_key}",
        due_on=due,
        stage="closed" if accepted else "reopened",
        user_ids=users,
        title_vi=title_vi + premises_name,
        title_en=title_en + premises_name,
        what_vi=what_vi,
        what_en=what_en,
        why_vi=f"Kết quả xem xét chứng cứ khắc phục của {authority_name}.",
        why_en=f"{authority_name} reviewed the remediation evidence.",
        link=("portal:finding_detail", (finding_id,)),
        premises_id=premises_id,
        premises_name=premises_name,
    )


def finding_overdue_manager_reminder(
    *,
    finding_id: int,
    premises_id: int,
    premises_name: str,
    ward_name: str,
    description: str,
    deadline: date,
    manager_ids: Iterable[int],
    today: date,
    config: ReminderConfig,
) -> Reminder | None:
    """Managers: a finding in their jurisdiction is past its remediation deadline."""
    if deadline >= today:
        return None
    users = tuple(sorted(set(manager_ids)))
    if not users:
        return None
    when_vi, when_en = _when(deadline, today, OVERDUE)
    short = description if len(description) <= 120 else description[:117] + "..."
    return Reminder(
        kind="finding_overdue_manager",
        subject_key=f"finding:{finding_id}",
        due_on=deadline,
        stage=OVERDUE,
        user_ids=users,
        title_vi=f"Vi phạm quá hạn khắc phục: {premises_name} ({ward_name})",
        title_en=f"Finding past its deadline: {premises_name} ({ward_name})",
        what_vi=f"{premises_name}: “{short}” — {when_vi}.",
        what_en=f"{premises_name}: “{short}” — {when_en}.",
        why_vi="Cơ sở thuộc địa bàn quản lý của cơ quan; cần kiểm tra lại hoặc xử lý theo quy định.",
        why_en="The premises is in your authority's jurisdiction; consider a re-inspection or "
        "enforcement.",
        cites=tuple(law_cite(*c) for c in config.cite),
        link=("portal:finding_detail", (finding_id,)),
        premises_id=premises_id,
        premises_name=premises_name,
    )


# Law Art. 45.1: who must be trained, one point per duty (TrainingDuty in models/premises.py).
TRAINING_DUTY_POINTS = {
    "head": "c",
    "team_member": "d",
    "assigned": "đ",
    "hazardous_work": "e",
    "crew": "g",
}


def training_reminder(
    *,
    certificate_id: int,
    premises_id: int,
    premises_name: str,
    holder_name: str,
    expires_on: date,
    head_ids: Iterable[int],
    authority_ids: Iterable[int],
    today: date,
    config: ReminderConfig,
    duty: str = "",
) -> Reminder | None:
    stage = stage_for(expires_on, today, config)
    users = tuple(sorted(set(head_ids)))
    if stage is None or not users:
        return None
    when_vi, when_en = _when(expires_on, today, stage)
    state_vi, state_en = _expiry(stage)
    return Reminder(
        kind="training_expiry",
        subject_key=f"certificate:{certificate_id}",
        due_on=expires_on,
        stage=stage,
        user_ids=users,
        title_vi=f"Chứng nhận huấn luyện PCCC {state_vi}: {holder_name} ({premises_name})",
        title_en=f"Fire-safety training certificate {state_en}: {holder_name} ({premises_name})",
        what_vi=f"Chứng nhận huấn luyện nghiệp vụ PCCC của {holder_name} — {when_vi}.",
        what_en=f"The fire-safety training certificate of {holder_name} — {when_en}.",
        why_vi="Người đứng đầu và lực lượng PCCC tại chỗ phải được huấn luyện, bồi dưỡng nghiệp vụ.",
        why_en="Heads and on-site fire teams must hold valid fire-safety training.",
        # The point of Art. 45.1 naming the holder's duty, not the clause's lead-in alone.
        cites=(law_cite(45, 1, TRAINING_DUTY_POINTS[duty]),)
        if duty in TRAINING_DUTY_POINTS
        else tuple(law_cite(*c) for c in config.cite),
        link=("portal:premises_detail", (premises_id,)),
        premises_id=premises_id,
        premises_name=premises_name,
        authority_ids=tuple(sorted(set(authority_ids))),
    )


# Catalogue duties tracked by a deadline rule, and the reminder kind each one becomes.
def duty_kind(deadline_rule: Mapping[str, Any] | None) -> str | None:
    rule = deadline_rule or {}
    kind = rule.get("type")
    if kind == "roadmap" and rule.get("track") == "alarm_device":
        return "alarm_roadmap"
    if kind in ("recurring", "calendar_year") and rule.get("fact") == "last_drill_on":
        return "drill_due"
    if kind == "recurring" and rule.get("fact") == "last_regular_check_on":
        return "regular_check_due"
    if kind == "calendar" and rule.get("fact") == "last_pc04_report_on":
        return "pc04_report_due"
    if kind == "within_days" and rule.get("fact") == "alarm_connected_on":
        return "data_declaration_due"
    if kind == "recurring" and rule.get("fact") == "last_self_inspection_on":
        return "self_inspection_due"
    if kind == "expiry" and rule.get("fact") == "insurance_expires_on":
        return "insurance_expiry"
    return None


_DUTY_TEXT: dict[str, tuple[str, str, str, str]] = {
    # kind: (title vi, title en, action vi, action en)
    "alarm_roadmap": (
        "Lộ trình thiết bị truyền tin báo cháy",
        "Alarm-transmission roadmap",
        "Trang bị thiết bị truyền tin báo cháy, kết nối với Cơ sở dữ liệu về PCCC và khai báo "
        "dữ liệu PCCC",
        "Install an alarm-transmission device, connect it to the national fire database and "
        "declare the fire data",
    ),
    "drill_due": (
        "Thực tập phương án chữa cháy, cứu nạn, cứu hộ",
        "Fire and rescue plan drill",
        "Tổ chức thực tập phương án chữa cháy, cứu nạn, cứu hộ và ghi ngày thực tập",
        "Hold the periodic drill of the fire and rescue plan and record its date",
    ),
    "self_inspection_due": (
        "Tự kiểm tra PCCC định kỳ",
        "Periodic fire-safety self-inspection",
        "Tự kiểm tra an toàn PCCC định kỳ và lập biên bản (mẫu PC02)",
        "Carry out the periodic fire-safety self-inspection and record it (form PC02)",
    ),
    "regular_check_due": (
        "Tự kiểm tra PCCC thường xuyên",
        "Regular fire-safety self-check",
        "Tự kiểm tra PCCC thường xuyên (không quá 01 tháng một lần) và ghi ngày kiểm tra",
        "Carry out the regular fire-safety self-check (at most one month apart) and record it",
    ),
    "pc04_report_due": (
        "Báo cáo kết quả công tác PCCC (mẫu PC04)",
        "Report on fire-safety work (form PC04)",
        "Gửi báo cáo mẫu PC04 cho cơ quan quản lý hoặc cập nhật trên Cơ sở dữ liệu về PCCC",
        "Send the PC04 report to the managing authority or enter it in the national fire database",
    ),
    "data_declaration_due": (
        "Khai báo dữ liệu PCCC lần đầu",
        "First fire-data declaration",
        "Khai báo dữ liệu PCCC lần đầu trong 03 ngày kể từ khi kết nối thiết bị truyền tin báo cháy",
        "Declare the fire data within 3 days of connecting the alarm-transmission device",
    ),
    "insurance_expiry": (
        "Bảo hiểm cháy, nổ bắt buộc",
        "Compulsory fire and explosion insurance",
        "Gia hạn bảo hiểm cháy, nổ bắt buộc trước khi giấy chứng nhận hết hiệu lực",
        "Renew the compulsory fire and explosion insurance before the certificate expires",
    ),
}

# Duties that are a certificate running out rather than a task falling due.
EXPIRY_KINDS = frozenset({"insurance_expiry"})

ALARM_STATE_TEXT = {
    "none": ("chưa trang bị thiết bị", "no device yet"),
    "installed": ("đã lắp đặt nhưng chưa kết nối", "installed but not connected"),
    "connected": ("đã kết nối, chưa khai báo dữ liệu PCCC", "connected, fire data not declared"),
}


def duty_reminder(
    *,
    kind: str,
    premises_id: int,
    premises_name: str,
    due: date,
    head_ids: Iterable[int],
    reason_vi: str,
    reason_en: str,
    cites: Sequence[Cite],
    authority_ids: Iterable[int],
    today: date,
    config: ReminderConfig,
    alarm_state: str | None = None,
) -> Reminder | None:
    """Facility heads: a catalogue duty with a deadline (roadmap, drill, self-inspection, insurance).

    The caller has already decided with the catalogue's applicability rules that the duty
    applies and is not met.
    """
    stage = stage_for(due, today, config)
    users = tuple(sorted(set(head_ids)))
    if stage is None or not users:
        return None
    title_vi, title_en, act_vi, act_en = _DUTY_TEXT[kind]
    when_vi, when_en = _when(due, today, stage)
    what_vi, what_en = f"{act_vi} — {when_vi}.", f"{act_en} — {when_en}."
    extra: dict[str, Any] = {}
    if kind == "alarm_roadmap" and alarm_state:
        state_vi, state_en = ALARM_STATE_TEXT.get(alarm_state, ALARM_STATE_TEXT["none"])
        what_vi += f" Hiện trạng: {state_vi}."
        what_en += f" Current state: {state_en}."
        extra["alarm_device_state"] = alarm_state
    late = stage.startswith(OVERDUE)
    if kind in EXPIRY_KINDS:
        # A certificate expires, a duty falls due: "Bảo hiểm ... sắp hết hạn / đã hết hạn".
        state_vi, state_en = _expiry(stage)
        title_vi_full = f"{title_vi} {state_vi} — {premises_name}"
        title_en_full = f"{title_en} {state_en} — {premises_name}"
    else:
        title_vi_full = f"{'Quá hạn' if late else 'Sắp đến hạn'}: {title_vi} — {premises_name}"
        title_en_full = f"{'Overdue' if late else 'Due soon'}: {title_en} — {premises_name}"
    return Reminder(
        kind=kind,
        subject_key=f"premises:{premises_id}",
        due_on=due,
        stage=stage,
        user_ids=users,
        title_vi=title_vi_full,
        title_en=title_en_full,
        what_vi=what_vi,
        what_en=what_en,
        why_vi=reason_vi,
        why_en=reason_en,
        cites=tuple(cites) or tuple(law_cite(*c) for c in config.cite),
        link=("portal:premises_detail", (premises_id,)),
        premises_id=premises_id,
        premises_name=premises_name,
        authority_ids=tuple(sorted(set(authority_ids))),
        extra=extra,
    )
