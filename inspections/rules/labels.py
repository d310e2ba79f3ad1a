"""The vocabulary of the rules in both languages: kinds of premises and the facts rules read."""

from __future__ import annotations

PREMISES_KINDS = ("establishment", "home", "home_business", "construction_site", "vehicle")

KIND_LABELS: dict[str, tuple[str, str]] = {
    "establishment": ("Cơ sở", "Establishment"),
    "home": ("Nhà ở", "Home"),
    "home_business": ("Nhà ở kết hợp sản xuất, kinh doanh", "Home combined with a business"),
    "construction_site": ("Công trình đang thi công", "Construction site"),
    "vehicle": ("Phương tiện giao thông", "Vehicle"),
}

# (vi label, en label, unit) used to explain a comparison in plain language.
FACT_LABELS: dict[str, tuple[str, str, str]] = {
    "floors": ("số tầng", "floors", ""),
    "height_m": ("chiều cao", "height", " m"),
    "floor_area_m2": ("tổng diện tích sàn", "total floor area", " m²"),
    "volume_m3": ("khối tích", "volume", " m³"),
    "business_area_m2": ("diện tích kinh doanh", "business area", " m²"),
    "beds": ("số giường bệnh", "beds", ""),
    "capacity": ("sức chứa", "capacity", " người"),
    "employees": ("số người lao động", "employees", ""),
    "onsite_team_members": ("số thành viên Đội PCCC và CNCH cơ sở", "on-site team members", ""),
    "hazard_class": ("hạng nguy hiểm cháy, nổ", "fire/explosion hazard class", ""),
    "occupancy_category": ("loại hình", "occupancy", ""),
    "kind": ("loại đối tượng", "kind", ""),
    "alarm_device_state": ("thiết bị truyền tin báo cháy", "alarm-transmission device", ""),
    "province_code": ("tỉnh/thành phố", "province", ""),
    "gas_stored_kg": ("lượng khí đốt tồn chứa", "gas stored", " kg"),
    "voltage_kv": ("điện áp", "voltage", " kV"),
    "length_m": ("chiều dài", "length", " m"),
    "site_area_m2": ("diện tích khu đất, bãi", "site area", " m²"),
    "heritage_rank": ("cấp di tích", "monument rank", ""),
    "works_grade": ("cấp công trình", "works grade", ""),
    "fishing_port_class": ("loại cảng cá", "fishing port class", ""),
    "needs_design_appraisal": (
        "thuộc diện thẩm duyệt, thẩm định thiết kế về PCCC",
        "needs fire design appraisal",
        "",
    ),
    "under_fire_safety_management": (
        "thuộc diện quản lý về PCCC",
        "under fire-safety management",
        "",
    ),
    "alarm_connected_on": ("ngày kết nối thiết bị", "device connection date", ""),
}

# Plain-language text of a boolean fact being true / false.
BOOLEAN_FACTS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "in_infra_deficient_area": (
        (
            "trong khu vực được xác định thiếu hạ tầng giao thông hoặc nguồn nước chữa cháy",
            "in an area designated as lacking firefighting road access or water",
        ),
        (
            "ngoài khu vực được xác định thiếu hạ tầng giao thông hoặc nguồn nước chữa cháy",
            "outside the areas designated as lacking firefighting access or water",
        ),
    ),
    "in_centrally_run_city": (
        ("thuộc thành phố trực thuộc trung ương", "in a centrally-run city"),
        ("không thuộc thành phố trực thuộc trung ương", "not in a centrally-run city"),
    ),
    "under_fire_safety_management": (
        (
            "thuộc danh mục cơ sở quản lý về PCCC (Phụ lục I Nghị định 105/2025/NĐ-CP)",
            "under fire-safety management (Decree 105/2025 Appendix I)",
        ),
        (
            "không thuộc danh mục cơ sở quản lý về PCCC",
            "not under fire-safety management (not in Appendix I)",
        ),
    ),
    "trades_hazardous_goods": (
        (
            "sản xuất, kinh doanh hàng hóa nguy hiểm về cháy, nổ",
            "produces or trades goods with a fire/explosion hazard",
        ),
        ("không kinh doanh hàng hóa nguy hiểm về cháy, nổ", "no hazardous goods traded"),
    ),
    "has_ev_charging": (
        ("có nơi sạc điện cho xe động cơ điện", "has electric-vehicle charging"),
        ("không có nơi sạc xe điện", "no electric-vehicle charging"),
    ),
    "uses_electricity_for_production": (
        ("sử dụng điện cho sản xuất", "uses electricity for production"),
        ("không sử dụng điện cho sản xuất", "no electricity used for production"),
    ),
    "hosts_other_organisations": (
        (
            "có cơ quan, tổ chức khác hoạt động trong phạm vi cơ sở",
            "other organisations operate inside the establishment",
        ),
        ("không có tổ chức khác trong cơ sở", "no other organisation inside"),
    ),
    "legacy_noncompliant_listed": (
        (
            "có tên trong danh sách cơ sở không bảo đảm yêu cầu PCCC, không có khả năng khắc phục "
            "(điểm a khoản 6 Điều 55)",
            "on the provincial list of legacy establishments that cannot meet the standards",
        ),
        ("không có tên trong danh sách cơ sở cũ không bảo đảm PCCC", "not on the legacy list"),
    ),
}


def fact_label(name: str) -> tuple[str, str]:
    """(vi, en) name of a premises fact, for "fill in ..." messages."""
    if name == "occupancy_category":
        return "loại hình hoạt động", "occupancy category"
    if name not in FACT_LABELS:
        return name, name
    vi, en, _unit = FACT_LABELS[name]
    return vi, en
