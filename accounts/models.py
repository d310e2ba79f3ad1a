"""Users (e-mail login), inspecting authorities with their jurisdiction, and memberships."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import divisions


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str) -> User:
        return self.get(email__iexact=username)


class User(AbstractUser):
    class Language(models.TextChoices):
        VI = "vi", "Tiếng Việt"
        EN = "en", "English"

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=200, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=32, blank=True)
    language = models.CharField(
        _("ngôn ngữ"), max_length=2, choices=Language.choices, default=Language.VI
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split()[-1] if self.full_name else self.email


class Authority(models.Model):
    """An inspecting authority; its jurisdiction is a province and a set of its wards.

    An empty ``ward_codes`` list means the whole province.
    """

    class Kind(models.TextChoices):
        COMMUNE_COMMITTEE = "commune_committee", _("Ủy ban nhân dân cấp xã")
        FIRE_POLICE = "fire_police", _("Cảnh sát PCCC và CNCH")
        CONSTRUCTION = "construction", _("Cơ quan quản lý xây dựng")
        VEHICLE_REGISTRY = "vehicle_registry", _("Cơ quan đăng kiểm")

    name = models.CharField(_("tên cơ quan"), max_length=255)
    kind = models.CharField(_("loại cơ quan"), max_length=32, choices=Kind.choices)
    province_code = models.PositiveIntegerField(_("mã tỉnh/thành phố"))
    ward_codes = models.JSONField(_("mã xã/phường"), default=list, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    inspector_capacity = models.PositiveSmallIntegerField(
        _("số đợt kiểm tra đang mở tối đa của một cán bộ"),
        default=12,
        help_text=_("Mức tải dùng để cảnh báo khi phân công (đợt đã lên lịch hoặc đang làm)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cơ quan kiểm tra")
        verbose_name_plural = _("cơ quan kiểm tra")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if divisions.province(self.province_code) is None:
            raise ValidationError({"province_code": _("Mã tỉnh/thành phố không tồn tại.")})
        bad = [
            c
            for c in self.ward_codes or []
            if not divisions.ward_in_province(c, self.province_code)
        ]
        if bad:
            raise ValidationError(
                {
                    "ward_codes": _("Xã/phường không thuộc tỉnh/thành phố đã chọn: %(codes)s")
                    % {"codes": ", ".join(map(str, bad))}
                }
            )

    @property
    def province_name(self) -> str:
        return divisions.province_name(self.province_code)

    @property
    def ward_names(self) -> list[str]:
        return [divisions.ward_name(c) for c in self.ward_codes or []]

    def covers(self, province_code: int, ward_code: int | None) -> bool:
        if int(province_code) != int(self.province_code):
            return False
        return not self.ward_codes or (ward_code is not None and int(ward_code) in self.ward_codes)


class Membership(models.Model):
    class Role(models.TextChoices):
        INSPECTOR = "inspector", _("Cán bộ kiểm tra")
        MANAGER = "manager", _("Lãnh đạo / quản lý")
        ADMIN = "admin", _("Quản trị cơ quan")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thành viên cơ quan")
        verbose_name_plural = _("thành viên cơ quan")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "authority", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.authority}"
