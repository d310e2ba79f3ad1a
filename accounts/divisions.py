"""Administrative divisions (2025 two-level: province → commune/ward) from vietnam-provinces."""

from __future__ import annotations

from functools import lru_cache

from vietnam_provinces import Province, VietNamDivisionType, Ward


@lru_cache(maxsize=1)
def _provinces() -> dict[int, Province]:
    return {int(p.code): p for p in Province.iter_all()}


@lru_cache(maxsize=1)
def _wards() -> dict[int, Ward]:
    return {int(w.code): w for w in Ward.iter_all()}


def province(code: int) -> Province | None:
    return _provinces().get(int(code)) if code is not None else None


def ward(code: int) -> Ward | None:
    return _wards().get(int(code)) if code is not None else None


def province_name(code: int | None) -> str:
    p = province(code) if code is not None else None
    return p.name if p else ""


def ward_name(code: int | None) -> str:
    w = ward(code) if code is not None else None
    return w.name if w else ""


def ward_in_province(ward_code: int, province_code: int) -> bool:
    w = ward(ward_code)
    return bool(w) and int(w.province_code) == int(province_code)


def is_centrally_run_city(province_code: int | None) -> bool:
    """True for the six thành phố trực thuộc trung ương, read from the division data."""
    p = province(province_code) if province_code is not None else None
    return bool(p) and p.division_type == VietNamDivisionType.THANH_PHO_TRUNG_UONG


def province_choices() -> list[tuple[int, str]]:
    return sorted(((c, p.name) for c, p in _provinces().items()), key=lambda x: x[0])


def ward_choices(province_code: int | None = None) -> list[tuple[int, str]]:
    items = _wards().items()
    if province_code is not None:
        items = [(c, w) for c, w in items if int(w.province_code) == int(province_code)]
    return sorted(((c, w.name) for c, w in items), key=lambda x: x[0])


def all_province_codes() -> list[int]:
    return sorted(_provinces())


def all_ward_codes() -> list[int]:
    return sorted(_wards())
