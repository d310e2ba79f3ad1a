"""Create premises and change their facts, with an audit row and refreshed obligations.

Used by the portal (heads and managers edit facts), the admin and the CSV import: every change
of a fact goes through here so the audit trail (PremisesChange) and the obligations stay true.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from inspections import access
from inspections.models import Premises, PremisesChange
from inspections.services import rollups
from inspections.services.obligations import refresh_obligations

OUTSIDE_JURISDICTION = gettext_lazy("Ngoài địa bàn cơ quan bạn quản lý.")

# Facts a caller may set; bookkeeping fields (id, timestamps) are never set from outside.
_NOT_FACTS = {"id", "created_at", "updated_at"}


def fact_fields() -> dict[str, models.Field]:
    return {
        f.name: f for f in Premises._meta.concrete_fields if f.editable and f.name not in _NOT_FACTS
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        # Normalised so that 12.50 and 12.5 read the same in the audit trail.
        return format(value.normalize(), "f")
    return value


def _heads_key(users: Iterable[User]) -> list[str]:
    return sorted(u.email for u in users)


def _normalise(field: models.Field, value: Any) -> Any:
    if value == "" and field.null and not isinstance(field, models.CharField):
        return None
    try:
        return field.to_python(value)
    except ValidationError as exc:
        raise ValidationError({field.name: exc.messages}) from None


def update_premises_facts(
    premises: Premises,
    *,
    user: User | None,
    changes: Mapping[str, Any],
    source: str,
    defer_obligations: bool = False,
) -> PremisesChange | None:
    """Apply ``changes`` ({field: new value}; ``heads`` takes users), validate and save.

    Returns the audit row with ``{field: [old, new]}``, or None when nothing actually changed
    (re-importing the same file changes nothing). Raises ValidationError, leaving the premises
    as it was, when a value is unknown or invalid. ``defer_obligations``: the caller refreshes the
    obligations itself (bulk imports queue one task for all rows).
    """
    fields = fact_fields()
    unknown = sorted(set(changes) - set(fields) - {"heads"})
    if unknown:
        raise ValidationError({name: _("Trường không được phép thay đổi.") for name in unknown})
    if user is not None and not access.can_edit_premises_facts(user, premises):
        raise PermissionDenied

    diff, originals = _apply_facts(premises, fields, changes)
    new_heads = _changed_heads(premises, changes, diff)
    if not diff:
        return None
    try:
        _check_move(premises, user=user, originals=originals)
        premises.full_clean()
    except ValidationError:
        for name, old in originals.items():
            setattr(premises, name, old)
        raise

    with transaction.atomic():
        premises.save(update_fields=[*originals, "updated_at"] if originals else ["updated_at"])
        if new_heads is not None:
            premises.heads.set(new_heads)
        change = PremisesChange.objects.create(
            premises=premises, changed_by=user, source=source, changes=diff
        )
        # Obligations depend on the facts (floors, category, alarm state...): recompute them
        # at once (the portal shows them), unless a bulk caller does it for all rows at the end.
        if not defer_obligations:
            refresh_obligations(premises)
        # The dashboard's counters follow the facts (ward, kind) even when no obligation
        # changed; a second call after the refresh's own finds nothing left to change.
        rollups.premises_changed([premises.pk])
    return change


def _apply_facts(
    premises: Premises, fields: Mapping[str, models.Field], changes: Mapping[str, Any]
) -> tuple[dict[str, list[Any]], dict[str, Any]]:
    """Set the changed facts on ``premises`` (not saved): ({field: [old, new]} as JSON, the old
    values). Every invalid value is reported at once; nothing is set then."""
    diff: dict[str, list[Any]] = {}
    originals: dict[str, Any] = {}
    news: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, raw in changes.items():
        if name == "heads":
            continue
        try:
            new = _normalise(fields[name], raw)
        except ValidationError as exc:
            errors.update(exc.message_dict)
            continue
        old = _normalise(fields[name], getattr(premises, name))
        if old != new:
            originals[name], news[name] = old, new
            diff[name] = [_jsonable(old), _jsonable(new)]
    if errors:
        raise ValidationError(errors)
    for name, new in news.items():
        setattr(premises, name, new)
    return diff, originals


def _changed_heads(
    premises: Premises, changes: Mapping[str, Any], diff: dict[str, list[Any]]
) -> list[User] | None:
    """The new heads when ``changes`` names others than the current ones (recorded in
    ``diff``), else None."""
    if "heads" not in changes:
        return None
    new_heads = list(changes["heads"])
    old_heads = list(premises.heads.all()) if premises.pk else []
    if _heads_key(old_heads) == _heads_key(new_heads):
        return None
    diff["heads"] = [_heads_key(old_heads), _heads_key(new_heads)]
    return new_heads


def _check_move(premises: Premises, *, user: User | None, originals: Mapping[str, Any]) -> None:
    """A premises moved to another ward must be placeable by ``user`` both where it was and
    where it goes."""
    if user is None or not ({"province_code", "ward_code"} & set(originals)):
        return
    before = (
        originals.get("province_code", premises.province_code),
        originals.get("ward_code", premises.ward_code),
    )
    after = (premises.province_code, premises.ward_code)
    if not (access.can_place_premises(user, *before) and access.can_place_premises(user, *after)):
        raise ValidationError({"ward_code": [OUTSIDE_JURISDICTION]})


def create_premises(
    *,
    user: User | None,
    data: Mapping[str, Any],
    source: str,
    defer_obligations: bool = False,
) -> Premises:
    """Register a premises from ``data`` ({field: value}; ``heads`` takes users) and audit it."""
    fields = fact_fields()
    unknown = sorted(set(data) - set(fields) - {"heads"})
    if unknown:
        raise ValidationError({name: _("Trường không được phép thay đổi.") for name in unknown})
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, raw in data.items():
        if name == "heads":
            continue
        try:
            values[name] = _normalise(fields[name], raw)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    premises = Premises(**values)
    if user is not None and not access.can_place_premises(
        user, premises.province_code, premises.ward_code
    ):
        raise ValidationError({"ward_code": [OUTSIDE_JURISDICTION]})
    premises.full_clean()
    heads = list(data.get("heads") or [])
    diff: dict[str, list[Any]] = {
        name: [None, _jsonable(getattr(premises, name))]
        for name in fields
        if getattr(premises, name) not in (None, "", False)
    }
    if heads:
        diff["heads"] = [[], _heads_key(heads)]
    with transaction.atomic():
        premises.save()
        if heads:
            premises.heads.set(heads)
        PremisesChange.objects.create(
            premises=premises, changed_by=user, source=source, changes=diff
        )
        # Obligations depend on the facts (floors, category, alarm state...): recompute them
        # at once (the portal shows them), unless a bulk caller does it for all rows at the end.
        if not defer_obligations:
            refresh_obligations(premises)
        else:
            rollups.premises_changed([premises.pk])
    return premises
