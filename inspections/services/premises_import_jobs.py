"""CSV imports run by the worker as PremisesImport jobs: the file is checked when it is
submitted (a bad file never becomes a job), the rows are imported by a task that records its
progress, and a job whose worker died is run again (importing is idempotent).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import User
from inspections.models import PremisesImport

from .premises_csv import ImportFileError, read_file
from .premises_import import import_premises

# A running job with no progress for this long lost its worker: it is run again.
STALLED_AFTER = timedelta(minutes=15)


def create_import_job(*, user: User | None, file_name: str, raw: bytes) -> PremisesImport:
    """Check the whole file now (a bad file is refused here, nothing saved) and record the job."""
    parsed = read_file(raw)
    return PremisesImport.objects.create(
        created_by=user, file_name=file_name[:255], content=raw, total_rows=len(parsed.rows)
    )


def queue_import(*, user: User | None, file_name: str, raw: bytes) -> PremisesImport:
    """create_import_job, then hand it to the worker once committed."""
    from inspections.queue import enqueue

    job = create_import_job(user=user, file_name=file_name, raw=raw)
    transaction.on_commit(lambda: enqueue("inspections.tasks.run_premises_import", job.pk))
    return job


def run_import_job(import_id: int, *, on_progress: Callable[[int, int], None] | None = None) -> str:
    """Claim and run one job; a duplicate message, or one for a finished job, does nothing.

    Importing is idempotent (rows keyed by external_id), so a job whose worker died is simply
    run again from the start by the stalled-job sweep.
    """
    now = timezone.now()
    claimable = Q(status=PremisesImport.Status.QUEUED) | Q(
        status=PremisesImport.Status.RUNNING, heartbeat_at__lt=now - STALLED_AFTER
    )
    claimed = PremisesImport.objects.filter(claimable, pk=import_id).update(
        status=PremisesImport.Status.RUNNING, heartbeat_at=now, processed_rows=0
    )
    if not claimed:
        return "skipped"
    job = PremisesImport.objects.select_related("created_by").get(pk=import_id)

    def progress(done: int, total: int) -> None:
        PremisesImport.objects.filter(pk=job.pk).update(
            processed_rows=done, total_rows=total, heartbeat_at=timezone.now()
        )
        if on_progress is not None:
            on_progress(done, total)

    try:
        report = import_premises(
            bytes(job.content), user=job.created_by, source="import", progress=progress
        )
    except ImportFileError as exc:
        _finish(job, status=PremisesImport.Status.FAILED, error=str(exc))
        return "failed"
    _finish(job, status=PremisesImport.Status.DONE, report=report.as_dict())
    return "done"


def _finish(
    job: PremisesImport, *, status: str, report: dict | None = None, error: str = ""
) -> None:
    # The file is no longer needed once its report is kept.
    PremisesImport.objects.filter(pk=job.pk).update(
        status=status,
        report=report or {},
        error=error,
        content=b"",
        finished_at=timezone.now(),
        processed_rows=F("total_rows")
        if status == PremisesImport.Status.DONE
        else F("processed_rows"),
    )


def stalled_import_ids() -> list[int]:
    """Jobs queued or running with no sign of life for STALLED_AFTER (lost message, dead worker)."""
    cutoff = timezone.now() - STALLED_AFTER
    return list(
        PremisesImport.objects.filter(
            Q(status=PremisesImport.Status.QUEUED, created_at__lt=cutoff)
            | Q(status=PremisesImport.Status.RUNNING, heartbeat_at__lt=cutoff)
        ).values_list("pk", flat=True)
    )
