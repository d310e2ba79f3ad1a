"""One bad premises never stops a batch job: the nightly refresh and the reminder
sweep log it, skip it and carry on with every other premises."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.urls import reverse

from inspections.models import Obligation, Premises
from inspections.services import obligations as obligation_services
from inspections.services.obligations import refresh_all_obligations
from tests import factories as f


@pytest.fixture
def three(published_catalogue, head):
    return [f.PremisesFactory(name=f"Cơ sở {i}", heads=[head]) for i in range(3)]


def test_a_year_9999_stored_before_the_fix_no_longer_breaks_anything(
    three, client, head, api_client
):
    # Stored around validation (as the import and the facts form could before).
    bad = three[0]
    Premises.objects.filter(pk=bad.pk).update(
        insurance_expires_on=dt.date(9999, 12, 31), last_drill_on=dt.date(9999, 12, 31)
    )
    assert refresh_all_obligations() == 3
    assert Obligation.objects.filter(premises=three[2]).exists()
    client.force_login(head)
    assert client.get(reverse("portal:premises_detail", args=[bad.pk])).status_code == 200
    api_client.force_authenticate(head)
    response = api_client.get(reverse("api:premises-obligations", args=[bad.pk]))
    assert response.status_code == 200


def test_nightly_refresh_skips_and_logs_the_premises_that_fails(three, monkeypatch, caplog):
    real = obligation_services.evaluate_premises

    def breaks_on_first(premises, *args, **kwargs):
        if premises.pk == three[0].pk:
            raise OverflowError("date value out of range")
        return real(premises, *args, **kwargs)

    monkeypatch.setattr(obligation_services, "evaluate_premises", breaks_on_first)
    with caplog.at_level(logging.ERROR):
        assert refresh_all_obligations() == 2
    assert f"premises {three[0].pk}" in caplog.text
    assert not Obligation.objects.filter(premises=three[0]).exists()
    assert Obligation.objects.filter(premises=three[1]).exists()
    assert Obligation.objects.filter(premises=three[2]).exists()
    # Left stale: the sweep will try it again.
    assert Premises.objects.get(pk=three[0].pk).obligations_computed_at is None


def test_reminder_sweep_skips_and_logs_the_premises_that_fails(three, monkeypatch, caplog):
    from inspections.services.reminders.duties import duty_reminders
    from inspections.services.reminders.jurisdictions import Jurisdictions

    today = dt.date(2026, 11, 23)
    Premises.objects.update(insurance_expires_on=today + dt.timedelta(days=5))
    real = obligation_services.evaluate_premises

    def breaks_on_first(premises, *args, **kwargs):
        if premises.pk == three[0].pk:
            raise OverflowError("date value out of range")
        return real(premises, *args, **kwargs)

    # The sweep refreshes the obligations it reads: the bad premises fails there.
    monkeypatch.setattr(obligation_services, "evaluate_premises", breaks_on_first)
    with caplog.at_level(logging.ERROR):
        batches = list(duty_reminders(today, Jurisdictions.load(), 100))
    assert f"obligations of premises {three[0].pk} not refreshed" in caplog.text
    reminded = {r.premises_id for batch in batches for r in batch}
    assert reminded == {three[1].pk, three[2].pk}
    assert {r.kind for batch in batches for r in batch} >= {"alarm_roadmap"}


def test_the_command_names_the_premises_that_failed(three, monkeypatch):
    import io

    from django.core.management import call_command

    real = obligation_services.evaluate_premises

    def breaks_on_first(premises, *args, **kwargs):
        if premises.pk == three[0].pk:
            raise OverflowError("date value out of range")
        return real(premises, *args, **kwargs)

    monkeypatch.setattr(obligation_services, "evaluate_premises", breaks_on_first)
    out, err = io.StringIO(), io.StringIO()
    call_command("refresh_obligations", stdout=out, stderr=err)
    assert "2 premises refreshed" in out.getvalue()
    assert f"1 premises failed (see the log): {three[0].pk}" in err.getvalue()
