"""The reminder tests' world (tests/inspections/reminders/conftest.py), shared with the tests
of each services/reminders/ module."""

from tests.inspections.reminders.conftest import (  # noqa: F401
    TODAY,
    fast_password_hashing,
    published_catalogue,
    world,
)
