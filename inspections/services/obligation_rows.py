"""Set-based upsert of obligation rows: one batch's created and changed rows in one statement.

A batch of 1,000 premises writes about 29,000 rows on a first fill, and as many on the day a
new catalogue version comes into force (every reason cites the version in force). Through
``bulk_create(update_conflicts=True)`` that write was half of the batch's time: Django compiles
a 29,000-row VALUES statement and psycopg quotes every value on the client (about 5 s of 10 in
a profiled batch on PostgreSQL). On PostgreSQL the rows go instead through COPY into a
temporary table and one ``INSERT ... SELECT ... ON CONFLICT DO UPDATE``; elsewhere (the
embedded SQLite default) ``bulk_create`` does the same upsert. Both give the same rows.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone
from psycopg import sql

from inspections.models import Obligation

STAGING_TABLE = "pccc_obligation_in"
UNIQUE_FIELDS = ("premises_id", "requirement_id")
VALUE_COLUMNS = ("status", "due_on", "reason_vi", "reason_en", "missing_facts", "source_answer_id")


class ObligationRow(NamedTuple):
    """One obligation to store, as plain values (a model instance each cost a tenth of the
    batch: Django's ``Model.__init__`` walks every field and its default)."""

    premises_id: int
    requirement_id: int
    status: str
    due_on: date | None
    reason_vi: str
    reason_en: str
    missing_facts: tuple[str, ...] | list[str]
    source_answer_id: int | None


def upsert_obligations(rows: Sequence[ObligationRow]) -> None:
    """Create or overwrite the rows by (premises, requirement), stamping their ``computed_at``.

    Rows are written in (premises, requirement) order, so two refreshes of overlapping
    premises take their row locks in the same order and wait for each other instead of
    deadlocking.
    """
    if not rows:
        return
    ordered = sorted(rows, key=lambda r: (r.premises_id, r.requirement_id))
    if connection.vendor == "postgresql":
        _upsert_with_copy(ordered, timezone.now())
    else:
        _upsert_with_orm(ordered)


def _upsert_with_orm(rows: Sequence[ObligationRow]) -> None:
    Obligation.objects.bulk_create(
        [Obligation(**{**row._asdict(), "missing_facts": list(row.missing_facts)}) for row in rows],
        update_conflicts=True,
        unique_fields=["premises", "requirement"],
        update_fields=[*(c.removesuffix("_id") for c in VALUE_COLUMNS), "computed_at"],
    )


def _upsert_with_copy(rows: Sequence[ObligationRow], computed_at: datetime) -> None:
    # Identifiers (model table and columns) are quoted by psycopg's sql module; values are
    # streamed by COPY or sent as parameters.
    table = sql.Identifier(Obligation._meta.db_table)
    staging = sql.Identifier(STAGING_TABLE)
    columns = sql.SQL(", ").join(map(sql.Identifier, ObligationRow._fields))
    # Within the caller's transaction (no savepoint of its own): the staged rows must outlive
    # each statement.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        # The table lives as long as the connection, its rows only until the commit.
        # TRUNCATE covers a caller's outer transaction that upserts twice.
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGING_TABLE} ("
            " premises_id bigint, requirement_id bigint, status varchar(16), due_on date,"
            " reason_vi text, reason_en text, missing_facts jsonb, source_answer_id bigint)"
            f" ON COMMIT DELETE ROWS; TRUNCATE {STAGING_TABLE}"
        )
        # The same few lists of missing facts ("[]" mostly) recur on every row: encoded once.
        encoded: dict[tuple[str, ...], str] = {}
        with cursor.cursor.copy(
            sql.SQL("COPY {staging} ({columns}) FROM STDIN").format(
                staging=staging, columns=columns
            )
        ) as copy:
            for row in rows:
                missing = tuple(row.missing_facts)
                text = encoded.get(missing)
                if text is None:
                    text = encoded[missing] = json.dumps(list(missing), ensure_ascii=False)
                copy.write_row((*row[:6], text, row.source_answer_id))
        cursor.execute(
            sql.SQL(
                "INSERT INTO {table} ({columns}, computed_at) SELECT {columns}, %s"
                " FROM {staging} ORDER BY premises_id, requirement_id"
                " ON CONFLICT ({unique}) DO UPDATE SET {updates}, computed_at = EXCLUDED.computed_at"
            ).format(
                table=table,
                columns=columns,
                staging=staging,
                unique=sql.SQL(", ").join(map(sql.Identifier, UNIQUE_FIELDS)),
                updates=sql.SQL(", ").join(
                    sql.SQL("{name} = EXCLUDED.{name}").format(name=sql.Identifier(c))
                    for c in VALUE_COLUMNS
                ),
            ),
            [computed_at],
        )
