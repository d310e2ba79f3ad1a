"""Django admin of the domain; each area registers its models in its own module."""

from . import catalogue, dossier, inspections, notifications, premises, reports  # noqa: F401
