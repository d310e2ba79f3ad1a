"""Planning by Decree 105 Art. 14.3: the yearly plan, notices 3 working days ahead, holidays,
joint inspections of Appendix II businesses, and the Resolution 198 cap's scope."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from accounts.models import Authority, Membership
from inspections.models import CalendarOverride, Inspection, Notification
from inspections.rules.planning import InspectionRegime, cap_decision
from inspections.rules.yearly_plan import (
    due_in_year,
    earliest_inspection_day,
    notice_deadline,
    plan_deadline,
)
from inspections.selectors.yearly_plan import (
    notice_deadline_for,
    working_calendar,
    yearly_plan,
)
from inspections.services import inspections as services
from inspections.services.errors import Invalid
from inspections.services.inspection_notices import send_inspection_notice
from tests import factories as f

VN = ZoneInfo("Asia/Ho_Chi_Minh")


# --- Pure rules -----------------------------------------------------------------------------


def test_plan_for_a_year_is_due_before_15_december_of_the_year_before():
    assert plan_deadline(2027) == date(2026, 12, 15)


def test_three_working_days_skip_weekends():
    # Inspection on Friday 11 Dec 2026: Thu, Wed, Tue are the three working days; the notice
    # goes out on Monday 7 Dec at the latest.
    assert notice_deadline(date(2026, 12, 11), set(), set()) == date(2026, 12, 7)
    # Inspection on Monday 14 Dec: Fri 11, Thu 10, Wed 9 → notice by Tue 8 Dec.
    assert notice_deadline(date(2026, 12, 14), set(), set()) == date(2026, 12, 8)
    assert earliest_inspection_day(date(2026, 12, 8), set(), set()) == date(2026, 12, 14)


def test_holidays_and_make_up_saturdays_count_as_they_should():
    holidays = {date(2026, 4, 27), date(2026, 4, 30), date(2026, 5, 1)}
    # Monday 4 May 2026 after the 30/4–1/5 holidays and the Hùng Kings day observed on 27/4.
    assert notice_deadline(date(2026, 5, 4), holidays, set()) == date(2026, 4, 23)
    # A make-up Saturday (25/4) is a working day.
    assert notice_deadline(date(2026, 5, 4), holidays, {date(2026, 4, 25)}) == date(2026, 4, 24)


def test_what_falls_due_in_the_plan_year():
    commune = [InspectionRegime("commune_committee", 36)]
    assert due_in_year(commune, "commune_committee", None, 2027).due_on == date(2027, 1, 1)
    assert due_in_year(commune, "commune_committee", date(2024, 6, 10), 2027).due_on == date(
        2027, 6, 10
    )
    assert due_in_year(commune, "commune_committee", date(2025, 6, 10), 2027) is None
    # Overdue already: proposed from the first day of the year.
    assert due_in_year(commune, "commune_committee", date(2022, 3, 1), 2027).due_on == date(
        2027, 1, 1
    )
    assert due_in_year(commune, "fire_police", None, 2027) is None
    assert (
        due_in_year([InspectionRegime("commune_committee", None)], "commune_committee", None, 2027)
        is None
    )


def test_cap_spares_public_bodies():
    on = date(2026, 11, 30)
    capped = cap_decision("establishment", [date(2026, 3, 1)], on, "", {})
    assert not capped.allowed and capped.capped
    public = cap_decision("establishment", [date(2026, 3, 1)], on, "", {}, public_body=True)
    assert public.allowed and not public.capped and not public.needs_reason


# --- Calendar from the holidays package and the overrides -----------------------------------


@pytest.mark.django_db
def test_calendar_reads_vietnamese_holidays_and_editable_overrides():
    days_off, workdays = working_calendar({2026})
    assert date(2026, 9, 2) in days_off  # National Day
    assert date(2026, 2, 17) in days_off  # Tết
    assert notice_deadline_for(date(2026, 5, 4)) == date(2026, 4, 23)
    CalendarOverride.objects.create(date=date(2026, 4, 25), day_off=False, name="Làm bù")
    CalendarOverride.objects.create(date=date(2026, 4, 29), day_off=True, name="Nghỉ bù")
    days_off, workdays = working_calendar({2026})
    assert date(2026, 4, 25) in workdays and date(2026, 4, 29) in days_off
    # 28/4 (Tue), 25/4 (make-up Sat), 24/4 (Fri) → notice by Thursday 23/4.
    assert notice_deadline_for(date(2026, 5, 4)) == date(2026, 4, 23)


# --- The yearly plan --------------------------------------------------------------------------


@pytest.fixture
def police(db):
    return f.AuthorityFactory(
        name="Phòng Cảnh sát PCCC Hà Nội", kind=Authority.Kind.FIRE_POLICE, ward_codes=[]
    )


@pytest.fixture
def construction(db):
    return f.AuthorityFactory(
        name="Sở Xây dựng Hà Nội", kind=Authority.Kind.CONSTRUCTION, ward_codes=[]
    )


@pytest.fixture
def police_manager(police):
    user = f.UserFactory(email="cs-manager@test.vn", full_name="Đại úy Quản")
    f.MembershipFactory(user=user, authority=police, role=Membership.Role.MANAGER)
    return user


@pytest.fixture
def factory_ii(head):
    # Hazard class A factory of 5,000 m²: Appendix II group 1 (police yearly, construction
    # authority too).
    return f.PremisesFactory(
        name="Xưởng sơn Hoàn Kiếm", occupancy_category="factory", hazard_class="A",
        floor_area_m2=5000, volume_m3=20000, heads=[head],
    )  # fmt: skip


@pytest.fixture
def restaurant(db):
    # A one-floor 150 m² restaurant: Appendix I (item 11) but not Appendix II, so the commune
    # committee inspects it every 36 months.
    return f.PremisesFactory(
        name="Nhà hàng Hàng Bài", occupancy_category="restaurant", floors=1, floor_area_m2=150,
        business_area_m2=150,
    )  # fmt: skip


@pytest.mark.django_db
def test_plan_proposes_what_falls_due_for_the_managers_authority(
    published_catalogue, manager, authority, premises, restaurant, factory_ii, police_manager
):
    f.PremisesFactory(name="Nhà riêng", kind="home", occupancy_category="")
    plan = yearly_plan(manager, 2027, today=date(2026, 11, 30))
    assert plan.deadline == date(2026, 12, 15) and plan.days_left == 15
    # The commune committee plans the Appendix I restaurant (never inspected: due from
    # January); Appendix II premises are the police's, a home has no periodic inspection.
    assert [r.premises.name for r in plan.rows] == ["Nhà hàng Hàng Bài"]
    assert plan.rows[0].due.due_on == date(2027, 1, 1) and plan.rows[0].due.interval_months == 36
    assert plan.rows[0].joint_with is None
    police_plan = yearly_plan(police_manager, 2027, today=date(2026, 11, 30))
    rows = {r.premises.name: r for r in police_plan.rows}
    assert set(rows) == {"Karaoke Hoàn Kiếm", "Xưởng sơn Hoàn Kiếm"}
    assert rows["Xưởng sơn Hoàn Kiếm"].due.interval_months == 12  # group 1
    assert rows["Karaoke Hoàn Kiếm"].due.interval_months == 24  # group 2
    assert {r.joint_with for r in rows.values()} == {"construction"}


@pytest.mark.django_db
def test_recently_inspected_premises_is_not_proposed_and_planned_ones_show(
    published_catalogue, manager, authority, inspector, restaurant
):
    premises = restaurant
    done, _ = services.create_inspection(
        user=manager,
        premises=premises,
        authority=authority,
        kind=Inspection.Kind.PERIODIC,
        scheduled_for=date(2026, 3, 2),
        inspectors=[inspector],
    )
    Inspection.objects.filter(pk=done.pk).update(
        state=Inspection.State.SIGNED, submitted_at=datetime(2026, 3, 2, 10, tzinfo=VN)
    )
    assert yearly_plan(manager, 2027, today=date(2026, 11, 30)).rows == []
    plan_2029 = yearly_plan(manager, 2029, today=date(2026, 11, 30))
    assert [r.due.due_on for r in plan_2029.rows] == [date(2029, 3, 2)]
    planned, _ = services.create_inspection(
        user=manager,
        premises=premises,
        authority=authority,
        kind=Inspection.Kind.PERIODIC,
        scheduled_for=date(2029, 3, 20),
        inspectors=[inspector],
    )
    plan_2029 = yearly_plan(manager, 2029, today=date(2026, 11, 30))
    assert plan_2029.rows[0].planned == planned and plan_2029.unplanned_count == 0


# --- Joint inspection -------------------------------------------------------------------------


@pytest.mark.django_db
def test_joint_inspection_of_an_appendix_ii_business_counts_once(
    published_catalogue, police, police_manager, construction, factory_ii
):
    inspection, _ = services.create_inspection(
        user=police_manager,
        premises=factory_ii,
        authority=police,
        kind=Inspection.Kind.PERIODIC,
        scheduled_for=date(2026, 12, 20),
        joint_authority=construction,
    )
    assert inspection.joint_authority == construction
    # The construction authority's own visit the same year is the second one: capped.
    construction_manager = f.UserFactory(email="xd@test.vn")
    f.MembershipFactory(
        user=construction_manager, authority=construction, role=Membership.Role.MANAGER
    )
    with pytest.raises(Invalid) as exc:
        services.create_inspection(
            user=construction_manager,
            premises=factory_ii,
            authority=construction,
            kind=Inspection.Kind.PERIODIC,
            scheduled_for=date(2026, 12, 22),
        )
    assert exc.value.code == "inspection_cap_reached"
    # The partner follows the joint inspection, without managing it.
    from inspections import access

    assert access.can_view_inspection(construction_manager, inspection)
    assert inspection in access.inspections_visible_to(construction_manager)
    assert not access.can_manage_inspection(construction_manager, inspection)


@pytest.mark.django_db
def test_joint_partner_must_be_the_other_authority_of_an_appendix_ii_business(
    published_catalogue, police, police_manager, authority, factory_ii, restaurant, manager
):
    with pytest.raises(Invalid) as exc:
        services.create_inspection(
            user=police_manager,
            premises=factory_ii,
            authority=police,
            kind=Inspection.Kind.PERIODIC,
            scheduled_for=date(2026, 12, 20),
            joint_authority=authority,  # a commune committee: not the construction authority
        )
    assert exc.value.code == "invalid_joint_authority"
    with pytest.raises(Invalid):
        services.create_inspection(
            user=manager,
            premises=restaurant,  # Appendix I only: nobody to inspect jointly with
            authority=authority,
            kind=Inspection.Kind.PERIODIC,
            scheduled_for=date(2026, 12, 20),
            joint_authority=police,
        )


# --- Written notice ---------------------------------------------------------------------------


@pytest.fixture
def periodic(published_catalogue, manager, authority, inspector, premises):
    inspection, _ = services.create_inspection(
        user=manager,
        premises=premises,
        authority=authority,
        kind=Inspection.Kind.PERIODIC,
        scheduled_for=date(2026, 12, 14),
        inspectors=[inspector],
    )
    return inspection


@pytest.mark.django_db(transaction=True)
def test_notice_is_emailed_to_the_heads_and_recorded(periodic, manager, head, eager, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sent = send_inspection_notice(user=manager, inspection=periodic, today=date(2026, 12, 8))
    assert sent.notice_sent_at is not None and sent.version == periodic.version + 1
    row = Notification.objects.get(kind="inspection_notice")
    assert row.user == head and row.subject_key == f"inspection:{periodic.pk}"
    assert row.status == Notification.Status.SENT
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [head.email]
    assert "14/12/2026" in mail.outbox[0].subject and "Trần Thị Kiểm" in mail.outbox[0].body
    again = send_inspection_notice(user=manager, inspection=sent, today=date(2026, 12, 8))
    assert again.notice_sent_at == sent.notice_sent_at and len(mail.outbox) == 1


@pytest.mark.django_db
def test_notice_too_late_names_the_earliest_day(periodic, manager):
    with pytest.raises(Invalid) as exc:
        send_inspection_notice(user=manager, inspection=periodic, today=date(2026, 12, 9))
    assert exc.value.code == "notice_too_late"
    assert "08/12/2026" in exc.value.detail and "15/12/2026" in exc.value.detail
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_only_the_authoritys_managers_send_notices(periodic, inspector, other_inspector, head):
    from django.core.exceptions import PermissionDenied

    for user in (inspector, other_inspector, head):
        with pytest.raises(PermissionDenied):
            send_inspection_notice(user=user, inspection=periodic, today=date(2026, 12, 1))


@pytest.mark.django_db
def test_surprise_inspections_need_no_notice(
    published_catalogue, inspector, authority, premises, manager
):
    surprise, _ = services.start_unplanned_inspection(
        user=inspector,
        premises=premises,
        client_uuid=uuid.uuid4(),
        kind=Inspection.Kind.UNANNOUNCED,
        authority=authority,
        unannounced_reason="Tin báo của người dân",
    )
    assert surprise.unannounced_reason == "Tin báo của người dân"
    with pytest.raises(Invalid) as exc:
        send_inspection_notice(user=manager, inspection=surprise)
    assert exc.value.code == "notice_not_required"


def test_plan_deadline_and_notice_days_are_catalogue_data():
    """Decree 105 Art. 14.3 figures are an editable, versioned parameter, not constants."""
    from inspections.legal.catalogue_file import CATALOGUE_DIR, read_catalogue
    from inspections.rules.yearly_plan import notice_working_days, plan_deadline

    params = read_catalogue(CATALOGUE_DIR / "2025.2.yaml").params
    assert params["planning.schedule"] == {"plan_due_before": [12, 15], "notice_working_days": 3}
    assert plan_deadline(2027, params) == date(2026, 12, 15)
    assert notice_working_days(params) == 3
    edited = {"planning.schedule": {"plan_due_before": [11, 30], "notice_working_days": 5}}
    assert plan_deadline(2027, edited) == date(2026, 11, 30)
    assert notice_working_days(edited) == 5
