"""Put the records signed before the dossier existed into it (item g for PC02, m otherwise)."""

from django.db import migrations
from django.utils import timezone


def file_reports(apps, schema_editor):
    Report = apps.get_model("inspections", "Report")
    DossierDocument = apps.get_model("inspections", "DossierDocument")
    ready = (
        Report.objects.filter(status="ready", dossier_document__isnull=True)
        .select_related("inspection")
        .iterator()
    )
    for report in ready:
        inspection = report.inspection
        moment = inspection.ended_at or report.signed_at or report.created_at
        self_inspection = report.form == "pc02"
        title = (
            "Biên bản tự kiểm tra về phòng cháy, chữa cháy"
            if self_inspection
            else "Biên bản kiểm tra về phòng cháy, chữa cháy"
        )
        if inspection.number:
            title = f"{title} {inspection.number}"
        DossierDocument.objects.create(
            premises_id=inspection.premises_id,
            item="g" if self_inspection else "m",
            title=title[:255],
            made_on=timezone.localtime(moment).date(),
            origin="generated",
            sha256=report.sha256,
            content_type="application/pdf",
            report=report,
        )


class Migration(migrations.Migration):
    dependencies = [("inspections", "0012_dossier_and_forms")]

    operations = [migrations.RunPython(file_reports, migrations.RunPython.noop)]
