"""Planner statistics kept up with the product's own bulk writes (PostgreSQL).

The planner knows a table's size and spread from ANALYZE, which autovacuum runs after a tenth
of the table has changed: if autovacuum is on (some servers run without it, this project's CI
machine among them) and only between its naps. The first obligations fill writes tens of
millions of rows in one run. With no statistics, the planner took each batch's read of 1,000
premises' obligations for most of the table and scanned all of it in parallel: 4.5 s per batch
at 9 million rows, and longer with every batch (measured on the 1,000,000-premises bench).
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection, models, transaction

logger = logging.getLogger(__name__)

# ANALYZE once this share of the rows counted at the last ANALYZE has changed since, and at
# least this many rows: below that a table is small enough for any plan.
STALE_SHARE = 0.2
STALE_FLOOR = 50_000


def is_stale(changed: int, rows: float) -> bool:
    """Whether ``changed`` rows since the last ANALYZE of a table that then held ``rows``
    (negative: never analyzed) call for a new one."""
    return changed >= max(STALE_FLOOR, STALE_SHARE * max(rows, 0))


def analyze_if_stale(model: type[models.Model]) -> bool:
    """ANALYZE ``model``'s table if it changed much since its statistics were taken; True if
    it ran. One process analyzes at a time; the others go on with the statistics they have."""
    if connection.vendor != "postgresql":
        return False
    table = model._meta.db_table
    with connection.cursor() as cur:
        cur.execute(
            "SELECT s.n_mod_since_analyze, c.reltuples FROM pg_stat_user_tables s"
            " JOIN pg_class c ON c.oid = s.relid WHERE s.relid = %s::regclass",
            [table],
        )
        row = cur.fetchone()
        if row is None or not is_stale(row[0], row[1]):
            return False
        lock = f"analyze:{table}"
        cur.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [lock])
        if not cur.fetchone()[0]:
            return False
        try:
            # A savepoint inside a caller's transaction: a refusal (a role that does not own
            # the table) costs only this statement.
            with transaction.atomic():
                cur.execute(f"ANALYZE {connection.ops.quote_name(table)}")
        except DatabaseError:
            logger.warning("ANALYZE %s refused; the planner keeps the old statistics", table)
            return False
        finally:
            cur.execute("SELECT pg_advisory_unlock(hashtext(%s))", [lock])
    logger.info("ANALYZE %s: %s rows changed since the last statistics", table, row[0])
    return True
