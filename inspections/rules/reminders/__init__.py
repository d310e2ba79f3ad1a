"""Reminder rules (pure functions): which reminder is due today for a deadline, and what it says.

Nothing here reads the database. The sweep (services/reminders/) feeds plain values in and turns
the returned reminders into Notification rows. Offsets come from ``settings.REMINDERS``
(passed in as ``ReminderConfig``), never from constants here.

- ``schedule``: the stage of a deadline on a given day (T-14, T-3, overdue ...);
- ``citations``: the articles a reminder quotes;
- ``reminder``: the ``Reminder`` value, and ``DueReminder``, what the sweep's rules return: a
  reminder whose texts are rendered only when asked (most of a daily sweep's are recorded);
- ``wording``: what a reminder says, through gettext, in Vietnamese and English;
- ``scheduled_inspections``, ``findings``, ``certificates``, ``duties``: which reminder is
  due today, per kind.
"""
