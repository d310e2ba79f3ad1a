"""Administrative divisions come from vietnam-provinces (2025 two-level division)."""

from accounts import divisions


def test_2025_division_counts():
    assert len(divisions.all_province_codes()) == 34
    assert len(divisions.all_ward_codes()) == 3321


def test_six_centrally_run_cities_from_data():
    cities = [c for c in divisions.all_province_codes() if divisions.is_centrally_run_city(c)]
    assert [divisions.province_name(c) for c in cities] == [
        "Thành phố Hà Nội",
        "Thành phố Hải Phòng",
        "Thành phố Huế",
        "Thành phố Đà Nẵng",
        "Thành phố Hồ Chí Minh",
        "Thành phố Cần Thơ",
    ]


def test_ward_must_belong_to_province():
    assert divisions.ward_in_province(70, 1)  # Phường Hoàn Kiếm, Hà Nội
    assert not divisions.ward_in_province(70, 14)  # not in Sơn La
    assert divisions.ward_name(70) == "Phường Hoàn Kiếm"
