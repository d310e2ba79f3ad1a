"""Read and validate a catalogue data file (inspections/data/catalogue/<version>.yaml), no ORM.

The checks of each value are in ``catalogue_checks.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from inspections.rules.content_points import points_from_citations
from inspections.rules.requirements import CitationRef, RequirementSpec

from .amendments import apply_amendment
from .catalogue_checks import (
    parse_decree_points,
    requirement_field_errors,
    table_errors,
    validate_content_points,
)
from .errors import CatalogueFileError
from .parser import LAW_DOCUMENT, get_provision
from .vocabulary import CONFIDENCES

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
    errors.extend(table_errors(params))
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


def _requirement(
    code: str, r: dict[str, Any], params: dict[str, Any], errors: list[str]
) -> RequirementData:
    where = f"requirement {code}"
    errors.extend(f"{where}: {e}" for e in requirement_field_errors(r, params))
    points, errs = parse_decree_points(r.get("decree_points"))
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
