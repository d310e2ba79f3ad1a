"""Read and validate a catalogue data file (inspections/data/catalogue/<version>.yaml), no ORM."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from inspections.rules.applicability import PREMISES_KINDS, validate_rule
from inspections.rules.content_points import points_from_citations
from inspections.rules.obligations import CitationRef, RequirementSpec

from .parser import LAW_DOCUMENT, get_provision

CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "data" / "catalogue"
CONFIDENCES = ("verified", "secondary", "unconfirmed")
SEVERITIES = ("critical", "major", "minor")
EVIDENCE_KINDS = ("photo", "document", "measurement")
ANSWER_TYPES = ("yes_no", "yes_no_na", "number", "text")
DEADLINE_TYPES = (
    "recurring",
    "expiry",
    "roadmap",
    "calendar",
    "calendar_year",
    "within_days",
    "team_size",
    "training",
)
# Decree 105/2025 Art. 13.1: the points of inspection content, in the decree's order.
DECREE_POINTS = ("a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p")
TRAINING_DUTIES = ("head", "team_member", "assigned", "hazardous_work", "crew")


class CatalogueFileError(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class CitationData:
    document: str
    article: int
    clause: int | None = None
    point: str | None = None
    text_vi: str | None = None  # only for documents other than the law
    confidence: str = "verified"


@dataclass(frozen=True)
class RequirementData:
    code: str
    title_vi: str
    title_en: str
    question_vi: str
    question_en: str
    premises_kinds: list[str]
    applicability: dict[str, Any]
    citations: list[CitationData]
    evidence: list[str]
    severity: str
    answer_type: str = "yes_no_na"
    required: bool = True
    deadline_rule: dict[str, Any] | None = None
    advice: bool = False
    amended_by: list[dict[str, Any]] = field(default_factory=list)
    decree_points: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ParameterData:
    key: str
    value: Any
    source: str
    confidence: str
    note: str = ""
    amended_by: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class CatalogueData:
    version: str
    notes: str
    documents: list[dict[str, Any]]
    parameters: list[ParameterData]
    requirements: list[RequirementData] = field(default_factory=list)
    effective_on: date | None = None
    legal_basis: list[str] = field(default_factory=list)
    based_on: str = ""
    # {requirement code: [amending citation, ...]} of requirements an amendment removed.
    repealed: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def params(self) -> dict[str, Any]:
        return {p.key: p.value for p in self.parameters}


def catalogue_files() -> list[Path]:
    """Every catalogue file, oldest version first (a base before the amendments built on it)."""
    return sorted(CATALOGUE_DIR.glob("*.yaml"), key=lambda p: _version_key(p.stem))


def is_amendment_file(path: Path) -> bool:
    # A top-level ``based_on:`` line marks an amendment; no need to parse the whole file.
    with path.open(encoding="utf-8") as fh:
        return any(line.startswith("based_on:") for line in fh)


def latest_catalogue_file() -> Path:
    """The latest full catalogue file (not an amendment): the law as first stated, which the
    amendment files build on."""
    files = [p for p in catalogue_files() if not is_amendment_file(p)]
    if not files:
        raise FileNotFoundError(f"no catalogue file in {CATALOGUE_DIR}")
    return files[-1]


def _version_key(label: str) -> tuple:
    return tuple(int(x) if x.isdigit() else x for x in label.split("."))


# libyaml's loader when available: the pure-Python one takes about a second for this file.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_catalogue(path: Path | str) -> CatalogueData:
    return parse_catalogue(resolve_raw(Path(path)))


def _load_yaml(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506


def resolve_raw(path: Path, _seen: tuple[str, ...] = ()) -> dict[str, Any]:
    """The full raw catalogue of a file: an amendment file (``based_on``) is applied to its base,
    read from the same folder, recursively."""
    raw = _load_yaml(path)
    if not isinstance(raw, dict) or not raw.get("based_on"):
        return raw
    base_label = str(raw["based_on"])
    if base_label in _seen or base_label == str(raw.get("version")):
        raise CatalogueFileError([f"{path.name}: circular based_on {base_label!r}"])
    base_path = path.parent / f"{base_label}.yaml"
    if not base_path.exists():
        raise CatalogueFileError([f"{path.name}: base version file {base_path.name} not found"])
    base = resolve_raw(base_path, (*_seen, str(raw.get("version"))))
    return apply_amendment(base, raw)


AMENDMENT_KEYS = ("version", "based_on", "effective_on", "legal_basis", "notes", "documents")


def _amended_by(op: dict[str, Any], where: str, errors: list[str]) -> list[dict[str, Any]]:
    """The amending provisions an amendment operation cites (required, each with its words)."""
    cites = op.get("amended_by")
    if not isinstance(cites, list) or not cites:
        errors.append(f"{where}: amended_by must cite the amending provision(s)")
        return []
    out = []
    for c in cites:
        if not isinstance(c, dict) or not c.get("document") or not c.get("article"):
            errors.append(f"{where}: amended_by entry {c!r} needs a document and an article")
            continue
        if not c.get("text_vi"):
            errors.append(f"{where}: amended_by entry of {c['document']} needs text_vi")
        if c.get("confidence", "verified") not in CONFIDENCES:
            errors.append(f"{where}: amended_by confidence must be one of {CONFIDENCES}")
        out.append(
            {
                "document": str(c["document"]),
                "article": int(c["article"]),
                "clause": int(c["clause"]) if c.get("clause") not in (None, "") else None,
                "point": str(c["point"]) if c.get("point") not in (None, "") else None,
                "text_vi": str(c.get("text_vi", "")).strip(),
                "confidence": c.get("confidence", "verified"),
            }
        )
    return out


def apply_amendment(base: dict[str, Any], amendment: dict[str, Any]) -> dict[str, Any]:
    """Base catalogue + amendment file → the full raw catalogue of the amended version.

    The amendment lists only what changes, each operation citing its amending provision:
    parameters replaced, added or removed by key, rows of a table parameter replaced, added or
    removed by row id; requirements changed field by field, added or removed by code. Anything
    it does not name is the base's, unchanged. Every problem is reported at once.
    """
    errors: list[str] = []
    out = copy.deepcopy(base)
    for key in AMENDMENT_KEYS:
        if key == "documents":
            continue
        if key in amendment:
            out[key] = copy.deepcopy(amendment[key])
    if "legal_basis" not in amendment:
        out.pop("legal_basis", None)
    if "effective_on" not in amendment:
        errors.append("an amendment must declare its effective_on")
    documents = {d["code"]: d for d in out.get("documents") or []}
    for d in amendment.get("documents") or []:
        documents[d["code"]] = copy.deepcopy(d)
    out["documents"] = list(documents.values())
    ops = amendment.get("amend") or {}
    parameters = out.setdefault("parameters", [])
    by_key = {p.get("key"): p for p in parameters}
    param_ops = ops.get("parameters") or {}
    for op in param_ops.get("replace") or []:
        where = f"amend.parameters.replace {op.get('key')}"
        cites = _amended_by(op, where, errors)
        if op.get("key") not in by_key:
            errors.append(f"{where}: no such parameter in {amendment.get('based_on')}")
            continue
        target = by_key[op["key"]]
        for name in ("value", "source", "confidence", "note", "description"):
            if name in op:
                target[name] = copy.deepcopy(op[name])
        target["amended_by"] = cites
    for op in param_ops.get("add") or []:
        where = f"amend.parameters.add {op.get('key')}"
        cites = _amended_by(op, where, errors)
        if op.get("key") in by_key:
            errors.append(f"{where}: the parameter exists already (use replace)")
            continue
        new = {k: copy.deepcopy(v) for k, v in op.items() if k != "amended_by"}
        new["amended_by"] = cites
        parameters.append(new)
        by_key[new.get("key")] = new
    for op in param_ops.get("remove") or []:
        where = f"amend.parameters.remove {op.get('key')}"
        _amended_by(op, where, errors)
        if op.get("key") not in by_key:
            errors.append(f"{where}: no such parameter")
            continue
        parameters.remove(by_key.pop(op["key"]))
    for op in param_ops.get("rows") or []:
        where = f"amend.parameters.rows {op.get('key')}"
        cites = _amended_by(op, where, errors)
        target = by_key.get(op.get("key"))
        if target is None or not isinstance(target.get("value"), list):
            errors.append(f"{where}: no table parameter of that key")
            continue
        rows = target["value"]
        index = {r.get("id"): i for i, r in enumerate(rows) if isinstance(r, dict)}
        for row in op.get("replace") or []:
            if row.get("id") not in index:
                errors.append(f"{where}: no row {row.get('id')!r} to replace")
                continue
            rows[index[row["id"]]] = {**copy.deepcopy(row), "amended_by": cites}
        for row in op.get("add") or []:
            if row.get("id") in index:
                errors.append(f"{where}: row {row.get('id')!r} exists already")
                continue
            rows.append({**copy.deepcopy(row), "amended_by": cites})
            index[row.get("id")] = len(rows) - 1
        removed = set()
        for row_id in op.get("remove") or []:
            if row_id not in index:
                errors.append(f"{where}: no row {row_id!r} to remove")
            removed.add(row_id)
        target["value"] = [r for r in rows if not (isinstance(r, dict) and r.get("id") in removed)]
        target["amended_by"] = cites
        for name in ("source", "confidence", "note"):
            if name in op:
                target[name] = op[name]
    requirements = out.setdefault("requirements", [])
    by_code = {r.get("code"): r for r in requirements}
    req_ops = ops.get("requirements") or {}
    for op in req_ops.get("change") or []:
        where = f"amend.requirements.change {op.get('code')}"
        cites = _amended_by(op, where, errors)
        target = by_code.get(op.get("code"))
        if target is None:
            errors.append(f"{where}: no such requirement in {amendment.get('based_on')}")
            continue
        changes = op.get("set") or {}
        extra_citations = op.get("add_citations") or []
        if (not changes and not extra_citations) or "code" in changes:
            errors.append(
                f"{where}: 'set' or 'add_citations' must name what changes (not the code)"
            )
        target.update(copy.deepcopy(changes))
        # Citations of the amending text are added to the base's, which stay as they are.
        target["citations"] = list(target.get("citations") or []) + copy.deepcopy(extra_citations)
        target["amended_by"] = cites
    for op in req_ops.get("add") or []:
        where = f"amend.requirements.add {op.get('code')}"
        cites = _amended_by(op, where, errors)
        if op.get("code") in by_code:
            errors.append(f"{where}: the requirement exists already (use change)")
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
    for op in req_ops.get("remove") or []:
        where = f"amend.requirements.remove {op.get('code')}"
        cites = _amended_by(op, where, errors)
        if op.get("code") not in by_code:
            errors.append(f"{where}: no such requirement")
            continue
        requirements.remove(by_code.pop(op["code"]))
        repealed[op["code"]] = cites
    out["repealed"] = repealed
    if errors:
        raise CatalogueFileError(errors)
    return out


def parse_catalogue(raw: dict[str, Any]) -> CatalogueData:
    """Build typed catalogue data and report every problem at once."""
    errors: list[str] = []
    if not isinstance(raw, dict) or not raw.get("version"):
        raise CatalogueFileError(["the file needs a 'version'"])
    parameters = []
    for i, p in enumerate(raw.get("parameters") or []):
        where = f"parameters[{i}] {p.get('key', '?')}"
        for name in ("key", "source", "confidence"):
            if not p.get(name):
                errors.append(f"{where}: missing {name}")
        if "value" not in p:
            errors.append(f"{where}: missing value")
        if p.get("confidence") and p["confidence"] not in CONFIDENCES:
            errors.append(f"{where}: confidence must be one of {CONFIDENCES}")
        parameters.append(
            ParameterData(
                key=str(p.get("key", "")),
                value=p.get("value"),
                source=str(p.get("source", "")),
                confidence=str(p.get("confidence", "")),
                note=str(p.get("note", "") or "").strip(),
                amended_by=list(p.get("amended_by") or []),
            )
        )
    params = {p.key: p.value for p in parameters}
    for key in ("appendix_i", "appendix_ii", "appendix_vii"):
        for row in params.get(key) or []:
            for err in validate_rule(row.get("when"), params):
                errors.append(f"{key} row {row.get('id')}: {err}")
            if row.get("confidence") and row["confidence"] not in CONFIDENCES:
                errors.append(f"{key} row {row.get('id')}: bad confidence")
    deadline = params.get("roadmap.alarm_transmission_deadline")
    if deadline is not None:
        try:
            date.fromisoformat(str(deadline))
        except ValueError:
            errors.append("roadmap.alarm_transmission_deadline: not an ISO date")

    requirements = []
    seen: set[str] = set()
    for i, r in enumerate(raw.get("requirements") or []):
        code = r.get("code") or f"#{i}"
        where = f"requirement {code}"
        if code in seen:
            errors.append(f"{where}: duplicate code")
        seen.add(code)
        for name in ("title_vi", "title_en", "question_vi", "question_en"):
            if not r.get(name):
                errors.append(f"{where}: missing {name}")
        kinds = r.get("premises_kinds") or []
        if not kinds or any(k not in PREMISES_KINDS for k in kinds):
            errors.append(f"{where}: premises_kinds must be a non-empty subset of {PREMISES_KINDS}")
        errors.extend(f"{where}: {e}" for e in validate_rule(r.get("applicability"), params))
        severity = r.get("severity", "major")
        if severity not in SEVERITIES:
            errors.append(f"{where}: severity must be one of {SEVERITIES}")
        evidence = r.get("evidence") or []
        if any(e not in EVIDENCE_KINDS for e in evidence):
            errors.append(f"{where}: evidence must be within {EVIDENCE_KINDS}")
        answer_type = r.get("answer_type", "yes_no_na")
        if answer_type not in ANSWER_TYPES:
            errors.append(f"{where}: answer_type must be one of {ANSWER_TYPES}")
        rule = r.get("deadline_rule")
        if rule is not None:
            errors.extend(f"{where}: {e}" for e in validate_deadline_rule(rule, params))
        points, errs = _decree_points(r.get("decree_points"))
        errors.extend(f"{where}: {e}" for e in errs)
        citations = []
        for c in r.get("citations") or []:
            citation, errs = _citation(c)
            errors.extend(f"{where}: {e}" for e in errs)
            if citation:
                citations.append(citation)
        if not citations:
            errors.append(f"{where}: at least one citation is required")
        if not points and "inspection_content_points" in params:
            # A version that words the Art. 13.1 points maps every requirement to one: read
            # them from the citations when the row names none (rules/content_points.py).
            points = points_from_citations(citations)
            if not points:
                errors.append(f"{where}: decree_points needed (no citation implies one)")
        requirements.append(
            RequirementData(
                code=code,
                title_vi=r.get("title_vi", ""),
                title_en=r.get("title_en", ""),
                question_vi=r.get("question_vi", ""),
                question_en=r.get("question_en", ""),
                premises_kinds=list(kinds),
                applicability=dict(r.get("applicability") or {}),
                citations=citations,
                evidence=list(evidence),
                severity=severity,
                answer_type=answer_type,
                required=bool(r.get("required", True)),
                deadline_rule=rule,
                advice=bool(r.get("advice", False)),
                amended_by=list(r.get("amended_by") or []),
                decree_points=points,
            )
        )
    errors.extend(validate_content_points(params))
    documents = list(raw.get("documents") or [])
    effective_on, legal_basis = _legal_basis(raw, documents, errors)
    if errors:
        raise CatalogueFileError(errors)
    return CatalogueData(
        version=str(raw["version"]),
        notes=str(raw.get("notes", "") or "").strip(),
        documents=documents,
        parameters=parameters,
        requirements=requirements,
        effective_on=effective_on,
        legal_basis=legal_basis,
        based_on=str(raw.get("based_on") or ""),
        repealed=dict(raw.get("repealed") or {}),
    )


def _legal_basis(
    raw: dict[str, Any], documents: list[dict[str, Any]], errors: list[str]
) -> tuple[date | None, list[str]]:
    """(effective date, legal basis codes) the file declares.

    Without ``legal_basis`` every listed document is the basis; without ``effective_on`` the
    version applies from the latest effective date of its basis (a catalogue cannot apply
    before the documents it rests on).
    """
    known = {str(d.get("code")): d for d in documents}
    basis = [str(c) for c in raw.get("legal_basis") or known]
    for code in basis:
        if code not in known:
            errors.append(f"legal_basis {code!r} is not among the documents")
    dates = []
    for code in basis:
        value = known.get(code, {}).get("effective_on")
        if value:
            try:
                dates.append(date.fromisoformat(str(value)))
            except ValueError:
                errors.append(f"document {code}: effective_on is not an ISO date")
    declared = raw.get("effective_on")
    if declared in (None, ""):
        return (max(dates) if dates else None), basis
    try:
        return date.fromisoformat(str(declared)), basis
    except ValueError:
        errors.append("effective_on: not an ISO date")
        return None, basis


def decree_points_errors(raw: Any) -> list[str]:
    """Problems of a requirement's decree_points value (file rows and admin edits alike)."""
    return _decree_points(raw)[1]


def _decree_points(raw: Any) -> tuple[list[str], list[str]]:
    """Decree 105 Art. 13.1 points of a requirement: known letters, no repeats ("dd" = "đ")."""
    if raw is None:
        return [], []
    if not isinstance(raw, list):
        return [], ["decree_points must be a list of Decree 105 Art. 13.1 points"]
    points = ["đ" if str(p) == "dd" else str(p) for p in raw]
    bad = [p for p in points if p not in DECREE_POINTS]
    if bad:
        return [], [f"decree_points {bad} are not Decree 105 Art. 13.1 points {DECREE_POINTS}"]
    if len(set(points)) != len(points):
        return [], ["decree_points repeats a point"]
    return points, []


def validate_content_points(params: dict[str, Any]) -> list[str]:
    """The inspection_content_points parameter: every point worded, every set within a–p."""
    value = params.get("inspection_content_points")
    if value is None:
        return []
    where = "parameter inspection_content_points"
    if not isinstance(value, dict) or not isinstance(value.get("points"), dict):
        return [f"{where}: needs 'points' and 'by_authority'"]
    errors = []
    texts = value["points"]
    if set(texts) != set(DECREE_POINTS):
        errors.append(f"{where}: points must be exactly {DECREE_POINTS}")
    for point, text in texts.items():
        if not isinstance(text, dict) or not text.get("text_vi") or not text.get("text_en"):
            errors.append(f"{where}: point {point} needs text_vi and text_en")
    sets = dict(value.get("by_authority") or {})
    for kind, overrides in (value.get("by_premises_kind") or {}).items():
        sets.update({f"{kind}.{k}": v for k, v in (overrides or {}).items()})
    if not value.get("by_authority"):
        errors.append(f"{where}: by_authority is empty")
    for name, points in sets.items():
        if not isinstance(points, list) or any(p not in DECREE_POINTS for p in points):
            errors.append(f"{where}: {name} must list points of {DECREE_POINTS}")
    return errors


def _citation(c: dict[str, Any]) -> tuple[CitationData | None, list[str]]:
    document = c.get("document")
    if not document or not c.get("article"):
        return None, [f"citation {c!r} needs a document and an article"]
    point = c.get("point")
    point = str(point) if point not in (None, "") else None
    clause = int(c["clause"]) if c.get("clause") not in (None, "") else None
    if document == LAW_DOCUMENT:
        if "text_vi" in c:
            # The law's words come from the parser only: a typed copy could drift.
            return None, [f"law citation {c!r} must not carry text_vi"]
        try:
            get_provision(int(c["article"]), clause, point)
        except KeyError as exc:
            return None, [str(exc.args[0])]
        return CitationData(LAW_DOCUMENT, int(c["article"]), clause, point), []
    if not c.get("text_vi"):
        return None, [f"citation of {document} needs text_vi (it is not parsed)"]
    confidence = c.get("confidence", "")
    if confidence not in CONFIDENCES:
        return None, [f"citation of {document} needs a confidence of {CONFIDENCES}"]
    return CitationData(document, int(c["article"]), clause, point, c["text_vi"], confidence), []


def validate_deadline_rule(rule: Any, params: dict[str, Any]) -> list[str]:
    if not isinstance(rule, dict) or rule.get("type") not in DEADLINE_TYPES:
        return [f"deadline_rule.type must be one of {DEADLINE_TYPES}"]
    errors = []
    kind = rule["type"]
    if kind in ("recurring", "expiry") and not rule.get("fact"):
        errors.append(f"{kind} deadline_rule needs the 'fact' holding the date")
    ref = rule.get("months") if kind == "recurring" else rule.get("date")
    if kind in ("recurring", "roadmap"):
        if ref is None:
            errors.append(
                f"{kind} deadline_rule needs {'months' if kind == 'recurring' else 'date'}"
            )
        elif isinstance(ref, dict) and ref.get("param") not in params:
            errors.append(f"deadline_rule refers to unknown parameter {ref.get('param')!r}")
    if kind == "roadmap" and rule.get("track", "answer") not in ("answer", "alarm_device"):
        errors.append("roadmap deadline_rule.track must be 'answer' or 'alarm_device'")
    if kind == "team_size":
        errors.extend(_param_ref_errors(rule, "table", params))
    if kind == "training":
        if rule.get("duty") not in TRAINING_DUTIES:
            errors.append(f"training deadline_rule.duty must be one of {TRAINING_DUTIES}")
        errors.extend(_param_ref_errors(rule, "cycle", params))
    if kind in ("calendar", "calendar_year", "within_days") and not rule.get("fact"):
        errors.append(f"{kind} deadline_rule needs the 'fact' holding the date")
    extra = {"calendar": "dates", "within_days": "days"}.get(kind)
    if extra:
        ref = rule.get(extra)
        if ref is None:
            errors.append(f"{kind} deadline_rule needs {extra}")
        elif isinstance(ref, dict) and ref.get("param") not in params:
            errors.append(f"deadline_rule refers to unknown parameter {ref.get('param')!r}")
    if kind == "within_days" and not rule.get("done_fact"):
        errors.append("within_days deadline_rule needs the 'done_fact' recording completion")
    return errors


def _param_ref_errors(rule: dict[str, Any], name: str, params: dict[str, Any]) -> list[str]:
    ref = rule.get(name)
    if not isinstance(ref, dict) or "param" not in ref:
        return [f"{rule['type']} deadline_rule needs {name}: {{param: KEY}}"]
    if ref["param"] not in params:
        return [f"deadline_rule refers to unknown parameter {ref['param']!r}"]
    return []


def citation_text(c: CitationData) -> str:
    """The verbatim law text (from the parser) or the decree summary kept in the data."""
    if c.document == LAW_DOCUMENT:
        return get_provision(c.article, c.clause, c.point).text
    return c.text_vi or ""


def requirement_specs(data: CatalogueData) -> list[RequirementSpec]:
    """Specs for the pure obligations engine straight from a file (previews, tests)."""
    return [
        RequirementSpec(
            code=r.code,
            title_vi=r.title_vi,
            title_en=r.title_en,
            premises_kinds=tuple(r.premises_kinds),
            applicability=r.applicability,
            citations=tuple(
                CitationRef(
                    c.document, c.article, c.clause, c.point, citation_text(c), c.confidence
                )
                for c in r.citations
            ),
            severity=r.severity,
            deadline_rule=r.deadline_rule,
            advice=r.advice,
            order=i,
            decree_points=tuple(r.decree_points),
        )
        for i, r in enumerate(data.requirements)
    ]
