"""Decree 105 Art. 13.1 content points as the catalogue will carry them (parameter
``inspection_content_points`` and ``Requirement.decree_points``, added by the catalogue work).

The texts are Art. 13.1 as read from the decree (decree-105/nd105_OCR_art4_art13_art14_art16.txt),
with the OCR's character errors corrected; only the points the tests use are given.
"""

from __future__ import annotations

import pytest

from inspections.models import DecreeParameter, Requirement

ART_13_1 = {
    "a": "Thực hiện trách nhiệm phòng cháy, chữa cháy, cứu nạn, cứu hộ của người đứng đầu cơ sở",
    "c": (
        "Trang bị phương tiện, hệ thống phòng cháy, chữa cháy, cứu nạn, cứu hộ, hệ thống điện "
        "phục vụ phòng cháy và chữa cháy, nguồn nước chữa cháy theo quy định"
    ),
    "d": (
        "Duy trì hoạt động các phương tiện, hệ thống phòng cháy, chữa cháy, cứu nạn, cứu hộ, hệ "
        "thống điện phục vụ phòng cháy và chữa cháy; nguồn nước chữa cháy"
    ),
    "đ": (
        "Lắp đặt, duy trì hoạt động của thiết bị truyền tin báo cháy kết nối với hệ thống Cơ sở "
        "dữ liệu về phòng cháy, chữa cháy, cứu nạn, cứu hộ và truyền tin báo cháy; khai báo, cập "
        "nhật dữ liệu về phòng cháy, chữa cháy, cứu nạn, cứu hộ theo quy định"
    ),
    "e": (
        "Duy trì điều kiện an toàn phòng cháy trong sử dụng nguồn lửa, nguồn nhiệt, thiết bị, "
        "dụng cụ sinh lửa, sinh nhiệt, chất dễ cháy, nổ"
    ),
    "g": (
        "Duy trì khoảng cách phòng cháy, chữa cháy, đường, bãi đỗ, khoảng trống phục vụ hoạt "
        "động phòng cháy, chữa cháy, cứu nạn, cứu hộ"
    ),
    "h": "Duy trì giải pháp thoát nạn, ngăn cháy, chống cháy lan, chống khói",
    "l": "Chấp hành nội quy phòng cháy, chữa cháy, cứu nạn, cứu hộ",
    "m": "Duy trì các biển cấm, biển báo, biển chỉ dẫn",
    "n": (
        "Thực hiện trách nhiệm phòng cháy, chữa cháy, cứu nạn, cứu hộ của chủ hộ gia đình trực "
        "tiếp sử dụng nhà ở, người thuê, mượn, ở nhờ nhà ở"
    ),
}
# Art. 13.2.a, b, c, đ: who checks which points.
BY_AUTHORITY = {
    "fire_police": ["a", "c", "d", "đ"],
    "construction": ["g", "h"],
    "commune_committee": ["a", "c", "d", "đ", "g", "h", "n"],
    "self_regular": ["d", "e", "h", "l"],
    "self_periodic": ["c", "d", "đ", "e", "g", "h", "l", "m"],
}


def add_content_points(version) -> DecreeParameter:
    return DecreeParameter.objects.create(
        version=version,
        key="inspection_content_points",
        value={
            "points": {p: {"text_vi": t, "text_en": ""} for p, t in ART_13_1.items()},
            "by_authority": BY_AUTHORITY,
        },
        source="Nghị định 105/2025/NĐ-CP, khoản 1, 2 Điều 13",
        confidence="verified",
    )


class _PointsByCode(dict):
    """Requirement codes → their Art. 13.1 points, written to ``Requirement.decree_points``."""

    def update(self, other=(), **kwargs) -> None:
        super().update(other, **kwargs)
        for code, points in dict(other, **kwargs).items():
            Requirement.objects.filter(code=code).update(decree_points=list(points))


@pytest.fixture
def decree_points(db):
    """Set chosen requirements' Art. 13.1 points (``decree_points.update({code: [...]})``)."""
    return _PointsByCode()
