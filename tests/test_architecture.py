"""The architecture contract (docs/architecture.md): layers, forbidden imports, no package loops."""

from __future__ import annotations

import copy
from pathlib import Path

import grimp
import pytest
from importlinter import configuration
from importlinter.application import use_cases

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["accounts", "inspections", "api", "portal", "fieldapp", "config", "ops"]


@pytest.fixture(scope="module")
def options():
    configuration.configure()
    opts = use_cases._normalize_user_options(
        use_cases.read_user_options(config_filename=str(ROOT / "pyproject.toml"))
    )
    use_cases._register_contract_types(opts)
    return opts


@pytest.fixture(scope="module")
def graph(options):
    return grimp.build_graph(
        *options.session_options["root_packages"], include_external_packages=False, cache_dir=None
    )


def broken_contracts(graph, options) -> list[str]:
    report = use_cases._build_report(
        graph=graph,
        graph_building_duration=0,
        user_options=options,
        limit_to_contracts=(),
        show_timings=False,
        verbose=False,
    )
    return [
        contract.name for contract, check in report.get_contracts_and_checks() if not check.kept
    ]


def package_cycles(graph, packages: list[str], depth: int = 1) -> list[tuple[str, str]]:
    """Pairs of packages (cut at ``depth`` dotted parts) that import each other, directly or
    through other packages."""

    def cut(name: str) -> str:
        return ".".join(name.split(".")[:depth])

    edges: dict[str, set[str]] = {}
    for module in graph.modules:
        if cut(module).split(".")[0] not in packages:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            a, b = cut(module), cut(imported)
            if a != b and b.split(".")[0] in packages:
                edges.setdefault(a, set()).add(b)

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            node = todo.pop()
            if node == goal:
                return True
            if node not in seen:
                seen.add(node)
                todo.extend(edges.get(node, ()))
        return False

    return sorted({tuple(sorted((a, b))) for a in edges for b in edges[a] if reaches(b, a)})


def test_the_contracts_in_pyproject_are_kept(graph, options):
    assert broken_contracts(graph, options) == []


@pytest.mark.parametrize(
    ("importer", "imported", "contract"),
    [
        ("inspections.services.inspections", "portal.views.manager", "never imports the API"),
        ("inspections.selectors.dashboard", "api.premises", "never imports the API"),
        ("inspections.rules.applicability", "inspections.models.premises", "Rules are pure"),
        ("inspections.models.premises", "inspections.services.premises", "Models do not call"),
        ("inspections.services.reports", "inspections.tasks", "Inside inspections"),
        ("accounts.models", "inspections.access", "Interfaces -> domain -> accounts"),
    ],
)
def test_a_forbidden_import_breaks_the_contract(graph, options, importer, imported, contract):
    bad = copy.deepcopy(graph)
    bad.add_import(importer=importer, imported=imported)
    broken = broken_contracts(bad, options)
    assert any(contract in name for name in broken), broken


def test_no_loop_between_packages(graph):
    assert package_cycles(graph, PACKAGES) == []


def test_no_loop_between_the_domains_layers(graph):
    # rules/reminders/citations.py reads law labels from legal/parser.py while legal/catalogue_checks.py
    # validates rules: a known loop between those two sub-packages, nothing else.
    assert package_cycles(graph, ["inspections"], depth=2) == [
        ("inspections.legal", "inspections.rules")
    ]


def test_the_loop_finder_sees_an_indirect_loop():
    g = grimp.ImportGraph()
    for name in ("a", "a.x", "b", "b.y", "c", "c.z"):
        g.add_module(name)
    g.add_import(importer="a.x", imported="b.y")
    g.add_import(importer="b.y", imported="c.z")
    assert package_cycles(g, ["a", "b", "c"]) == []
    g.add_import(importer="c.z", imported="a.x")
    assert package_cycles(g, ["a", "b", "c"]) == [("a", "b"), ("a", "c"), ("b", "c")]
