"""The choices a premises' facts take: its kind, alarm connection, hazard class, heritage rank,
works grade and fishing port class."""

from __future__ import annotations

from django.db import models
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from inspections.rules.labels import kind_label as rules_kind_label


def _kind_label(code: str) -> str:
    return rules_kind_label(code, "en" if (get_language() or "vi").startswith("en") else "vi")


# The labels are the rules' vocabulary (rules/labels.py), the one place they are written.
kind_label = lazy(_kind_label, str)


class PremisesKind(models.TextChoices):
    ESTABLISHMENT = "establishment", kind_label("establishment")
    HOME = "home", kind_label("home")
    HOME_BUSINESS = "home_business", kind_label("home_business")
    CONSTRUCTION_SITE = "construction_site", kind_label("construction_site")
    VEHICLE = "vehicle", kind_label("vehicle")


class AlarmDeviceState(models.TextChoices):
    NONE = "none", _("Chưa trang bị")
    INSTALLED = "installed", _("Đã lắp đặt, chưa kết nối")
    CONNECTED = "connected", _("Đã kết nối")


class HazardClass(models.TextChoices):
    NONE = "", _("Không xác định")
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"
    E = "E", "E"


class HeritageRank(models.TextChoices):
    NONE = "", _("Không phải di tích / chưa xác định")
    PROVINCIAL = "provincial", _("Di tích cấp tỉnh")
    NATIONAL = "national", _("Di tích cấp quốc gia")
    SPECIAL_NATIONAL = "special_national", _("Di tích cấp quốc gia đặc biệt")


class WorksGrade(models.TextChoices):
    NONE = "", _("Chưa xác định")
    SPECIAL = "special", _("Cấp đặc biệt")
    I = "I", _("Cấp I")  # noqa: E741 — the grade's own name
    II = "II", _("Cấp II")
    III = "III", _("Cấp III")
    IV = "IV", _("Cấp IV")


class FishingPortClass(models.TextChoices):
    NONE = "", _("Chưa xác định")
    I = "I", _("Loại I")  # noqa: E741 — the class's own name
    II = "II", _("Loại II")
    III = "III", _("Loại III")
