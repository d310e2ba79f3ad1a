"""CSV import of premises: valid rows saved, invalid rows reported by line, re-runs change nothing."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from inspections.models import Premises, PremisesChange
from inspections.services.premises_csv import ImportFileError
from inspections.services.premises_import import import_premises

HEADER = "external_id,kind,name,address_line,province_code,ward_code,floors,floor_area_m2,alarm_device_state,insurance_expires_on,head_emails"
GOOD = [
    "HK-001,establishment,Karaoke Ánh Dương,12 Hàng Bài,1,70,4,520.5,installed,2026-12-31,head@test.vn",
    "HK-002,Nhà ở,Nhà ông Nguyễn Văn Tư,5 ngõ Hàng Hành,1,70,3,,,,",
    'SL-001,establishment,"Chợ trung tâm Sơn La, khu A",Đường Tô Hiệu,14,3646,1,4000,none,,',
]


def csv_bytes(*lines: str, bom: bool = True) -> bytes:
    text = "\r\n".join(lines) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def test_bom_utf8_file_is_imported_with_vietnamese_intact(head):
    report = import_premises(csv_bytes(HEADER, *GOOD))
    assert (report.created, report.updated, report.unchanged, report.invalid) == (3, 0, 0, 0)
    karaoke = Premises.objects.get(external_id="HK-001")
    assert karaoke.name == "Karaoke Ánh Dương"
    assert karaoke.floor_area_m2 == Decimal("520.50")
    assert karaoke.alarm_device_state == "installed"
    assert list(karaoke.heads.all()) == [head]
    home = Premises.objects.get(external_id="HK-002")
    assert home.kind == "home"  # the Vietnamese label is accepted
    assert home.alarm_device_state == "none"  # empty cell: the default
    assert Premises.objects.get(external_id="SL-001").name == "Chợ trung tâm Sơn La, khu A"
    change = karaoke.changes.get()
    assert change.source == "import"
    assert change.changes["name"] == [None, "Karaoke Ánh Dương"]


def test_rerunning_the_same_file_changes_nothing(head):
    data = csv_bytes(HEADER, *GOOD)
    import_premises(data)
    audit_rows = PremisesChange.objects.count()
    stamps = dict(Premises.objects.values_list("external_id", "updated_at"))
    report = import_premises(data)
    assert (report.created, report.updated, report.unchanged, report.invalid) == (0, 0, 3, 0)
    assert PremisesChange.objects.count() == audit_rows
    assert dict(Premises.objects.values_list("external_id", "updated_at")) == stamps


def test_a_changed_cell_updates_only_that_premises(head):
    import_premises(csv_bytes(HEADER, *GOOD))
    edited = [GOOD[0].replace(",4,520.5,", ",5,520.5,"), *GOOD[1:]]
    report = import_premises(csv_bytes(HEADER, *edited))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    change = Premises.objects.get(external_id="HK-001").changes.first()
    assert change.changes == {"floors": [4, 5]}


def test_semicolon_file_with_decimal_comma_and_vietnamese_dates(db):
    data = csv_bytes(
        "external_id;kind;name;province_code;ward_code;floor_area_m2;insurance_expires_on;trades_hazardous_goods",
        "HK-010;home_business;Cửa hàng gas Minh Châu;1;70;85,5;31/12/2026;có",
        bom=False,
    )
    report = import_premises(data)
    assert report.created == 1, report.errors
    shop = Premises.objects.get(external_id="HK-010")
    assert shop.floor_area_m2 == Decimal("85.5")
    assert str(shop.insurance_expires_on) == "2026-12-31"
    assert shop.trades_hazardous_goods is True


def test_invalid_rows_are_reported_by_line_and_valid_rows_saved(head):
    report = import_premises(
        csv_bytes(
            HEADER,
            GOOD[0],
            "BAD-1,castle,Lâu đài,,1,70,,,,,",
            "BAD-2,home,Nhà sai phường,,1,3646,,,,,",
            "BAD-3,home,Nhà số tầng lạ,,1,70,ba,,,,",
            ",home,Không có mã,,1,70,,,,,",
            "HK-001,home,Trùng mã,,1,70,,,,,",
            "BAD-4,home,Chủ lạ,,1,70,,,,,nobody@test.vn",
            "BAD-5,home,Ngày sai,,1,70,,,,2026-13-45,",
            GOOD[1],
        )
    )
    assert (report.created, report.invalid) == (2, 7)
    by_line = {e.line: (e.external_id, " ".join(e.reasons)) for e in report.errors}
    assert sorted(by_line) == [3, 4, 5, 6, 7, 8, 9]
    assert "castle" in by_line[3][1]
    assert "Xã/phường không thuộc tỉnh/thành phố" in by_line[4][1]
    assert "số tầng" in by_line[5][1] and "ba" in by_line[5][1]
    assert "external_id" in by_line[6][1]
    assert "dòng 2" in by_line[7][1]
    assert "nobody@test.vn" in by_line[8][1]
    assert "2026-13-45" in by_line[9][1]
    assert str(report.errors[0]).startswith("Dòng 3 (BAD-1): ")
    assert not Premises.objects.filter(external_id__startswith="BAD").exists()


def test_line_numbers_count_multiline_cells(db):
    report = import_premises(
        csv_bytes(
            "external_id,kind,name,address_line,province_code,ward_code",
            'HK-1,home,Nhà A,"Số 1\nngõ 2",1,70',
            "HK-2,home,Nhà B,,1,99999",
        )
    )
    assert [e.line for e in report.errors] == [4]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "rỗng"),
        (b"  \r\n", "rỗng"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "nhị phân"),
        (b"PK\x03\x04\x14\x00\x06\x00", "Excel"),
        ("Tên,Địa chỉ\nA,B\n".encode(), "thiếu cột external_id"),
        (
            "external_id,kind,name,province_code,ward_code\nX,home,Nhà bà Hà,1,70\n".encode(
                "cp1258"
            ),
            "UTF-8",
        ),
    ],
)
def test_files_that_are_not_premises_csv_get_a_clear_error(db, data, message):
    with pytest.raises(ImportFileError, match=message):
        import_premises(data)
    assert not Premises.objects.exists()


def test_manager_imports_only_within_their_jurisdiction(manager):
    report = import_premises(csv_bytes(HEADER, GOOD[1], GOOD[2]), user=manager)
    assert report.created == 1
    assert "ngoài địa bàn" in " ".join(report.errors[0].reasons)
    assert Premises.objects.get().changes.get().changed_by == manager


def test_command_prints_the_report(tmp_path, head):
    path = tmp_path / "co-so.csv"
    path.write_bytes(csv_bytes(HEADER, *GOOD, "BAD-1,castle,X,,1,70,,,,,"))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_premises", str(path), stdout=out, stderr=err)
    assert "Tạo mới: 3, cập nhật: 0, không đổi: 0, không hợp lệ: 1" in out.getvalue()
    assert "Dòng 5 (BAD-1)" in err.getvalue()
    out = io.StringIO()
    call_command("import_premises", str(path), stdout=out, stderr=io.StringIO())
    assert "Tạo mới: 0, cập nhật: 0, không đổi: 3, không hợp lệ: 1" in out.getvalue()


def test_command_refuses_a_binary_file(tmp_path, db):
    path = tmp_path / "anh.csv"
    path.write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(CommandError, match="nhị phân"):
        call_command("import_premises", str(path))
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_premises", str(tmp_path / "missing.csv"))


def test_imported_premises_get_their_obligations_from_the_worker(
    published_catalogue, django_capture_on_commit_callbacks, monkeypatch
):
    from config.celery import app
    from inspections.models import Obligation

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    data = csv_bytes(
        "external_id,kind,name,province_code,ward_code,occupancy_category,floors,floor_area_m2",
        "HK-100,establishment,Karaoke Ánh Sao,1,70,karaoke,3,300",
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = import_premises(data)
    assert report.created == 1 and len(callbacks) == 1  # one message for the whole file
    assert Obligation.objects.filter(premises__external_id="HK-100").exists()


def test_decree_105_fact_columns_are_imported(db):
    header = (
        "external_id,kind,name,province_code,ward_code,occupancy_category,business_area_m2,"
        "gas_stored_kg,works_grade,needs_design_appraisal,last_pc04_report_on"
    )
    rows = [
        "D-1,establishment,Nhà hàng Phố,1,70,restaurant,150,,,,10/06/2026",
        "D-2,establishment,Cửa hàng gas Lan,1,70,gas_shop,,600,,,",
        "D-3,establishment,Cảng Khuyến Lương,1,70,port,,,iii,,",
        "D-4,construction_site,Công trình A,1,70,,,,,có,",
    ]
    report = import_premises(csv_bytes(header, *rows))
    assert (report.created, report.invalid) == (4, 0)
    restaurant = Premises.objects.get(external_id="D-1")
    assert restaurant.business_area_m2 == Decimal("150")
    assert str(restaurant.last_pc04_report_on) == "2026-06-10"
    assert Premises.objects.get(external_id="D-2").gas_stored_kg == Decimal("600")
    assert Premises.objects.get(external_id="D-3").works_grade == "III"
    assert Premises.objects.get(external_id="D-4").needs_design_appraisal is True


# --- Hostile and interrupted imports ---------------------------------------------------------


def _big_file(n: int, *extra: str) -> bytes:
    rows = [f"HK-{i:05d},home,Nhà số {i},1,70" for i in range(n)]
    return csv_bytes("external_id,kind,name,province_code,ward_code", *rows, *extra)


def test_a_nul_byte_after_the_first_8_kib_refuses_the_file_before_saving(db):
    data = _big_file(400)
    assert len(data) > 8192
    data = data[:-20] + b"\x00" + data[-20:]
    with pytest.raises(ImportFileError, match="nhị phân"):
        import_premises(data)
    assert not Premises.objects.exists()


def test_an_unterminated_quote_refuses_the_file_instead_of_swallowing_rows(db):
    data = csv_bytes(
        "external_id,kind,name,province_code,ward_code",
        "HK-1,home,Nhà bà Hà,1,70",
        'HK-2,home,"Nhà ông Tư,1,70',
        "HK-3,home,Nhà bà Ba,1,70",
        "HK-4,home,Nhà bà Bốn,1,70",
    )
    with pytest.raises(ImportFileError, match="hỏng"):
        import_premises(data)
    assert not Premises.objects.exists()


def test_a_date_beyond_2100_is_an_invalid_row(db):
    data = csv_bytes(
        "external_id,kind,name,province_code,ward_code,insurance_expires_on",
        "HK-1,home,Nhà bà Hà,1,70,9999-12-31",
        "HK-2,home,Nhà ông Tư,1,70,2027-01-31",
    )
    report = import_premises(data)
    assert (report.created, report.invalid) == (1, 1)
    assert report.errors[0].line == 2 and "2100" in " ".join(report.errors[0].reasons)
    assert report.saved_lines == [3]


def test_the_report_lists_exactly_which_rows_were_saved(head):
    report = import_premises(csv_bytes(HEADER, GOOD[0], "BAD-1,castle,X,,1,70,,,,,", GOOD[1]))
    assert report.saved_lines == [2, 4]
    assert [e.line for e in report.errors] == [3]


def test_reimport_repairs_obligations_lost_by_an_interrupted_import(
    published_catalogue, django_capture_on_commit_callbacks, eager
):
    from inspections.models import Obligation

    data = csv_bytes(
        "external_id,kind,name,province_code,ward_code,occupancy_category,floors,floor_area_m2",
        "HK-100,establishment,Karaoke Ánh Sao,1,70,karaoke,3,300",
    )
    # First import: the worker's message is lost (the callbacks are never run).
    with django_capture_on_commit_callbacks(execute=False):
        import_premises(data)
    assert not Obligation.objects.filter(premises__external_id="HK-100").exists()

    with django_capture_on_commit_callbacks(execute=True):
        report = import_premises(data)
    assert report.unchanged == 1
    assert Obligation.objects.filter(premises__external_id="HK-100").exists()


def test_the_sweep_computes_missing_and_stale_obligations(published_catalogue):
    from inspections.models import Obligation
    from inspections.services.obligations import refresh_obligations, sweep_stale_obligations
    from tests import factories as f

    never = f.PremisesFactory(name="Chưa tính")
    fresh = f.PremisesFactory(name="Đã tính")

    refresh_obligations(fresh)
    computed = Premises.objects.get(pk=fresh.pk).obligations_computed_at
    result = sweep_stale_obligations()
    assert result.refreshed == 1 and result.failed == []
    assert Obligation.objects.filter(premises=never).exists()
    assert Premises.objects.get(pk=fresh.pk).obligations_computed_at == computed  # not stale

    # Facts changed after the obligations were computed (a deferred import row): stale.
    stamp = Premises.objects.get(pk=fresh.pk).updated_at
    Premises.objects.filter(pk=fresh.pk).update(
        obligations_computed_at=stamp - timedelta(seconds=1)
    )
    assert sweep_stale_obligations().refreshed == 1
    assert sweep_stale_obligations().refreshed == 0


def test_import_job_runs_in_the_worker_with_progress(
    head, eager, django_capture_on_commit_callbacks
):
    from inspections.models import PremisesImport
    from inspections.services import premises_import_jobs as jobs

    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.queue_import(user=None, file_name="lon.csv", raw=_big_file(250))
    job.refresh_from_db()
    assert job.status == PremisesImport.Status.DONE
    assert (job.processed_rows, job.total_rows) == (250, 250)
    assert job.report["created"] == 250 and job.report["saved_lines"][:2] == [2, 3]
    assert job.content == b""  # the file is dropped once its report is kept
    # A second message for the same job does nothing.
    assert jobs.run_import_job(job.pk) == "skipped"


def test_a_bad_file_is_refused_before_a_job_exists(db):
    from inspections.models import PremisesImport
    from inspections.services.premises_import_jobs import queue_import

    with pytest.raises(ImportFileError):
        queue_import(user=None, file_name="x.csv", raw=b'external_id,kind\n"open,1\n')
    assert not PremisesImport.objects.exists()


def test_a_stalled_job_is_run_again_and_finishes(head, monkeypatch):
    from django.utils import timezone

    from inspections.models import PremisesImport
    from inspections.services import premises_import_jobs as jobs

    job = jobs.create_import_job(user=None, file_name="x.csv", raw=_big_file(3))
    # A worker claimed it and died: no progress for longer than STALLED_AFTER.
    PremisesImport.objects.filter(pk=job.pk).update(
        status=PremisesImport.Status.RUNNING,
        heartbeat_at=timezone.now() - jobs.STALLED_AFTER - timedelta(minutes=1),
    )
    assert jobs.stalled_import_ids() == [job.pk]
    assert jobs.run_import_job(job.pk) == "done"
    assert Premises.objects.count() == 3
    assert jobs.stalled_import_ids() == []


def test_command_prints_progress(tmp_path, db):
    path = tmp_path / "lon.csv"
    path.write_bytes(_big_file(250))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_premises", str(path), stdout=out, stderr=err)
    assert "100/250 rows" in err.getvalue() and "250/250 rows" in err.getvalue()
    assert "Tạo mới: 250" in out.getvalue()
