"""Admin of planning data: days off and make-up working days beyond the statutory calendar."""

from __future__ import annotations

from django.contrib import admin

from inspections.admin.accounts import SuperuserOnlyAdmin
from inspections.models import CalendarOverride


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(SuperuserOnlyAdmin):
    list_display = ["date", "day_off", "name"]
    list_filter = ["day_off"]
    search_fields = ["name"]
    date_hierarchy = "date"
