"""The default reminder kinds (``REMINDERS``): when each is sent, whether the law requires it.

Offsets are days before the due date; "overdue_every_days" > 0 repeats the overdue reminder
every so many days (0: once). "mandatory" kinds are legal deadlines: a user may move them to
the digest but not switch them off. "cite" lists provisions of Law 55/2024/QH15 as
(article, clause, point); their text is read from the parsed law. Kinds driven by the
catalogue (roadmap, drill, self-inspection, insurance) cite the requirement's own citations
and take their due dates from its decree parameters. ``REMINDERS_JSON`` overrides any entry
(config/settings.py).
"""

from __future__ import annotations

DEFAULT_REMINDERS: dict = {
    "inspection_due": {
        "offsets": [7, 1],
        "overdue_every_days": 0,
        "mandatory": False,
        "default": "digest",
        "cite": [[11, 3, "b"]],
    },
    "finding_deadline": {
        "offsets": [14, 3],
        "overdue_every_days": 0,
        "mandatory": True,
        "default": "digest",
        "cite": [[8, 3, "d"]],  # the head organises and maintains what the law requires
    },
    "finding_overdue_manager": {
        "offsets": [],
        "overdue_every_days": 0,
        "mandatory": False,
        # A jurisdiction may have hundreds of late findings: one e-mail a day, not hundreds.
        "default": "digest",
        "cite": [[11, 3, "b"]],
    },
    "alarm_roadmap": {
        "offsets": [365, 180, 90, 30, 7, 3],
        "overdue_every_days": 30,
        "mandatory": True,
        "default": "digest",
        "cite": [[23, 1, "c"], [54, 4, None]],
    },
    "insurance_expiry": {
        "offsets": [30, 7, 3],
        "overdue_every_days": 0,
        "mandatory": True,
        "default": "digest",
        "cite": [[48, 1, None]],
    },
    "training_expiry": {
        "offsets": [30, 7, 3],
        "overdue_every_days": 0,
        "mandatory": True,
        "default": "digest",
        "cite": [[45, 1, None]],
    },
    "drill_due": {
        "offsets": [30, 7, 3],
        "overdue_every_days": 0,
        "mandatory": True,
        "default": "digest",
        "cite": [[8, 3, "đ"]],
    },
    "self_inspection_due": {
        "offsets": [30, 7, 3],
        "overdue_every_days": 0,
        "mandatory": True,
        "default": "digest",
        "cite": [[11, 3, "a"]],
    },
    # Decree 105 recurring duties of the head (catalogue 2025.2): the citation comes from the
    # catalogue requirement; the law article below is the fallback.
    "regular_check_due": {
        "offsets": [3],
        "overdue_every_days": 0,
        "mandatory": False,
        "default": "digest",
        "cite": [[11, 3, "a"]],
    },
    "pc04_report_due": {
        "offsets": [30, 7, 3],
        "overdue_every_days": 0,
        "mandatory": True,
        "default": "digest",
        "cite": [[8, 3, "g"]],
    },
    "data_declaration_due": {
        "offsets": [2],
        "overdue_every_days": 0,
        "mandatory": True,
        "default": "digest",
        "cite": [[23, 1, "c"]],
    },
    # The authority's answer to a remediation report (event, not a deadline: no offsets).
    "finding_verified": {"mandatory": False, "default": "immediate", "cite": []},
    # The written notice of a periodic inspection (Decree 105 Art. 14.3): the law requires it.
    "inspection_notice": {"mandatory": True, "default": "immediate", "cite": []},
    # A change in the law that changes a premises' obligations (not a deadline of its own).
    "law_change": {"mandatory": False, "default": "immediate", "cite": []},
    "law_change_summary": {"mandatory": False, "default": "immediate", "cite": []},
    "summary_weekly": {"mandatory": False, "default": "immediate", "cite": []},
    "summary_monthly": {"mandatory": False, "default": "immediate", "cite": []},
}
