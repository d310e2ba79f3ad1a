"""Demo data for reminders and summaries: deadlines that fall due around today.

After ``seed``, ``python manage.py run_reminders`` sends reminders (a finding due in 3 days, one
past its deadline, an inspection tomorrow, insurance and a training certificate expiring, a
drill due, the 2027 roadmap) and a second run sends none. Dates are relative to the day the seed
runs, so the demo works whenever it is loaded. Safe to run again: rows are found by their
external id or e-mail and moved back to the same relative dates.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import NamedTuple, TextIO

from django.utils import timezone

from accounts.models import Authority, User
from inspections.models import (
    AlarmDeviceState,
    CatalogueVersion,
    Finding,
    Inspection,
    Premises,
    PremisesKind,
    TrainingCertificate,
)

PROVINCE = 1  # Thành phố Hà Nội (centrally-run city)
WARD = 70  # Phường Hoàn Kiếm


def _user(email: str, name: str, language: str = "vi") -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": name, "language": language}
    )
    if created:
        from inspections.demo.accounts import PASSWORD

        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return user


def _premises(external_id: str, head: list[User], **fields) -> Premises:
    defaults = {"province_code": PROVINCE, "ward_code": WARD, **fields}
    premises, _ = Premises.objects.update_or_create(external_id=external_id, defaults=defaults)
    premises.heads.add(*head)
    return premises


class DemoPeople(NamedTuple):
    authority: Authority
    manager: User
    inspector: User
    head: User
    head_en: User


def seed(stdout: TextIO) -> None:
    from inspections.services.obligations import refresh_obligations

    version = _catalogue_version(stdout)
    today = timezone.localdate()
    people = _people(stdout)
    karaoke, hotel, home = _premises_with_deadlines(people, today)
    past = _inspections(people, version, (karaoke, hotel, home), today, stdout)
    _findings(past, karaoke, today)
    _remediated_finding(past, karaoke, people.head, today)
    _training_certificate(karaoke, today)
    for p in (karaoke, hotel, home):
        refresh_obligations(p, on=today)
    stdout.write(
        f"reminders demo: {people.authority.name}; 3 premises with deadlines around {today} "
        f"(heads {people.head.email}, {people.head_en.email}; inspector "
        f"{people.inspector.email}; manager {people.manager.email}); "
        "run `python manage.py run_reminders` to send them\n"
    )


def _catalogue_version(stdout: TextIO) -> CatalogueVersion | None:
    from inspections.selectors.catalogue import current_version

    version = current_version()
    if version is None:
        from inspections.demo import catalogue

        catalogue.seed(stdout)
        version = current_version()
    return version


def _people(stdout: TextIO) -> DemoPeople:
    """The demo authority and users of inspections/demo/accounts.py (seeded first by seed_demo;
    seeded here when this part runs alone), plus one English-speaking owner."""
    from inspections.demo import accounts as demo_accounts

    authority = Authority.objects.filter(name=demo_accounts.HOAN_KIEM_AUTHORITY).first()
    if authority is None:
        demo_accounts.seed(stdout)
        authority = Authority.objects.get(name=demo_accounts.HOAN_KIEM_AUTHORITY)
    return DemoPeople(
        authority=authority,
        manager=User.objects.get(email="manager@demo.test"),
        inspector=User.objects.get(email="inspector@demo.test"),
        head=User.objects.get(email="head@demo.test"),
        head_en=_user("owner.en@demo.test", "John Owner", language="en"),
    )


def _premises_with_deadlines(
    people: DemoPeople, today: date
) -> tuple[Premises, Premises, Premises]:
    """A karaoke bar, a hotel and a home whose deadlines fall around ``today``."""
    head, head_en = people.head, people.head_en
    karaoke = _premises(
        "demo-rem-karaoke",
        [head, head_en],
        kind=PremisesKind.ESTABLISHMENT,
        name="Karaoke Hồ Gươm (demo)",
        address_line="12 Hàng Bài",
        occupancy_category="karaoke",
        floors=4,
        floor_area_m2=600,
        alarm_device_state=AlarmDeviceState.INSTALLED,
        insurance_expires_on=today + timedelta(days=6),
        last_drill_on=_months_ago(today, 12, plus_days=20),
        # Six-monthly (Appendix II): the periodic self-inspection is a week overdue.
        last_self_inspection_on=today - timedelta(days=190),
    )
    hotel = _premises(
        "demo-rem-hotel",
        [head],
        kind=PremisesKind.ESTABLISHMENT,
        name="Khách sạn Tràng Tiền (demo)",
        address_line="5 Tràng Tiền",
        occupancy_category="hotel",
        floors=9,
        floor_area_m2=4200,
        alarm_device_state=AlarmDeviceState.CONNECTED,
        alarm_connected_on=today - timedelta(days=60),
        fire_data_declared_on=today - timedelta(days=55),
        insurance_expires_on=today + timedelta(days=200),
    )
    home = _premises(
        "demo-rem-home",
        [head],
        kind=PremisesKind.HOME,
        name="Nhà ở ngõ Hàng Chĩnh (demo)",
        address_line="ngõ 3 Hàng Chĩnh",
        in_infra_deficient_area=True,
    )
    return karaoke, hotel, home


def _inspections(
    people: DemoPeople,
    version: CatalogueVersion | None,
    premises: tuple[Premises, Premises, Premises],
    today: date,
    stdout: TextIO,
) -> Inspection:
    """Signed, upcoming and overdue inspections; the signed one that found the violations."""
    karaoke, hotel, home = premises
    authority, manager, inspector = people.authority, people.manager, people.inspector
    # Shown as signed, so each has its checklist answers, signatures and signed record.
    past = _signed_inspection(
        "rem-past",
        karaoke,
        manager=manager,
        inspector=inspector,
        authority=authority,
        day=today - timedelta(days=40),
        non_compliant={1, 4},
        stdout=stdout,
    )
    upcoming, _ = Inspection.objects.update_or_create(
        number="DEMO-REM-002",
        defaults={
            "premises": hotel,
            "authority": authority,
            "kind": Inspection.Kind.PERIODIC,
            "state": Inspection.State.SCHEDULED,
            "catalogue_version": version,
            "scheduled_for": today + timedelta(days=1),
        },
    )
    upcoming.inspectors.add(inspector)

    # Last week's plan, for the weekly summary: one inspection carried out, one still open
    # (which also makes an "overdue inspection" reminder to the inspector).
    last_week = today - timedelta(days=today.weekday() + 5)
    _signed_inspection(
        "rem-last-week",
        hotel,
        manager=manager,
        inspector=inspector,
        authority=authority,
        day=last_week,
        stdout=stdout,
    )
    open_one, _ = Inspection.objects.update_or_create(
        number="DEMO-REM-004",
        defaults={
            "premises": home,
            "authority": authority,
            "kind": Inspection.Kind.PERIODIC,
            "state": Inspection.State.SCHEDULED,
            "catalogue_version": version,
            "scheduled_for": last_week,
            "submitted_at": None,
        },
    )
    open_one.inspectors.add(inspector)
    return past


def _findings(past: Inspection, karaoke: Premises, today: date) -> None:
    """Two open findings of the signed inspection: one due in 3 days, one 5 days late."""
    failed = _failed_items(past)
    for n, (description, days, severity) in enumerate(
        (
            ("Bình chữa cháy xách tay tầng 2 đã hết hạn kiểm định", 3, "major"),
            ("Lối thoát nạn tầng 3 bị chắn bởi hàng hóa", -5, "critical"),
        )
    ):
        Finding.objects.update_or_create(
            inspection=past,
            description=description,
            defaults={
                "premises": karaoke,
                "item": (item := failed[n] if len(failed) > n else None),
                "requirement": item.requirement if item else None,
                "severity": severity,
                "status": Finding.Status.OPEN,
                "remediation_deadline": today + timedelta(days=days),
            },
        )


def _training_certificate(karaoke: Premises, today: date) -> None:
    """The head's certificate, expiring in 20 days."""
    TrainingCertificate.objects.update_or_create(
        premises=karaoke,
        number="DEMO-HL-01",
        defaults={
            "holder_name": "Lê Thị Chủ",
            "role": "Người đứng đầu cơ sở",
            "issued_on": today - timedelta(days=700),
            "expires_on": today + timedelta(days=20),
        },
    )


def _signed_inspection(
    name, premises, *, manager, inspector, authority, day: date, stdout, non_compliant=()
) -> Inspection:
    """A periodic inspection carried out on ``day`` through the services (answers, signatures,
    submission) with its signed record, found again by its client UUID on the next run."""
    from inspections.demo.inspections import _answer_all, demo_signature, key
    from inspections.pdf.errors import SigningConfigurationError
    from inspections.services import inspections as services
    from inspections.services.reports import generate_report

    _drop_legacy_record_less(premises)
    inspection = Inspection.objects.filter(client_uuid=key(name)).first()
    started = timezone.make_aware(datetime.combine(day, time(8)))
    if inspection is None:
        inspection, _ = services.create_inspection(
            user=manager,
            premises=premises,
            authority=authority,
            kind=Inspection.Kind.PERIODIC,
            scheduled_for=day,
            inspectors=[inspector],
            client_uuid=key(name),
            cap_override_reason="Dữ liệu minh họa: các đợt kiểm tra nhắc việc",
        )
    if inspection.state == Inspection.State.SCHEDULED:
        inspection, _ = services.start_inspection(
            user=inspector, inspection=inspection, started_at=started
        )
    if inspection.state == Inspection.State.IN_PROGRESS:
        inspection, _ = _answer_all(inspector, inspection, name, non_compliant=set(non_compliant))
        for role, signer, position, seed in (
            ("inspector", inspector.full_name or inspector.email, "Cán bộ kiểm tra", 3),
            ("representative", "Lê Thị Chủ", "Người đứng đầu cơ sở", 4),
        ):
            services.add_signature(
                user=inspector,
                inspection=inspection,
                client_uuid=key(f"{name}-signature-{role}"),
                role=role,
                signer_name=signer,
                position=position,
                image=demo_signature(seed),
                signed_at=started + timedelta(minutes=50),
            )
        inspection.refresh_from_db()
        inspection, _ = services.submit_inspection(
            user=inspector,
            inspection=inspection,
            version=inspection.version,
            recommendations="Khắc phục các nội dung không đạt trong thời hạn ghi tại biên bản.",
            representative_name="Lê Thị Chủ",
            representative_position="Người đứng đầu cơ sở",
            ended_at=started + timedelta(hours=1),
        )
    # The dates stay relative to the day the seed runs.
    Inspection.objects.filter(pk=inspection.pk).update(
        scheduled_for=day, started_at=started, submitted_at=started + timedelta(hours=1)
    )
    try:
        generate_report(inspection.pk)
    except SigningConfigurationError as exc:
        stdout.write(f"reminders demo: record of {premises.name} not signed ({exc})\n")
    inspection.refresh_from_db()
    return inspection


def _failed_items(inspection: Inspection) -> list:
    return [
        a.item
        for a in inspection.answers.select_related("item").order_by("item__order")
        if a.value == "non_compliant"
    ]


def _drop_legacy_record_less(premises: Premises) -> None:
    """Earlier seeds made these inspections "signed" with no record: remove them (their
    findings go with them and are made again on the real inspection)."""
    from django.db.models.deletion import ProtectedError

    from inspections.models import Report

    legacy = Inspection.objects.filter(
        premises=premises,
        number__in=("DEMO-REM-001", "DEMO-REM-003"),
        state=Inspection.State.SIGNED,
    ).exclude(report__status=Report.Status.READY)
    for inspection in legacy:
        try:
            inspection.delete()
        except ProtectedError:
            continue


def _remediated_finding(inspection, premises, head, today: date) -> None:
    """A finding the head reported fixed, with a photo: the manager's "awaiting confirmation"."""
    import io

    from PIL import Image, ImageDraw

    from inspections.services.remediation import add_finding_evidence

    finding, _ = Finding.objects.update_or_create(
        inspection=inspection,
        description="Đèn chiếu sáng sự cố hành lang tầng 1 không hoạt động",
        defaults={
            "premises": premises,
            "severity": "minor",
            "status": Finding.Status.OPEN,
            "remediation_deadline": today + timedelta(days=10),
            "verified_by": None,
            "verified_at": None,
            "verification_note": "",
            "closed_at": None,
        },
    )
    if not finding.evidence.exists():
        buf = io.BytesIO()
        image = Image.new("RGB", (640, 480), (40, 40, 40))
        ImageDraw.Draw(image).rectangle((260, 60, 380, 120), fill=(255, 240, 160))
        image.save(buf, "JPEG", quality=80)
        add_finding_evidence(
            user=head,
            finding=finding,
            data=buf.getvalue(),
            original_name="den-su-co-tang-1.jpg",
            note="Đã thay bóng và ắc quy đèn sự cố",
        )
    Finding.objects.filter(pk=finding.pk).update(
        status=Finding.Status.REMEDIATED,
        remediated_at=timezone.now() - timedelta(days=1),
        remediation_note="Đã thay đèn mới, thử nghiệm ngắt điện 30 phút đèn vẫn sáng.",
    )


def _months_ago(today: date, months: int, *, plus_days: int = 0) -> date:
    """A last drill ``months`` ago, shifted so that the next one falls due within weeks."""
    from inspections.rules.deadlines import add_months

    return add_months(today, -months) + timedelta(days=plus_days)
