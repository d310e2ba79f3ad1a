"""People duties: on-site team size (Decree 105 Art. 20) and training per person (Art. 29.4)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext_noop

from .applicability import Params, resolve
from .bilingual import PerLanguage, both, translations
from .deadlines import add_months
from .statuses import MET, NON_COMPLIANT, NOT_MET, OVERDUE, UNKNOWN

# (status, due date, detail vi, detail en, roadmap step): the shape of evaluate_status.
Status = tuple[str, date | None, str, str, str | None]

TRAINING_FULL, TRAINING_REFRESHER = "full", "refresher"
DUTY_NAMES: dict[str, str] = {
    "head": gettext_noop("người đứng đầu"),
    "team_member": gettext_noop("thành viên đội PCCC"),
    "assigned": gettext_noop("người được phân công"),
    "hazardous_work": gettext_noop("người làm việc trong môi trường nguy hiểm cháy, nổ"),
    "crew": gettext_noop("người điều khiển, người làm việc trên phương tiện"),
}


def _as_date(value: Any) -> date | None:
    if value in (None, "") or isinstance(value, date):
        return value or None
    return date.fromisoformat(str(value))


def required_team_size(employees: int, table: list[Mapping[str, Any]]) -> int:
    """Minimum team members for the staff count (0: no team, persons assigned in writing)."""
    size = 0
    # Rows of the onsite_team.sizes parameter: {from, to, min_members}, staff counts inclusive.
    for row in sorted(table, key=lambda r: int(r["from"])):
        if employees >= int(row["from"]):
            size = int(row["min_members"])
    return size


def team_size_status(
    rule: Mapping[str, Any], facts: Mapping[str, Any], params: Params, answer: str | None
) -> Status:
    """Decree 105 Art. 20.2 and 20.5: team from 20 regular workers, 10 / 15 / 25 members."""
    table = resolve(rule.get("table"), params) or []
    employees, members = facts.get("employees"), facts.get("onsite_team_members")
    said_no = answer == NON_COMPLIANT
    if employees is None:
        return (
            NOT_MET if said_no else UNKNOWN,
            None,
            *both("Chưa ghi nhận số người thường xuyên làm việc tại cơ sở"),
            None,
        )
    needed = required_team_size(int(employees), table)
    if needed == 0:
        status = {NON_COMPLIANT: NOT_MET, "compliant": MET}.get(answer or "", UNKNOWN)
        return (
            status,
            None,
            *both(
                "%(employees)s người làm việc: không bắt buộc lập đội, phải phân công người bằng "
                "văn bản",
                employees=employees,
            ),
            None,
        )
    if members is None:
        return (
            NOT_MET if said_no else UNKNOWN,
            None,
            *both(
                "%(employees)s người làm việc: đội cần tối thiểu %(needed)s người; chưa ghi nhận "
                "số thành viên đội",
                employees=employees,
                needed=needed,
            ),
            None,
        )
    ok = int(members) >= needed and not said_no
    return (
        MET if ok else NOT_MET,
        None,
        *both(
            "Đội có %(members)s người, cần tối thiểu %(needed)s người (%(employees)s người làm "
            "việc)",
            members=members,
            needed=needed,
            employees=employees,
        ),
        None,
    )


@dataclass(frozen=True)
class PersonTraining:
    holder: str
    valid_until: date | None  # None: the dates on file do not say
    full_until: date | None
    refresher_due: date | None


def _person(
    holder: str, records: list[Mapping[str, Any]], cycle: Mapping[str, Any]
) -> PersonTraining:
    full_months = int(cycle.get("full_months", 60))
    refresher_months = int(cycle.get("refresher_months", 12))
    law_start = _as_date(cycle.get("law_in_force_on")) or date(2025, 7, 1)
    fulls = [r for r in records if (r.get("kind") or TRAINING_FULL) == TRAINING_FULL]
    if not fulls:
        # A refresher alone is not a training certificate.
        return PersonTraining(holder, None, None, None)

    def full_key(r: Mapping[str, Any]) -> date:
        return _as_date(r.get("issued_on")) or _as_date(r.get("expires_on")) or date.min

    latest = max(fulls, key=full_key)
    issued, printed = _as_date(latest.get("issued_on")), _as_date(latest.get("expires_on"))
    if issued is None and printed is None:
        # Without any date a certificate proves nothing about the cycle: never "trained forever".
        return PersonTraining(holder, None, None, None)
    if issued is not None and issued < law_start:
        # Law Art. 55.3: a pre-law certificate stays valid to its printed date.
        full_until = printed or add_months(issued, full_months)
    elif issued is not None:
        cycle_end = add_months(issued, full_months)
        full_until = min(printed, cycle_end) if printed else cycle_end
    else:
        full_until = printed
    refreshers = [
        d
        for r in records
        if r.get("kind") == TRAINING_REFRESHER and (d := _as_date(r.get("issued_on")))
    ]
    base = max([d for d in [issued, *refreshers] if d is not None], default=law_start)
    refresher_due = add_months(max(base, law_start), refresher_months)
    return PersonTraining(holder, min(full_until, refresher_due), full_until, refresher_due)


def training_status(
    rule: Mapping[str, Any],
    facts: Mapping[str, Any],
    params: Params,
    answer: str | None,
    on: date,
) -> Status:
    """Every person of the rule's duty: full training every 5 years, a refresher every year."""
    duty = rule.get("duty", "")
    cycle = resolve(rule.get("cycle"), params) or {}
    by_person: dict[str, list[Mapping[str, Any]]] = {}
    for record in facts.get("training_records") or ():
        if record.get("duty") == duty:
            key = str(record.get("holder", "")).strip().lower()
            by_person.setdefault(key, []).append(record)
    duty_names = PerLanguage(*translations(DUTY_NAMES[duty])) if duty in DUTY_NAMES else duty
    said_no = answer == NON_COMPLIANT
    if not by_person:
        status = {NON_COMPLIANT: NOT_MET, "compliant": MET}.get(answer or "", UNKNOWN)
        return (
            status,
            None,
            *both("Chưa ghi nhận chứng nhận huấn luyện của %(duty)s", duty=duty_names),
            None,
        )
    people = [
        _person(records[0].get("holder", key), records, cycle) for key, records in by_person.items()
    ]
    unknown = [p for p in people if p.valid_until is None]
    if unknown:
        names = ", ".join(p.holder for p in unknown)
        return (
            NOT_MET if said_no else UNKNOWN,
            None,
            *both(
                "Chứng nhận của %(names)s không có ngày cấp, ngày hết hạn hoặc chỉ là bồi dưỡng "
                "bổ sung: chưa xác định được chu kỳ huấn luyện",
                names=names,
            ),
            None,
        )
    first = min(people, key=lambda p: p.valid_until or date.max)
    due = first.valid_until
    if due is None or first.full_until is None or first.refresher_due is None:
        raise ValueError("a certificate with a validity date has its whole training cycle")
    status = MET if on <= due else OVERDUE
    if said_no and status == MET:
        status = NOT_MET
    return (
        status,
        due,
        *both(
            "%(holder)s: huấn luyện đến %(full_until)s, bồi dưỡng bổ sung đến %(refresher_due)s",
            holder=first.holder,
            full_until=first.full_until,
            refresher_due=first.refresher_due,
        ),
        None,
    )


def people_status(
    rule: Mapping[str, Any],
    facts: Mapping[str, Any],
    params: Params,
    answer: str | None,
    on: date,
) -> Status | None:
    """The status for the people rule types; None for any other deadline rule."""
    if rule.get("type") == "team_size":
        return team_size_status(rule, facts, params, answer)
    if rule.get("type") == "training":
        return training_status(rule, facts, params, answer, on)
    return None
