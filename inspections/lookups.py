"""``column = ANY(%s)``: one array parameter for a long list of values on PostgreSQL.

``IN (%s, %s, …)`` with 200 values makes psycopg quote 200 parameters into a statement too long
for its cache, on every request; one array is bound once. Other databases keep ``IN``. Use it
as an expression: ``Model.objects.filter(AnyOf(F("item_id"), ids))``.
"""

from __future__ import annotations

from typing import Any

from django.db.models.lookups import In


class AnyOf(In):
    lookup_name = "any_of"

    def as_postgresql(self, compiler: Any, connection: Any) -> Any:
        if not self.rhs_is_direct_value() or any(hasattr(v, "as_sql") for v in self.rhs):
            return self.as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        # Prepared as IN prepares each value (a foreign key's by its target field).
        direct: Any = [v for v in self.rhs if v is not None]
        _, values = self.get_db_prep_lookup(direct, connection)
        array = f"%s::{self.lhs.output_field.db_type(connection)}[]"
        return f"{lhs} = ANY({array})", [*lhs_params, list(values)]
