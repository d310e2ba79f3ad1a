"""Set-based recording of notification rows: insert the new keys once, read back every key's row.

First one query finds the keys stored already (a daily sweep proposes mostly those): their
payloads are never rendered, encoded or sent. Then only the new rows are written, one function,
two paths. On PostgreSQL they go through COPY into a temporary table, then
one ``INSERT ... SELECT ... ON CONFLICT DO NOTHING`` and one join read the stored rows back:
about 4.6 s for 106,000 rows where ``bulk_create`` took 34 s (psycopg adapts every JSON
payload of a multi-row VALUES statement on the client; COPY streams text). Elsewhere (the
embedded SQLite default) ``bulk_create(ignore_conflicts=True)`` and one keyed read do the same.
Both leave the exactly-once guarantee where it was: the unique key decides which proposal
becomes the row, and sending is claimed later by a conditional update.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from psycopg import sql

from inspections.lookups import AnyOf
from inspections.models import Notification

logger = logging.getLogger(__name__)

Key = tuple[str, str, date, str, str, str]
KEY_FIELDS = ("kind", "subject_key", "due_on", "stage", "recipient_key", "channel")
# What a proposal carries; every other column takes the model default on insert.
PROPOSED_FIELDS = (*KEY_FIELDS, "user_id", "webhook_id", "premises_id", "delivery", "payload")
STAGING_TABLE = "pccc_notification_in"


class Proposal(NamedTuple):
    """A row a sweep proposes, as plain values (fields in ``PROPOSED_FIELDS`` order).

    A sweep proposes 100,000 of them: a model instance each cost more than the rest of the
    batch's Python work (Django's ``Model.__init__`` walks every field and its default).
    """

    kind: str
    subject_key: str
    due_on: date
    stage: str
    recipient_key: str
    channel: str
    user_id: int | None
    webhook_id: int | None
    premises_id: int | None
    delivery: str
    # The payload, or what renders it: rendered only for a row that is not stored yet. The rows
    # of one reminder (its recipients) share one.
    payload: dict[str, Any] | Callable[[], dict[str, Any]]


# A proposal, or an unsaved Notification carrying the same fields.
Row = Proposal | Notification


@dataclass(frozen=True)
class StoredRow:
    id: int
    status: str


def row_key(n: Row) -> Key:
    return (n.kind, n.subject_key, n.due_on, n.stage, n.recipient_key, n.channel)


def as_proposal(n: Row) -> Proposal:
    if isinstance(n, Proposal):
        return n
    return Proposal(*(getattr(n, name) for name in PROPOSED_FIELDS))


def payload_of(n: Row) -> dict[str, Any]:
    """The row's payload, rendered if it is not yet."""
    payload = n.payload
    return payload() if callable(payload) else payload


def store_rows(rows: Sequence[Row]) -> dict[Key, StoredRow]:
    """Insert the rows whose key is not stored yet and return the stored row of every key
    (new or old), whichever proposal won. Safe under concurrent sweeps: the keys found stored
    are left alone, the others are inserted with ON CONFLICT DO NOTHING (or its ORM
    equivalent) and read back, so a row another sweep stored meanwhile is simply read."""
    if not rows:
        return {}
    postgres = connection.vendor == "postgresql"
    stored = _stored_with_arrays(rows) if postgres else stored_rows(rows)
    new = _rendered([r for r in rows if row_key(r) not in stored])
    if new:
        stored |= _store_with_copy(new) if postgres else _store_with_orm(new)
    return stored


def _rendered(rows: Sequence[Row]) -> list[Proposal]:
    """The rows as proposals with their payloads rendered, each shared payload once.

    A payload that cannot be rendered is logged and its rows left out: the other reminders of
    the page are still recorded (the collectors skip a premises whose reminder fails the same
    way).
    """
    out: list[Proposal] = []
    done: dict[int, dict[str, Any] | None] = {}
    for row in rows:
        p = as_proposal(row)
        if not callable(p.payload):
            out.append(p)
            continue
        key = id(p.payload)
        if key not in done:
            try:
                done[key] = p.payload()
            except Exception:
                logger.exception("notification %s %s: payload not rendered", p.kind, p.subject_key)
                done[key] = None
        payload = done[key]
        if payload is not None:
            out.append(p._replace(payload=payload))
    return out


# --- Portable path ------------------------------------------------------------------------


def _store_with_orm(rows: Sequence[Row]) -> dict[Key, StoredRow]:
    Notification.objects.bulk_create(
        [Notification(**as_proposal(r)._asdict()) for r in rows],
        ignore_conflicts=True,
        batch_size=1000,
    )
    return stored_rows(rows)


def stored_rows(rows: Sequence[Row]) -> dict[Key, StoredRow]:
    """Stored rows with the keys of ``rows`` (one query; the dry run uses it alone)."""
    if not rows:
        return {}
    wanted = {row_key(r) for r in rows}
    qs = Notification.objects.filter(
        AnyOf(F("kind"), {r.kind for r in rows}),
        AnyOf(F("subject_key"), {r.subject_key for r in rows}),
        AnyOf(F("due_on"), {r.due_on for r in rows}),
    ).values_list("id", "status", *KEY_FIELDS)
    out = {}
    for pk, status, *key in qs:
        if tuple(key) in wanted:
            out[tuple(key)] = StoredRow(pk, status)
    return out


# --- PostgreSQL path ----------------------------------------------------------------------


def _insert_defaults() -> tuple[list[str], list[Any]]:
    """Columns the proposals leave out, with the model's defaults (status pending, 0 attempts,
    no claim ...): the INSERT writes what ``bulk_create`` would have written."""
    columns: list[str] = []
    values: list[Any] = []
    for f in Notification._meta.concrete_fields:
        if f.primary_key or f.column is None or f.attname in PROPOSED_FIELDS:
            continue
        columns.append(f.column)
        # created_at (auto_now_add): Django's clock, as bulk_create would stamp it.
        values.append(timezone.now() if getattr(f, "auto_now_add", False) else f.get_default())
    return columns, values


def _identifiers(names: Sequence[str]) -> sql.Composed:
    return sql.SQL(", ").join(sql.Identifier(n) for n in names)


def _stored_with_arrays(rows: Sequence[Row]) -> dict[Key, StoredRow]:
    """Stored rows with the keys of ``rows``: one statement, the keys as six array parameters
    joined on the unique key's index (no staging table, whatever the number of rows). Each
    match comes back as the key's position, id and status: a daily sweep matches every key, and
    reading the six key columns back cost more than the lookup."""
    table = sql.Identifier(Notification._meta.db_table)
    types = {"due_on": "date"}
    query = sql.SQL(
        "SELECT k.ord, n.id, n.status FROM unnest({arrays}) WITH ORDINALITY AS k({names}, ord)"
        " JOIN {table} n ON {on_key}"
    ).format(
        arrays=sql.SQL(", ").join(
            sql.SQL("%s::{}[]").format(sql.SQL(types.get(c, "text"))) for c in KEY_FIELDS
        ),
        names=_identifiers(KEY_FIELDS),
        table=table,
        on_key=sql.SQL(" AND ").join(
            sql.SQL("{} = {}").format(sql.Identifier("n", c), sql.Identifier("k", c))
            for c in KEY_FIELDS
        ),
    )
    keys = [row_key(r) for r in rows]
    columns = [list(c) for c in zip(*keys, strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(query, columns)
        return {keys[ord - 1]: StoredRow(pk, status) for ord, pk, status in cursor.fetchall()}


def _store_with_copy(rows: Sequence[Proposal]) -> dict[Key, StoredRow]:
    # Composed with psycopg's sql module: identifiers (model table and columns) are quoted,
    # values are sent as parameters.
    table = sql.Identifier(Notification._meta.db_table)
    staging = sql.Identifier(STAGING_TABLE)
    payload_field = Notification._meta.get_field("payload")
    default_cols, default_values = _insert_defaults()
    proposed = _identifiers(PROPOSED_FIELDS)
    with transaction.atomic(), connection.cursor() as cursor:
        # The table lives as long as the connection; its rows only until the commit.
        # TRUNCATE covers a caller's outer transaction that records twice.
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGING_TABLE} ("
            " ord integer, kind varchar(32), subject_key varchar(64), due_on date,"
            " stage varchar(16), recipient_key varchar(64), channel varchar(16),"
            " user_id bigint, webhook_id bigint, premises_id bigint, delivery varchar(16),"
            f" payload jsonb) ON COMMIT DELETE ROWS; TRUNCATE {STAGING_TABLE}"
        )
        copy_sql = sql.SQL("COPY {staging} (ord, {proposed}) FROM STDIN").format(
            staging=staging, proposed=proposed
        )
        # The rows of one reminder (its recipients) share one payload: encoded once. Non-ASCII
        # text is sent as it is (jsonb stores the same value as for its escapes, in fewer bytes).
        encode = json.JSONEncoder if payload_field.encoder is None else payload_field.encoder
        dumps = encode(ensure_ascii=False).encode
        last_payload: Any = None
        last_json = ""
        with cursor.cursor.copy(copy_sql) as copy:
            for i, p in enumerate(rows):
                if p.payload is not last_payload:
                    last_payload, last_json = p.payload, dumps(p.payload)
                copy.write_row((i, *p[:-1], last_json))
        # Temporary tables get no autovacuum statistics; without them the join below may
        # scan the whole log instead of probing its unique index.
        cursor.execute(f"ANALYZE {STAGING_TABLE}")
        # In proposal order, so ids (and the sender's id order) follow the sweep's order.
        cursor.execute(
            sql.SQL(
                "INSERT INTO {table} ({proposed}, {defaults}) SELECT {proposed}, {values}"
                " FROM {staging} ORDER BY ord ON CONFLICT DO NOTHING"
            ).format(
                table=table,
                proposed=proposed,
                defaults=_identifiers(default_cols),
                values=sql.SQL(", ").join(sql.Placeholder() * len(default_values)),
                staging=staging,
            ),
            default_values,
        )
        cursor.execute(
            sql.SQL(
                "SELECT n.id, n.status, {key} FROM {staging} t JOIN {table} n ON {on_key}"
            ).format(
                key=sql.SQL(", ").join(sql.Identifier("n", c) for c in KEY_FIELDS),
                staging=staging,
                table=table,
                on_key=sql.SQL(" AND ").join(
                    sql.SQL("{} = {}").format(sql.Identifier("n", c), sql.Identifier("t", c))
                    for c in KEY_FIELDS
                ),
            )
        )
        return {tuple(key): StoredRow(pk, status) for pk, status, *key in cursor.fetchall()}
