"""Demo data, part 0: inspecting authorities and the demo users (password ``demo-pass-2025``).

Safe to run again: rows are found by name or e-mail and brought back to the documented state
(roles, passwords), never duplicated.
"""

from __future__ import annotations

from typing import TextIO

from django.contrib.auth.models import Group, Permission

from accounts.models import Authority, Membership, User

# The demo's published password: seed_demo refuses to run with production settings.
PASSWORD = "demo-pass-2025"  # noqa: S105
HANOI, HOAN_KIEM = 1, 70  # Thành phố Hà Nội, Phường Hoàn Kiếm
SON_LA, TO_HIEU = 14, 3646  # Sơn La, Phường Tô Hiệu

HOAN_KIEM_AUTHORITY = "UBND Phường Hoàn Kiếm"
TO_HIEU_AUTHORITY = "UBND Phường Tô Hiệu"
FIRE_POLICE_AUTHORITY = "Phòng Cảnh sát PCCC và CNCH - Công an Thành phố Hà Nội"
CONSTRUCTION_AUTHORITY = "Sở Xây dựng Thành phố Hà Nội"
MANAGERS_GROUP = "Lãnh đạo cơ quan kiểm tra"

AUTHORITIES = [
    {
        "name": HOAN_KIEM_AUTHORITY,
        "kind": Authority.Kind.COMMUNE_COMMITTEE,
        "province_code": HANOI,
        "ward_codes": [HOAN_KIEM],
        "address": "126 Hàng Trống, Phường Hoàn Kiếm, Thành phố Hà Nội",
    },
    {
        "name": TO_HIEU_AUTHORITY,
        "kind": Authority.Kind.COMMUNE_COMMITTEE,
        "province_code": SON_LA,
        "ward_codes": [TO_HIEU],
        "address": "Số 8 đường Tô Hiệu, Phường Tô Hiệu, Sơn La",
    },
    {
        "name": FIRE_POLICE_AUTHORITY,
        "kind": Authority.Kind.FIRE_POLICE,
        "province_code": HANOI,
        "ward_codes": [],  # the whole city
        "address": "11 Trần Bình Trọng, Phường Cửa Nam, Thành phố Hà Nội",
    },
    {
        # Inspects Appendix II premises with the police (Decree 105 Art. 13.2.b): the planning
        # form offers the two one joint inspection.
        "name": CONSTRUCTION_AUTHORITY,
        "kind": Authority.Kind.CONSTRUCTION,
        "province_code": HANOI,
        "ward_codes": [],
        "address": "52 Lê Đại Hành, Phường Hai Bà Trưng, Thành phố Hà Nội",
    },
]

# email, full name, phone, language, staff, superuser, [(authority, role)]
USERS = [
    (
        "inspector@demo.test",
        "Trần Minh Đức",
        "0912 345 678",
        "vi",
        False,
        False,
        [(HOAN_KIEM_AUTHORITY, Membership.Role.INSPECTOR)],
    ),
    (
        "manager@demo.test",
        "Nguyễn Thị Hồng Nhung",
        "0903 456 789",
        "vi",
        True,
        False,
        [(HOAN_KIEM_AUTHORITY, Membership.Role.MANAGER)],
    ),
    (
        "manager.pccc@demo.test",
        "Đỗ Mạnh Cường",
        "0243 826 1234",
        "vi",
        True,
        False,
        [(FIRE_POLICE_AUTHORITY, Membership.Role.MANAGER)],
    ),
    ("head@demo.test", "Lê Văn Hùng", "0987 654 321", "vi", False, False, []),
    ("admin@demo.test", "Quản trị hệ thống", "", "en", True, True, []),
    (
        "inspector.sonla@demo.test",
        "Lò Văn Thắng",
        "0212 385 1234",
        "vi",
        False,
        False,
        [(TO_HIEU_AUTHORITY, Membership.Role.INSPECTOR)],
    ),
]

# What managers do in the admin: plan and assign inspections, keep the registry up to date.
MANAGER_PERMISSIONS = [
    ("inspections", "view_premises"),
    ("inspections", "change_premises"),
    ("inspections", "view_trainingcertificate"),
    ("inspections", "add_trainingcertificate"),
    ("inspections", "change_trainingcertificate"),
    ("inspections", "view_premiseschange"),
    ("inspections", "view_inspection"),
    ("inspections", "add_inspection"),
    ("inspections", "change_inspection"),
    ("inspections", "view_finding"),
    ("inspections", "change_finding"),
    ("inspections", "view_answer"),
]


def _authority(spec: dict) -> Authority:
    authority, _ = Authority.objects.update_or_create(
        name=spec["name"], defaults={k: v for k, v in spec.items() if k != "name"}
    )
    authority.full_clean()
    return authority


def _managers_group() -> Group:
    group, _ = Group.objects.get_or_create(name=MANAGERS_GROUP)
    perms = [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in MANAGER_PERMISSIONS
    ]
    group.permissions.set(perms)
    return group


def seed(stdout: TextIO) -> None:
    authorities = {spec["name"]: _authority(spec) for spec in AUTHORITIES}
    managers = _managers_group()
    for email, name, phone, language, staff, superuser, roles in USERS:
        user, created = User.objects.update_or_create(
            email=email,
            defaults={
                "full_name": name,
                "phone": phone,
                "language": language,
                "is_staff": staff,
                "is_superuser": superuser,
                "is_active": True,
            },
        )
        if created or not user.check_password(PASSWORD):
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
        for authority_name, role in roles:
            Membership.objects.get_or_create(
                user=user, authority=authorities[authority_name], role=role
            )
        if staff and not superuser:
            user.groups.add(managers)
    stdout.write(
        f"accounts: {len(authorities)} authorities, {len(USERS)} demo users (password {PASSWORD})\n"
    )
