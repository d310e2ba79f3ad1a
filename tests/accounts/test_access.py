"""The permission module: who sees which premises."""

from inspections import access
from tests import factories as f


def test_inspector_sees_only_premises_in_own_jurisdiction(inspector, premises, other_premises):
    visible = set(access.premises_visible_to(inspector))
    assert premises in visible
    assert other_premises not in visible


def test_inspector_of_son_la_sees_no_hoan_kiem_premises(other_inspector, premises, other_premises):
    visible = set(access.premises_visible_to(other_inspector))
    assert visible == {other_premises}


def test_head_sees_only_premises_they_head(head, premises, other_premises):
    f.PremisesFactory(name="Không thuộc quyền")
    assert list(access.premises_visible_to(head)) == [premises]


def test_outsider_sees_nothing(outsider, premises, other_premises):
    assert not access.premises_visible_to(outsider).exists()
    assert not access.can_view_premises(outsider, premises)


def test_authority_with_no_wards_covers_whole_province(db):
    province_wide = f.AuthorityFactory(ward_codes=[])
    assert province_wide.covers(f.HOAN_KIEM_PROVINCE, 73)
    assert not province_wide.covers(f.SON_LA_PROVINCE, f.SON_LA_WARD)
