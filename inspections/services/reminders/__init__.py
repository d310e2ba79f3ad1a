"""The reminder sweep: find what is due today, record it once, send it once.

- ``sweep``: ``run_sweep`` and ``record_due_reminders``, the entry points of the command and
  the Celery task: collect, record, then deliver;
- ``scheduled_inspections``, ``findings``, ``certificates``, ``duties``: one collector per kind,
  reading keyset pages of rows and asking the rules (rules/reminders/) what is due;
- ``pages``, ``jurisdictions``: what the collectors share (paging, heads, authorities);
- ``delivery``: sending the recorded rows and counting the outcome.
"""
