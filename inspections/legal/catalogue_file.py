"""Read and validate a catalogue data file (inspections/data/catalogue/<version>.yaml), no ORM."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from inspections.rules.content_points import points_from_citations
from inspections.rules.labels import PREMISES_KINDS
from inspections.rules.requirements import CitationRef, RequirementSpec
from inspections.rules.validation import validate_rule

from .amendments import apply_amendment
from .errors import CatalogueFileError
from .parser import LAW_DOCUMENT, get_provision
from .vocabulary import (
    ANSWER_TYPES,
    CONFIDENCES,
    DEADLINE_TYPES,
    DECREE_POINTS,
    EVIDENCE_KINDS,
    SEVERITIES,
    TRAINING_DUTIES,
)

CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "data" / "catalogue"


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


def parse_catalogue(raw: dict[str, Any]) -> CatalogueData:
    """Build typed catalogue data and report every problem at once."""
    errors: list[str] = []
    if not isinstance(raw, dict) or not raw.get("version"):
        raise CatalogueFileError(["the file needs a 'version'"])
    parameters = [_parameter(i, p, errors) for i, p in enumerate(raw.get("parameters") or [])]
    params = {p.key: p.value for p in parameters}
    errors.extend(_table_errors(params))
    requirements = []
    seen: set[str] = set()
    for i, r in enumerate(raw.get("requirements") or []):
        code = r.get("code") or f"#{i}"
        if code in seen:
            errors.append(f"requirement {code}: duplicate code")
        seen.add(code)
        requirements.append(_requirement(code, r, params, errors))
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


def _parameter(i: int, p: dict[str, Any], errors: list[str]) -> ParameterData:
    where = f"parameters[{i}] {p.get('key', '?')}"
    errors.extend(
        f"{where}: missing {name}" for name in ("key", "source", "confidence") if not p.get(name)
    )
    if "value" not in p:
        errors.append(f"{where}: missing value")
    if p.get("confidence") and p["confidence"] not in CONFIDENCES:
        errors.append(f"{where}: confidence must be one of {CONFIDENCES}")
    return ParameterData(
        key=str(p.get("key", "")),
        value=p.get("value"),
        source=str(p.get("source", "")),
        confidence=str(p.get("confidence", "")),
        note=str(p.get("note", "") or "").strip(),
        amended_by=list(p.get("amended_by") or []),
    )


def _table_errors(params: dict[str, Any]) -> list[str]:
    """The decree's appendix tables (rules in their rows) and the roadmap deadline."""
    errors: list[str] = []
    for key in ("appendix_i", "appendix_ii", "appendix_vii"):
        for row in params.get(key) or []:
            errors.extend(
                f"{key} row {row.get('id')}: {e}" for e in validate_rule(row.get("when"), params)
            )
            if row.get("confidence") and row["confidence"] not in CONFIDENCES:
                errors.append(f"{key} row {row.get('id')}: bad confidence")
    deadline = params.get("roadmap.alarm_transmission_deadline")
    if deadline is not None:
        try:
            date.fromisoformat(str(deadline))
        except ValueError:
            errors.append("roadmap.alarm_transmission_deadline: not an ISO date")
    return errors


def _requirement(
    code: str, r: dict[str, Any], params: dict[str, Any], errors: list[str]
) -> RequirementData:
    where = f"requirement {code}"
    errors.extend(f"{where}: {e}" for e in _requirement_errors(r, params))
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
    return RequirementData(
        code=code,
        title_vi=r.get("title_vi", ""),
        title_en=r.get("title_en", ""),
        question_vi=r.get("question_vi", ""),
        question_en=r.get("question_en", ""),
        premises_kinds=list(r.get("premises_kinds") or []),
        applicability=dict(r.get("applicability") or {}),
        citations=citations,
        evidence=list(r.get("evidence") or []),
        severity=r.get("severity", "major"),
        answer_type=r.get("answer_type", "yes_no_na"),
        required=bool(r.get("required", True)),
        deadline_rule=r.get("deadline_rule"),
        advice=bool(r.get("advice", False)),
        amended_by=list(r.get("amended_by") or []),
        decree_points=points,
    )


def _requirement_errors(r: dict[str, Any], params: dict[str, Any]) -> list[str]:
    """What is wrong with a requirement's own fields (citations and points apart)."""
    errors = [
        f"missing {name}"
        for name in ("title_vi", "title_en", "question_vi", "question_en")
        if not r.get(name)
    ]
    kinds = r.get("premises_kinds") or []
    if not kinds or any(k not in PREMISES_KINDS for k in kinds):
        errors.append(f"premises_kinds must be a non-empty subset of {PREMISES_KINDS}")
    errors.extend(validate_rule(r.get("applicability"), params))
    if r.get("severity", "major") not in SEVERITIES:
        errors.append(f"severity must be one of {SEVERITIES}")
    if any(e not in EVIDENCE_KINDS for e in r.get("evidence") or []):
        errors.append(f"evidence must be within {EVIDENCE_KINDS}")
    if r.get("answer_type", "yes_no_na") not in ANSWER_TYPES:
        errors.append(f"answer_type must be one of {ANSWER_TYPES}")
    if (rule := r.get("deadline_rule")) is not None:
        errors.extend(validate_deadline_rule(rule, params))
    return errors


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
        return _law_citation(c, clause, point)
    if not c.get("text_vi"):
        return None, [f"citation of {document} needs text_vi (it is not parsed)"]
    confidence = c.get("confidence", "")
    if confidence not in CONFIDENCES:
        return None, [f"citation of {document} needs a confidence of {CONFIDENCES}"]
    return CitationData(document, int(c["article"]), clause, point, c["text_vi"], confidence), []


def _law_citation(
    c: dict[str, Any], clause: int | None, point: str | None
) -> tuple[CitationData | None, list[str]]:
    if "text_vi" in c:
        # The law's words come from the parser only: a typed copy could drift.
        return None, [f"law citation {c!r} must not carry text_vi"]
    try:
        get_provision(int(c["article"]), clause, point)
    except KeyError as exc:
        return None, [str(exc.args[0])]
    return CitationData(LAW_DOCUMENT, int(c["article"]), clause, point), []


# What each kind of deadline rule must name: the fact holding its date, the value (a number,
# a date or a parameter reference), a parameter table.
_NEEDS_FACT = ("recurring", "expiry", "calendar", "calendar_year", "within_days")
_VALUE_OF_KIND = {
    "recurring": "months",
    "roadmap": "date",
    "calendar": "dates",
    "within_days": "days",
}
_TABLE_OF_KIND = {"team_size": "table", "training": "cycle"}


def validate_deadline_rule(rule: Any, params: dict[str, Any]) -> list[str]:
    if not isinstance(rule, dict) or rule.get("type") not in DEADLINE_TYPES:
        return [f"deadline_rule.type must be one of {DEADLINE_TYPES}"]
    errors = []
    kind = rule["type"]
    if kind in _NEEDS_FACT and not rule.get("fact"):
        errors.append(f"{kind} deadline_rule needs the 'fact' holding the date")
    if value := _VALUE_OF_KIND.get(kind):
        errors.extend(_value_errors(rule, value, params))
    if kind == "roadmap" and rule.get("track", "answer") not in ("answer", "alarm_device"):
        errors.append("roadmap deadline_rule.track must be 'answer' or 'alarm_device'")
    if kind == "training" and rule.get("duty") not in TRAINING_DUTIES:
        errors.append(f"training deadline_rule.duty must be one of {TRAINING_DUTIES}")
    if table := _TABLE_OF_KIND.get(kind):
        errors.extend(_param_ref_errors(rule, table, params))
    if kind == "within_days" and not rule.get("done_fact"):
        errors.append("within_days deadline_rule needs the 'done_fact' recording completion")
    return errors


def _value_errors(rule: dict[str, Any], name: str, params: dict[str, Any]) -> list[str]:
    ref = rule.get(name)
    if ref is None:
        return [f"{rule['type']} deadline_rule needs {name}"]
    if isinstance(ref, dict) and ref.get("param") not in params:
        return [f"deadline_rule refers to unknown parameter {ref.get('param')!r}"]
    return []


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
