"""Authorities held for a sweep: who covers a ward, who manages it, which webhooks."""

from __future__ import annotations

from accounts.models import Membership
from inspections.models import WebhookEndpoint
from inspections.services.reminders.jurisdictions import Jurisdictions
from tests import factories as f


def test_covering_and_managers_follow_the_ward(authority, other_authority, manager, inspector):
    admin = f.UserFactory()
    f.MembershipFactory(user=admin, authority=authority, role=Membership.Role.ADMIN)
    gone = f.UserFactory(is_active=False)
    f.MembershipFactory(user=gone, authority=authority, role=Membership.Role.MANAGER)
    j = Jurisdictions.load()
    assert j.covering(f.HOAN_KIEM_PROVINCE, f.HOAN_KIEM_WARD) == (authority.pk,)
    assert j.covering(f.SON_LA_PROVINCE, f.SON_LA_WARD) == (other_authority.pk,)
    # Managers and administrators, active ones; inspectors manage nothing.
    assert sorted(j.managers_of(f.HOAN_KIEM_PROVINCE, f.HOAN_KIEM_WARD)) == sorted(
        [manager.pk, admin.pk]
    )
    assert j.managers_of(f.SON_LA_PROVINCE, f.SON_LA_WARD) == []


def test_only_active_webhooks_are_held(authority):
    on = WebhookEndpoint.objects.create(authority=authority, url="https://a.test/hook", active=True)
    WebhookEndpoint.objects.create(authority=authority, url="https://b.test/hook", active=False)
    assert Jurisdictions.load().webhooks == {authority.pk: [on]}


def test_covering_is_worked_out_once_per_ward(authority, monkeypatch):
    from inspections import access

    asked = []
    real = access.authorities_covering

    def spy(*args, **kwargs):
        asked.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(access, "authorities_covering", spy)
    j = Jurisdictions.load()
    for _ in range(3):
        assert j.covering(f.HOAN_KIEM_PROVINCE, f.HOAN_KIEM_WARD) == (authority.pk,)
        assert j.covering(f.SON_LA_PROVINCE, f.SON_LA_WARD) == ()
    assert len(asked) == 2
