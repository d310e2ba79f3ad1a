"""The obligations' set-based upsert: same rows on PostgreSQL (COPY) and SQLite (bulk_create)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction

from inspections.models import Obligation, Requirement
from inspections.services.obligation_rows import ObligationRow, upsert_obligations
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def requirements(published_catalogue) -> list[Requirement]:
    return list(Requirement.objects.filter(version=published_catalogue).order_by("pk")[:3])


def stored(premises) -> dict[int, tuple]:
    return {
        o.requirement_id: (
            o.status,
            o.due_on,
            o.reason_vi,
            o.reason_en,
            o.missing_facts,
            o.source_answer_id,
        )
        for o in Obligation.objects.filter(premises=premises)
    }


def test_rows_are_created_then_overwritten_by_premises_and_requirement(requirements):
    premises, other = f.PremisesFactory(), f.PremisesFactory()
    first, second, third = (r.pk for r in requirements)
    upsert_obligations(
        [
            ObligationRow(
                premises.pk,
                first,
                "not_met",
                date(2027, 7, 1),
                "Chưa đấu nối",
                "Not connected",
                ("số tầng", "diện tích"),
                None,
            ),  # fmt: skip
            ObligationRow(premises.pk, second, "met", None, "Đã có", "In place", (), None),
            ObligationRow(other.pk, first, "unknown", None, "Thiếu", "Missing", ["số tầng"], None),
        ]
    )
    assert stored(premises) == {
        first: (
            "not_met",
            date(2027, 7, 1),
            "Chưa đấu nối",
            "Not connected",
            ["số tầng", "diện tích"],
            None,
        ),  # fmt: skip
        second: ("met", None, "Đã có", "In place", [], None),
    }
    before = Obligation.objects.get(premises=premises, requirement_id=first)

    # The same key again overwrites every value and the stamp; a new key is added; rows not
    # in the call are left as they are.
    upsert_obligations(
        [
            ObligationRow(premises.pk, first, "met", None, "Đã đấu nối", "Connected", [], None),
            ObligationRow(
                premises.pk, third, "overdue", date(2026, 1, 1), "Quá hạn", "Overdue", (), None
            ),  # fmt: skip
        ]
    )
    assert stored(premises) == {
        first: ("met", None, "Đã đấu nối", "Connected", [], None),
        second: ("met", None, "Đã có", "In place", [], None),
        third: ("overdue", date(2026, 1, 1), "Quá hạn", "Overdue", [], None),
    }
    after = Obligation.objects.get(premises=premises, requirement_id=first)
    assert after.pk == before.pk and after.computed_at > before.computed_at
    assert stored(other) == {first: ("unknown", None, "Thiếu", "Missing", ["số tầng"], None)}


def test_two_upserts_in_one_transaction_write_only_their_own_rows(requirements):
    premises = f.PremisesFactory()
    first, second = requirements[0].pk, requirements[1].pk
    with transaction.atomic():
        upsert_obligations([ObligationRow(premises.pk, first, "met", None, "a", "a", [], None)])
        Obligation.objects.filter(premises=premises).update(status="not_met")
        # On PostgreSQL the rows staged by the first call must be gone from the second.
        upsert_obligations([ObligationRow(premises.pk, second, "met", None, "b", "b", [], None)])
    statuses = dict(Obligation.objects.filter(premises=premises).values_list("requirement_id",
                                                                              "status"))  # fmt: skip
    assert statuses == {first: "not_met", second: "met"}


def test_a_transaction_that_rolls_back_keeps_nothing(requirements):
    premises = f.PremisesFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        upsert_obligations(
            [ObligationRow(premises.pk, requirements[0].pk, "met", None, "a", "a", [], None)]
        )
        raise RuntimeError("the batch's hook failed")
    assert not Obligation.objects.filter(premises=premises).exists()


def test_nothing_to_write_issues_no_statement(requirements, django_assert_num_queries):
    with django_assert_num_queries(0):
        upsert_obligations([])
