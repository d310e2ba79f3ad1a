"""factory-boy factories shared by every test module."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from accounts.models import Authority, Membership, User
from inspections.models import Premises, PremisesKind

HOAN_KIEM_PROVINCE = 1  # Thành phố Hà Nội
HOAN_KIEM_WARD = 70  # Phường Hoàn Kiếm
SON_LA_PROVINCE = 14
SON_LA_WARD = 3646  # Phường Tô Hiệu


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@test.vn")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    password = factory.django.Password("pass-1234-xyz")


class AuthorityFactory(DjangoModelFactory):
    class Meta:
        model = Authority

    name = factory.Sequence(lambda n: f"UBND Phường {n}")
    kind = Authority.Kind.COMMUNE_COMMITTEE
    province_code = HOAN_KIEM_PROVINCE
    ward_codes = factory.LazyFunction(lambda: [HOAN_KIEM_WARD])


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    authority = factory.SubFactory(AuthorityFactory)
    role = Membership.Role.INSPECTOR


class PremisesFactory(DjangoModelFactory):
    class Meta:
        model = Premises
        skip_postgeneration_save = True

    kind = PremisesKind.ESTABLISHMENT
    name = factory.Sequence(lambda n: f"Cơ sở {n}")
    address_line = factory.Sequence(lambda n: f"{n} Hàng Bài")
    province_code = HOAN_KIEM_PROVINCE
    ward_code = HOAN_KIEM_WARD
    occupancy_category = "karaoke"
    floors = 3
    floor_area_m2 = 400

    @factory.post_generation
    def heads(self, create, extracted, **kwargs):
        if create and extracted:
            self.heads.set(extracted)

    @factory.post_generation
    def rollup(self, create, extracted, **kwargs):
        # As create_premises does: the dashboard counters include the new premises at once.
        if create:
            from inspections.services.rollups import premises_changed

            premises_changed([self.pk])
