"""The facility head's self-inspection in the browser: answers kept one by one, then sign and
submit as one step whose PC02 record is queued exactly once."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from inspections.models import Inspection, Signature

from .answers import AnswerInput, record_answers
from .errors import Invalid
from .inspections import submit_inspection
from .signatures import add_signature


@dataclass
class SavedAnswers:
    inspection: Inspection
    saved: list[int] = field(default_factory=list)  # item ids now stored as sent
    errors: dict[int, list[str]] = field(default_factory=dict)  # item id → messages


def _require_self(inspection: Inspection) -> None:
    if inspection.kind != Inspection.Kind.SELF:
        raise Invalid("not_self_inspection", _("Đây không phải đợt tự kiểm tra của cơ sở."))


def save_self_inspection_answers(
    *, user: User, inspection: Inspection, answers: Sequence[AnswerInput]
) -> SavedAnswers:
    """Store every valid answer; an invalid one is reported at its own item and refuses
    nothing else (the batch service refuses a whole batch with one bad answer).

    The head's browser is the only writer of a self-inspection, so no version is checked:
    answers saved one by one from the page must not make the page's own form stale. (Reading
    the current version first was not enough: the page's script saves a choice while the head
    presses "Lưu", and the script's save could bump the version between that read and the
    lock.) Between two answers to one item the later one wins (``answered_at``).
    """
    _require_self(inspection)
    result = SavedAnswers(inspection=inspection)
    pending = list(answers)
    while pending:
        try:
            inspection, results = record_answers(
                user=user, inspection=inspection, answers=pending, version=None
            )
        except Invalid as exc:
            bad = exc.fields.get("answers") if exc.code == "invalid_answers" else None
            if not bad:
                raise
            for index, problems in bad.items():
                item = pending[int(index)].item
                result.errors[item] = [str(m) for messages in problems.values() for m in messages]
            pending = [a for n, a in enumerate(pending) if str(n) not in bad]
            continue
        for a, r in zip(pending, results, strict=True):
            if r.status == "conflict":
                result.errors[a.item] = [r.detail]
            else:
                result.saved.append(a.item)
        break
    result.inspection = inspection
    return result


@transaction.atomic
def submit_self_inspection(
    *,
    user: User,
    inspection: Inspection,
    signer_name: str,
    signer_position: str,
    signature_png: bytes,
    recommendations: str = "",
) -> tuple[Inspection, bool]:
    """Sign as the facility head and submit, in one transaction: a refusal (a required
    question unanswered) leaves no signature behind, and the PC02 record is queued once, by
    ``submit_inspection`` on commit. Submitting the same again changes nothing and queues
    nothing (``created`` is False)."""
    _require_self(inspection)
    name = signer_name.strip()[: settings.NAME_MAX_CHARS]
    if not name:
        raise Invalid(
            "incomplete",
            _("Biên bản chưa đủ thông tin để nộp."),
            fields={"signer_name": [_("Trường này là bắt buộc.")]},
        )
    if not inspection.signatures.filter(role=Signature.Role.FACILITY_HEAD).exists():
        add_signature(
            user=user,
            inspection=inspection,
            client_uuid=uuid.uuid4(),
            role=Signature.Role.FACILITY_HEAD,
            signer_name=name,
            position=signer_position.strip()[: settings.NAME_MAX_CHARS],
            image=signature_png,
        )
    inspection.refresh_from_db()
    return submit_inspection(
        user=user,
        inspection=inspection,
        version=inspection.version,
        recommendations=recommendations.strip(),
    )
