"""The vocabulary of the rules: kinds of premises and the facts rules read.

Vietnamese msgids; the English is in locale/en/LC_MESSAGES/django.po, one translation per term
across the product (a reason says "number of storeys", as the premises form does). Reasons are stored in both languages (an obligation's
``reason_vi``/``reason_en``), so the functions here return a (vi, en) pair translated from each
language's catalogue, whatever language is active.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from .bilingual import translations

PREMISES_KINDS = ("establishment", "home", "home_business", "construction_site", "vehicle")

KIND_NAMES: dict[str, str] = {
    "establishment": gettext_noop("Cơ sở"),
    "home": gettext_noop("Nhà ở"),
    "home_business": gettext_noop("Nhà ở kết hợp sản xuất, kinh doanh"),
    "construction_site": gettext_noop("Công trình đang thi công"),
    "vehicle": gettext_noop("Phương tiện giao thông"),
}

# The name of a fact, to explain a comparison in plain language ("số tầng 6 (≥ 5)").
FACT_NAMES: dict[str, str] = {
    "floors": gettext_noop("số tầng"),
    "height_m": gettext_noop("chiều cao"),
    "floor_area_m2": gettext_noop("tổng diện tích sàn"),
    "volume_m3": gettext_noop("khối tích"),
    "business_area_m2": gettext_noop("diện tích kinh doanh"),
    "beds": gettext_noop("số giường bệnh"),
    "capacity": gettext_noop("sức chứa"),
    "employees": gettext_noop("số người lao động"),
    "onsite_team_members": gettext_noop("số thành viên Đội PCCC và CNCH cơ sở"),
    "hazard_class": gettext_noop("hạng nguy hiểm cháy, nổ"),
    "occupancy_category": gettext_noop("loại hình"),
    "kind": gettext_noop("loại đối tượng"),
    "alarm_device_state": gettext_noop("thiết bị truyền tin báo cháy"),
    "province_code": gettext_noop("tỉnh/thành phố"),
    "gas_stored_kg": gettext_noop("lượng khí đốt tồn chứa"),
    "voltage_kv": gettext_noop("điện áp"),
    "length_m": gettext_noop("chiều dài"),
    "site_area_m2": gettext_noop("diện tích khu đất, bãi"),
    "heritage_rank": gettext_noop("cấp di tích"),
    "works_grade": gettext_noop("cấp công trình"),
    "fishing_port_class": gettext_noop("loại cảng cá"),
    "needs_design_appraisal": gettext_noop("thuộc diện thẩm duyệt, thẩm định thiết kế về PCCC"),
    "under_fire_safety_management": gettext_noop("thuộc diện quản lý về PCCC"),
    "alarm_connected_on": gettext_noop("ngày kết nối thiết bị"),
}

# The unit written after a fact's value (the English leaves out " người": "capacity 120").
FACT_UNITS: dict[str, str] = {
    "height_m": " m",
    "floor_area_m2": " m²",
    "volume_m3": " m³",
    "business_area_m2": " m²",
    "capacity": " người",
    "gas_stored_kg": " kg",
    "voltage_kv": " kV",
    "length_m": " m",
    "site_area_m2": " m²",
}

# Plain-language text of a boolean fact being true / false.
BOOLEAN_FACTS: dict[str, tuple[str, str]] = {
    "in_infra_deficient_area": (
        gettext_noop(
            "trong khu vực được xác định thiếu hạ tầng giao thông hoặc nguồn nước chữa cháy",
        ),
        gettext_noop(
            "ngoài khu vực được xác định thiếu hạ tầng giao thông hoặc nguồn nước chữa cháy",
        ),
    ),
    "in_centrally_run_city": (
        gettext_noop("thuộc thành phố trực thuộc trung ương"),
        gettext_noop("không thuộc thành phố trực thuộc trung ương"),
    ),
    "under_fire_safety_management": (
        gettext_noop(
            "thuộc danh mục cơ sở quản lý về PCCC (Phụ lục I Nghị định 105/2025/NĐ-CP)",
        ),
        gettext_noop("không thuộc danh mục cơ sở quản lý về PCCC"),
    ),
    "trades_hazardous_goods": (
        gettext_noop("sản xuất, kinh doanh hàng hóa nguy hiểm về cháy, nổ"),
        gettext_noop("không kinh doanh hàng hóa nguy hiểm về cháy, nổ"),
    ),
    "has_ev_charging": (
        gettext_noop("có nơi sạc điện cho xe động cơ điện"),
        gettext_noop("không có nơi sạc xe điện"),
    ),
    "uses_electricity_for_production": (
        gettext_noop("sử dụng điện cho sản xuất"),
        gettext_noop("không sử dụng điện cho sản xuất"),
    ),
    "hosts_other_organisations": (
        gettext_noop("có cơ quan, tổ chức khác hoạt động trong phạm vi cơ sở"),
        gettext_noop("không có tổ chức khác trong cơ sở"),
    ),
    "legacy_noncompliant_listed": (
        gettext_noop(
            "có tên trong danh sách cơ sở không bảo đảm yêu cầu PCCC, không có khả năng khắc phục "
            "(điểm a khoản 6 Điều 55)",
        ),
        gettext_noop("không có tên trong danh sách cơ sở cũ không bảo đảm PCCC"),
    ),
}

_OCCUPANCY_CATEGORY = gettext_noop("loại hình hoạt động")
_UNKNOWN_KIND = gettext_noop("Đối tượng")


def in_both(msgid: str) -> tuple[str, str]:
    """(vi, en) of one of this module's texts."""
    return translations(msgid)


def kind_label(code: str, lang: str) -> str:
    """The name of a premises kind in ``lang`` ("vi" or "en"); an unknown code as it is."""
    if code not in KIND_NAMES:
        return code
    vi, en = in_both(KIND_NAMES[code])
    return en if lang == "en" else vi


def kind_labels(code: str) -> tuple[str, str]:
    """(vi, en) name of a premises kind, "Đối tượng"/"Premises" for an unknown one."""
    return in_both(KIND_NAMES.get(code, _UNKNOWN_KIND))


def fact_names(name: str) -> tuple[str, str]:
    """(vi, en) name of a fact as a reason writes it; an unknown fact by its code."""
    return in_both(FACT_NAMES[name]) if name in FACT_NAMES else (name, name)


def fact_label(name: str) -> tuple[str, str]:
    """(vi, en) name of a premises fact, for "fill in ..." messages."""
    if name == "occupancy_category":
        return in_both(_OCCUPANCY_CATEGORY)
    return fact_names(name)


def boolean_fact_texts(name: str, value: bool) -> tuple[str, str]:
    """(vi, en) of a boolean fact being ``value``."""
    true, false = BOOLEAN_FACTS[name]
    return in_both(true if value else false)
