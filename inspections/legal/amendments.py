"""Amendment files: a base catalogue plus what an amending decree changes, as one raw catalogue.

The amendment lists only what changes, each operation citing its amending provision:
parameters replaced, added or removed by key, rows of a table parameter replaced, added or
removed by row id; requirements changed field by field, added or removed by code. Anything it
does not name is the base's, unchanged. Every problem is reported at once.
"""

from __future__ import annotations

import copy
from typing import Any

from .errors import CatalogueFileError
from .vocabulary import CONFIDENCES

AMENDMENT_KEYS = ("version", "based_on", "effective_on", "legal_basis", "notes", "documents")
PARAMETER_FIELDS = ("value", "source", "confidence", "note", "description")
TABLE_FIELDS = ("source", "confidence", "note")


def apply_amendment(base: dict[str, Any], amendment: dict[str, Any]) -> dict[str, Any]:
    """Base catalogue + amendment file → the full raw catalogue of the amended version."""
    return _Amendment(base, amendment).apply()


def _optional(value: Any, kind: type) -> Any:
    return kind(value) if value not in (None, "") else None


class _Amendment:
    def __init__(self, base: dict[str, Any], amendment: dict[str, Any]) -> None:
        self.amendment = amendment
        self.based_on = amendment.get("based_on")
        self.errors: list[str] = []
        self.out = copy.deepcopy(base)

    def apply(self) -> dict[str, Any]:
        self._header()
        ops = self.amendment.get("amend") or {}
        self._parameters(ops.get("parameters") or {})
        self._requirements(ops.get("requirements") or {})
        if self.errors:
            raise CatalogueFileError(self.errors)
        return self.out

    def cites(self, op: dict[str, Any], where: str) -> list[dict[str, Any]]:
        """The amending provisions an operation cites (required, each with its words)."""
        cites = op.get("amended_by")
        if not isinstance(cites, list) or not cites:
            self.errors.append(f"{where}: amended_by must cite the amending provision(s)")
            return []
        out = []
        for c in cites:
            if not isinstance(c, dict) or not c.get("document") or not c.get("article"):
                self.errors.append(
                    f"{where}: amended_by entry {c!r} needs a document and an article"
                )
                continue
            if not c.get("text_vi"):
                self.errors.append(f"{where}: amended_by entry of {c['document']} needs text_vi")
            if c.get("confidence", "verified") not in CONFIDENCES:
                self.errors.append(f"{where}: amended_by confidence must be one of {CONFIDENCES}")
            out.append(
                {
                    "document": str(c["document"]),
                    "article": int(c["article"]),
                    "clause": _optional(c.get("clause"), int),
                    "point": _optional(c.get("point"), str),
                    "text_vi": str(c.get("text_vi", "")).strip(),
                    "confidence": c.get("confidence", "verified"),
                }
            )
        return out

    # --- Version header ------------------------------------------------------------------

    def _header(self) -> None:
        out, amendment = self.out, self.amendment
        for key in AMENDMENT_KEYS:
            if key != "documents" and key in amendment:
                out[key] = copy.deepcopy(amendment[key])
        if "legal_basis" not in amendment:
            out.pop("legal_basis", None)
        if "effective_on" not in amendment:
            self.errors.append("an amendment must declare its effective_on")
        documents = {d["code"]: d for d in out.get("documents") or []}
        for d in amendment.get("documents") or []:
            documents[d["code"]] = copy.deepcopy(d)
        out["documents"] = list(documents.values())

    # --- Parameters ----------------------------------------------------------------------

    def _parameters(self, ops: dict[str, Any]) -> None:
        parameters = self.out.setdefault("parameters", [])
        by_key = {p.get("key"): p for p in parameters}
        for op in ops.get("replace") or []:
            where = f"amend.parameters.replace {op.get('key')}"
            cites = self.cites(op, where)
            if op.get("key") not in by_key:
                self.errors.append(f"{where}: no such parameter in {self.based_on}")
                continue
            target = by_key[op["key"]]
            target.update({n: copy.deepcopy(op[n]) for n in PARAMETER_FIELDS if n in op})
            target["amended_by"] = cites
        for op in ops.get("add") or []:
            where = f"amend.parameters.add {op.get('key')}"
            cites = self.cites(op, where)
            if op.get("key") in by_key:
                self.errors.append(f"{where}: the parameter exists already (use replace)")
                continue
            new = {k: copy.deepcopy(v) for k, v in op.items() if k != "amended_by"}
            new["amended_by"] = cites
            parameters.append(new)
            by_key[new.get("key")] = new
        for op in ops.get("remove") or []:
            where = f"amend.parameters.remove {op.get('key')}"
            self.cites(op, where)
            if op.get("key") not in by_key:
                self.errors.append(f"{where}: no such parameter")
                continue
            parameters.remove(by_key.pop(op["key"]))
        for op in ops.get("rows") or []:
            self._table_rows(op, by_key.get(op.get("key")))

    def _table_rows(self, op: dict[str, Any], target: dict[str, Any] | None) -> None:
        """Rows of a table parameter replaced, added or removed by their id."""
        where = f"amend.parameters.rows {op.get('key')}"
        cites = self.cites(op, where)
        if target is None or not isinstance(target.get("value"), list):
            self.errors.append(f"{where}: no table parameter of that key")
            return
        rows = target["value"]
        index = {r.get("id"): i for i, r in enumerate(rows) if isinstance(r, dict)}
        for row in op.get("replace") or []:
            if row.get("id") not in index:
                self.errors.append(f"{where}: no row {row.get('id')!r} to replace")
                continue
            rows[index[row["id"]]] = {**copy.deepcopy(row), "amended_by": cites}
        for row in op.get("add") or []:
            if row.get("id") in index:
                self.errors.append(f"{where}: row {row.get('id')!r} exists already")
                continue
            rows.append({**copy.deepcopy(row), "amended_by": cites})
            index[row.get("id")] = len(rows) - 1
        removed = set()
        for row_id in op.get("remove") or []:
            if row_id not in index:
                self.errors.append(f"{where}: no row {row_id!r} to remove")
            removed.add(row_id)
        target["value"] = [r for r in rows if not (isinstance(r, dict) and r.get("id") in removed)]
        target["amended_by"] = cites
        target.update({n: op[n] for n in TABLE_FIELDS if n in op})

    # --- Requirements --------------------------------------------------------------------

    def _requirements(self, ops: dict[str, Any]) -> None:
        requirements = self.out.setdefault("requirements", [])
        by_code = {r.get("code"): r for r in requirements}
        for op in ops.get("change") or []:
            self._change_requirement(op, by_code.get(op.get("code")))
        for op in ops.get("add") or []:
            where = f"amend.requirements.add {op.get('code')}"
            cites = self.cites(op, where)
            if op.get("code") in by_code:
                self.errors.append(f"{where}: the requirement exists already (use change)")
                continue
            new = {k: copy.deepcopy(v) for k, v in op.items() if k not in ("amended_by", "after")}
            new["amended_by"] = cites
            after = op.get("after")
            if after is not None and after in by_code:
                requirements.insert(requirements.index(by_code[after]) + 1, new)
            else:
                requirements.append(new)
            by_code[new["code"]] = new
        # What this amendment repealed (a base's own repeals are history, not this version's).
        repealed: dict[str, list[dict[str, Any]]] = {}
        for op in ops.get("remove") or []:
            where = f"amend.requirements.remove {op.get('code')}"
            cites = self.cites(op, where)
            if op.get("code") not in by_code:
                self.errors.append(f"{where}: no such requirement")
                continue
            requirements.remove(by_code.pop(op["code"]))
            repealed[op["code"]] = cites
        self.out["repealed"] = repealed

    def _change_requirement(self, op: dict[str, Any], target: dict[str, Any] | None) -> None:
        where = f"amend.requirements.change {op.get('code')}"
        cites = self.cites(op, where)
        if target is None:
            self.errors.append(f"{where}: no such requirement in {self.based_on}")
            return
        changes = op.get("set") or {}
        extra_citations = op.get("add_citations") or []
        if (not changes and not extra_citations) or "code" in changes:
            self.errors.append(
                f"{where}: 'set' or 'add_citations' must name what changes (not the code)"
            )
        target.update(copy.deepcopy(changes))
        # Citations of the amending text are added to the base's, which stay as they are.
        target["citations"] = list(target.get("citations") or []) + copy.deepcopy(extra_citations)
        target["amended_by"] = cites
