"""The reminder sweep: find what is due today, record it once, send it once.

- ``sweep``: ``run_sweep``, the entry point of the command and of each slice: collect, record,
  then deliver;
- ``slices``: the daily Celery sweep as one task per slice of premises (pk ranges), run in
  parallel by the notifications workers;
- ``scheduled_inspections``, ``findings``, ``certificates``, ``duties``: one collector per kind,
  reading keyset pages of rows and asking the rules (rules/reminders/) what is due;
- ``pages``, ``jurisdictions``: what the collectors share (paging, heads, authorities);
- ``delivery``: sending the recorded rows and counting the outcome.
"""
