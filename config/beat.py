"""Beat scheduler that keeps administrators' edits of the periodic tasks.

django-celery-beat's DatabaseScheduler writes every ``CELERY_BEAT_SCHEDULE`` entry back into its
tables each time beat starts, undoing a schedule changed in the admin (e.g. the weekly summary
moved to Friday). This one installs an entry from settings only when no task of that name exists
yet; after that the admin's row is the truth.
"""

from __future__ import annotations

from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler


def missing_entries(beat_schedule: dict) -> dict:
    existing = set(
        PeriodicTask.objects.filter(name__in=list(beat_schedule)).values_list("name", flat=True)
    )
    return {name: entry for name, entry in beat_schedule.items() if name not in existing}


class AdminEditableScheduler(DatabaseScheduler):
    def setup_schedule(self) -> None:
        self.install_default_entries(self.schedule)
        self.update_from_dict(missing_entries(self.app.conf.beat_schedule))
