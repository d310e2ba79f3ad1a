"""Schema operations the migrations share."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations
from django.db.models import OrderBy


def _without_nulls_first(index):
    """The index as SQLite can write it: no NULLS FIRST, which its ascending order has anyway."""
    expressions = [
        OrderBy(e.expression, descending=False)
        if isinstance(e, OrderBy) and e.nulls_first and not e.descending
        else e
        for e in index.expressions
    ]
    if expressions == list(index.expressions):
        return index
    copy = index.clone()
    copy.expressions = tuple(expressions)
    return copy


class AddIndexConcurrentlyOnPostgres(AddIndexConcurrently):
    """CREATE INDEX CONCURRENTLY on PostgreSQL, so the large obligation and premises tables stay
    writable while the index is built; a plain index on SQLite (the embedded default)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.add_index(model, _without_nulls_first(self.index))

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return migrations.AddIndex.database_backwards(
            self, app_label, schema_editor, from_state, to_state
        )
