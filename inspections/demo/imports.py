"""Demo data: one finished CSV import in the admin (Premises › Nhập CSV), run the way the worker
runs it: the report lists the rows saved and the row refused (a year 9999 date)."""

from __future__ import annotations

from typing import TextIO

from inspections.models import Premises, PremisesImport
from inspections.services.obligations import refresh_many
from inspections.services.premises_import_jobs import create_import_job, run_import_job

FILE_NAME = "demo-nhap-co-so.csv"
CSV = (
    "external_id,kind,name,address_line,province_code,ward_code,floors,insurance_expires_on\n"
    "DEMO-IMP-1,home_business,Tiệm may Hàng Gai,36 Hàng Gai,1,70,3,\n"
    "DEMO-IMP-2,home,Nhà bà Lan,8 ngõ Tạm Thương,1,70,2,\n"
    "DEMO-IMP-3,establishment,Quán cà phê Hồ Gươm,5 Lê Thái Tổ,1,70,2,31/12/9999\n"
)


def seed(stdout: TextIO) -> None:
    if PremisesImport.objects.filter(file_name=FILE_NAME).exists():
        stdout.write("imports: demo import already recorded\n")
        return
    job = create_import_job(user=None, file_name=FILE_NAME, raw=CSV.encode())
    run_import_job(job.pk)
    # What the worker does after the import's commit, done here so the demo is complete even
    # before a worker runs (and seeding twice gives the same rows).
    refresh_many(Premises.objects.filter(external_id__startswith="DEMO-IMP-").order_by("pk"))
    job.refresh_from_db()
    stdout.write(f"imports: {job.file_name}: {job.report.get('summary', job.error)}\n")
