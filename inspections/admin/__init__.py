"""Django admin of the domain; each area registers its models in its own module."""

from . import catalogue, inspections, notifications, premises, reports, signing  # noqa: F401
