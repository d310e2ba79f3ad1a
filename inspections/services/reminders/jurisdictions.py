"""Authorities held in memory for a sweep: who covers a ward, who manages, which webhooks."""

from __future__ import annotations

from dataclasses import dataclass, field

from accounts.models import Authority, Membership
from inspections import access
from inspections.models import WebhookEndpoint


@dataclass
class Jurisdictions:
    """Authorities (few) held in memory: who covers a ward, who manages, which webhooks."""

    by_province: dict[int, list[Authority]] = field(default_factory=dict)
    managers: dict[int, list[int]] = field(default_factory=dict)
    webhooks: dict[int, list[WebhookEndpoint]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Jurisdictions:
        j = cls()
        for a in Authority.objects.all():
            j.by_province.setdefault(a.province_code, []).append(a)
        for aid, uid in Membership.objects.filter(
            role__in=(Membership.Role.MANAGER, Membership.Role.ADMIN), user__is_active=True
        ).values_list("authority_id", "user_id"):
            j.managers.setdefault(aid, []).append(uid)
        for hook in WebhookEndpoint.objects.filter(active=True):
            j.webhooks.setdefault(hook.authority_id, []).append(hook)
        return j

    # (province, ward) → the authorities covering it: asked once per reminder, answered once
    # per ward (a sweep meets 100,000 premises in a few hundred wards).
    _covering: dict[tuple[int, int], tuple[int, ...]] = field(default_factory=dict)

    def covering(self, province_code: int, ward_code: int) -> tuple[int, ...]:
        where = (province_code, ward_code)
        found = self._covering.get(where)
        if found is None:
            held = self.by_province.get(province_code, ())
            found = self._covering[where] = tuple(
                a.pk for a in access.authorities_covering(province_code, ward_code, among=held)
            )
        return found

    def managers_of(self, province_code: int, ward_code: int) -> list[int]:
        return [
            u for aid in self.covering(province_code, ward_code) for u in self.managers.get(aid, ())
        ]
