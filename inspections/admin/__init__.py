"""Django admin of the domain; each area registers its models in its own module."""

from . import (  # noqa: F401
    accounts,
    catalogue,
    dossier,
    inspections,
    notifications,
    planning,
    premises,
    records,
    reports,
    signing,
)
