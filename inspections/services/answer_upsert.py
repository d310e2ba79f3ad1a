"""One statement that writes a batch of answers: INSERT … ON CONFLICT (inspection, item) DO UPDATE.

PostgreSQL gets the batch as one JSON parameter (``jsonb_to_recordset``), so the statement has
five parameters whatever the batch size; SQLite (3.35+: upsert with WHERE, RETURNING) gets a
multi-row VALUES list. Both keep the rule of ``answers._newer`` in the WHERE of the update:
even a caller without the inspection's row lock cannot replace a newer answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import orjson
from django.db import connection

from inspections.models import Answer

# Written on insert and on update; created_at only on insert.
COLUMNS = [
    "client_uuid",
    "item_id",
    "value",
    "number_value",
    "note",
    "answered_at",
    "content_hash",
]
PG_TYPES = ["uuid", "bigint", "text", "numeric", "text", "timestamptz", "text"]
UPDATED = ["client_uuid", "value", "number_value", "note", "answered_at", "answered_by_id"]
UPDATED += ["content_hash", "updated_at"]


def upsert_answers(rows: Sequence[Answer], *, now: datetime) -> bool:
    """Store ``rows`` (at most one per item of one inspection) in one statement.

    New rows get their id, every written row ``updated_at = now``. Returns whether any row was
    new. The caller decided, under the inspection's lock, which rows replace which.
    """
    if not rows:
        return False
    inspection_id = rows[0].inspection_id
    answered_by_id = rows[0].answered_by_id
    if connection.vendor == "postgresql":
        sql, params = _postgres(rows, inspection_id, answered_by_id, now)
    else:
        sql, params = _values(rows, inspection_id, answered_by_id, now)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = dict((item_id, pk) for pk, item_id in cursor.fetchall())
    created = False
    for row in rows:
        if row.pk is None:
            created = True
            row.pk = ids.get(row.item_id)
            row.created_at = now
        row.updated_at = now
    return created


def _head() -> tuple[str, str]:
    q = connection.ops.quote_name
    table = q(Answer._meta.db_table)
    names = [*COLUMNS, "inspection_id", "answered_by_id", "created_at", "updated_at"]
    return table, ", ".join(q(n) for n in names)


def _tail(table: str) -> str:
    q = connection.ops.quote_name
    sets = ", ".join(f"{q(c)} = excluded.{q(c)}" for c in UPDATED)
    # Last writer by device time, then by UUID (the order of answers._newer).
    cast = "::text" if connection.vendor == "postgresql" else ""
    at, uuid = q("answered_at"), q("client_uuid")
    stored = f"{table}.{at}, {table}.{uuid}{cast}"
    sent = f"excluded.{at}, excluded.{uuid}{cast}"
    return (
        f" ON CONFLICT ({q('inspection_id')}, {q('item_id')}) DO UPDATE SET {sets}"
        f" WHERE ({stored}) < ({sent}) RETURNING {q('id')}, {q('item_id')}"
    )


def _postgres(
    rows: Sequence[Answer], inspection_id: int, answered_by_id: int | None, now: datetime
) -> tuple[str, list]:
    table, names = _head()
    columns = ", ".join(f"{c} {t}" for c, t in zip(COLUMNS, PG_TYPES, strict=True))
    # Identifiers from the model's meta (quoted) and the constant type names; values are
    # parameters.
    sql = (
        f"INSERT INTO {table} ({names}) "  # noqa: S608
        f"SELECT r.*, %s, %s, %s::timestamptz, %s::timestamptz "
        f"FROM jsonb_to_recordset(%s::jsonb) AS r({columns})"
    ) + _tail(table)
    # The batch as one JSON text: psycopg quoting seven arrays element by element cost more than
    # the rest of the statement. orjson writes UUIDs and aware datetimes (RFC 3339, as
    # isoformat) itself; PostgreSQL reads each value by its column type.
    batch = orjson.dumps(
        [
            {
                "client_uuid": row.client_uuid,
                "item_id": row.item_id,
                "value": row.value,
                "number_value": None if row.number_value is None else str(row.number_value),
                "note": row.note,
                "answered_at": row.answered_at,
                "content_hash": row.content_hash,
            }
            for row in rows
        ]
    ).decode()
    return sql, [inspection_id, answered_by_id, now, now, batch]


def _values(
    rows: Sequence[Answer], inspection_id: int, answered_by_id: int | None, now: datetime
) -> tuple[str, list]:
    table, names = _head()
    concrete = {f.attname: f for f in Answer._meta.concrete_fields}
    fields = [concrete[c] for c in COLUMNS]
    at = concrete["updated_at"].get_db_prep_save(now, connection)
    params: list = []
    for row in rows:
        params += [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields]
        params += [inspection_id, answered_by_id, at, at]
    one = "(" + ", ".join(["%s"] * (len(COLUMNS) + 4)) + ")"
    # Identifiers from the model's meta (quoted), every value a parameter.
    values = ", ".join([one] * len(rows))
    return f"INSERT INTO {table} ({names}) VALUES {values}" + _tail(table), params  # noqa: S608
