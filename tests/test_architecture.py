"""The layer contract of docs/architecture.md, read from the source with ``ast`` (no import runs).

The rules (DESIGN.md, "Layers and who may import whom"), each one test below:

1. ``sim/scenario/`` is configuration: it imports nothing of ``sim`` but ``sim.errors``.
2. Physics (``sim/air``, ``sim/water``) imports no scenario (only the plain constants of
   ``sim.scenario.vocabulary``), no engine layer, no outcome, and no ``simpy``.
3. The engine layer (engine, ledger, calendar, weather, streams, sources, policies) never imports
   an outcome, the attribution, the targets, the results or anything above them.
4. No policy imports an outcome (a special case of 3, kept as its own rule for its message).
5. Outcomes never re-run the engine or orchestrate: no ``sim.api``, ``sim.attribution``,
   ``sim.ensemble``, ``sim.compare``, ``sim.sweep``, ``sim.calibration``, ``sim.cli`` (the
   ``RunState`` type may be imported for annotations); and no call of ``simulate_state`` or
   ``RunState.without_measures`` below the api (outcomes, results, targets, report, physics).
6. Targets read a typed summary: no engine, ledger, sources, policies or outcomes.
7. Results assemble and never run outcomes: ``sim.results`` imports no ``sim.outcomes``,
   ``sim.attribution``, ``sim.api`` (type-only imports excepted).
8. Plots and the report read a Dataset only: no engine layer, outcomes, attribution, api,
   compare, ensemble, sweep or calibration.
9. Nothing below the api imports the api or the command line.
10. No import cycles between modules of ``sim`` (every import counted, also those inside
    functions and under ``TYPE_CHECKING``).

Imports are counted wherever they are written (module level, in functions, under
``TYPE_CHECKING``) unless a rule says "type-only imports excepted".

Files owned by other issues that still break a rule are listed in :data:`ALLOWED` with the issue
that removes them; the test fails when a listed violation is gone too, so the list only shrinks.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SIM = REPO / "sim"


@dataclass(frozen=True)
class Import:
    """One ``import`` of a module of ``sim`` (or of simpy / matplotlib)."""

    importer: str
    imported: str
    type_only: bool
    line: int


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST, type_only: bool) -> Iterator[tuple[ast.AST, bool]]:
    for child in ast.iter_child_nodes(node):
        inner = type_only or (isinstance(child, ast.If) and _is_type_checking(child))
        yield child, inner
        yield from _walk(child, inner)


def _resolve(name: str, modules: set[str]) -> str:
    """``sim.a.b`` where ``b`` may be a name inside module ``sim.a``."""
    while name not in modules and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def _collect() -> tuple[set[str], list[Import]]:
    files = sorted(SIM.rglob("*.py"))
    modules = {_module_name(p) for p in files}
    found: list[Import] = []
    for path in files:
        importer = _module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node, type_only in _walk(tree, False):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [f"{node.module}.{a.name}" for a in node.names]
            for target in targets:
                root = target.split(".")[0]
                if root == "sim":
                    found.append(
                        Import(importer, _resolve(target, modules), type_only, node.lineno)
                    )
                elif root in ("simpy", "matplotlib"):
                    found.append(Import(importer, root, type_only, node.lineno))
    return modules, found


MODULES, IMPORTS = _collect()


def _in(module: str, *prefixes: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


SCENARIO = ("sim.scenario",)
PHYSICS = ("sim.air", "sim.water")
ENGINE_LAYER = (
    "sim.engine",
    "sim.context",
    "sim.ledger",
    "sim.calendar",
    "sim.weather",
    "sim.streams",
    "sim.sources",
    "sim.policies",
    "sim.spinup",
)
OUTCOMES = ("sim.outcomes",)
ORCHESTRATION = (
    "sim.api",
    "sim.attribution",
    "sim.ensemble",
    "sim.compare",
    "sim.sweep",
    "sim.calibration",
    "sim.forecasting",
    "sim.cli",
    "sim.commands",
    "sim.__main__",
)
ABOVE_ENGINE = (
    *OUTCOMES,
    "sim.targets",
    "sim.results",
    "sim.plots",
    "sim.report",
    "sim.report_text",
    "sim.dispatch",
    *ORCHESTRATION,
)
PRESENTATION = ("sim.plots", "sim.report", "sim.report_text", "sim.dispatch")
#: The top-level package re-exports the api lazily; it is the entry point, not a layer.
ENTRY = ("sim.cli", "sim.commands", "sim.__main__", "sim.api")


def _violations(
    importers: tuple[str, ...],
    forbidden: tuple[str, ...],
    *,
    allowed: tuple[str, ...] = (),
    type_only_ok: bool = False,
) -> set[tuple[str, str]]:
    out = set()
    for imp in IMPORTS:
        if imp.importer == "sim" or not _in(imp.importer, *importers):
            continue
        if type_only_ok and imp.type_only:
            continue
        if _in(imp.imported, *forbidden) and not _in(imp.imported, *allowed):
            out.add((imp.importer, imp.imported))
    return out


#: Violations in files owned by other issues, each with the issue that removes it. The integrator
#: deletes an entry once its fix is merged; an entry that no longer occurs fails the test.
ALLOWED: dict[str, set[tuple[str, str]]] = {
    "physics": set(),
    "outcomes": set(),
    "reruns": set(),
    "results": set(),
    "presentation": set(),
    "below_api": set(),
    "cycles": set(),
}


def _check(rule: str, found: set[tuple[str, str]]) -> None:
    allowed = ALLOWED.get(rule, set())
    new = sorted(found - allowed)
    gone = sorted(allowed - found)
    assert not new, f"rule {rule!r} broken by (importer, imported): {new}"
    assert not gone, f"rule {rule!r}: allow-list entries no longer needed, remove them: {gone}"


def test_scenario_imports_nothing_of_sim_but_errors() -> None:
    found = _violations(SCENARIO, ("sim",), allowed=("sim.scenario", "sim.errors"))
    found |= {(i.importer, i.imported) for i in IMPORTS if _in(i.importer, *SCENARIO)
              and i.imported in ("simpy", "matplotlib")}  # fmt: skip
    _check("scenario", found)


def test_physics_imports_no_scenario_engine_or_simpy() -> None:
    found = _violations(
        PHYSICS, ("sim",), allowed=(*PHYSICS, "sim.errors", "sim.scenario.vocabulary")
    )
    found |= {(i.importer, i.imported) for i in IMPORTS if _in(i.importer, *PHYSICS)
              and i.imported == "simpy"}  # fmt: skip
    _check("physics", found)


def test_engine_layer_never_imports_what_is_computed_after_it() -> None:
    _check("engine", _violations(ENGINE_LAYER, ABOVE_ENGINE))


def test_no_policy_imports_an_outcome() -> None:
    _check("policies", _violations(("sim.policies",), (*OUTCOMES, "sim.attribution")))


def test_outcomes_never_rerun_the_engine_or_orchestrate() -> None:
    _check("outcomes", _violations(OUTCOMES, ORCHESTRATION))


#: Calls that run the engine: the engine's entry point, and RunState's cached re-run.
ENGINE_RUNS = ("simulate_state", "without_measures")


def _engine_runs(prefixes: tuple[str, ...]) -> set[tuple[str, str]]:
    out = set()
    for path in sorted(SIM.rglob("*.py")):
        module = _module_name(path)
        if not _in(module, *prefixes):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in ENGINE_RUNS:
                    out.add((module, name))
    return out


def test_outcomes_results_targets_and_report_never_run_the_engine() -> None:
    """Rule 5, by calls rather than imports: ``simulate_state`` or ``state.without_measures()``."""
    layers = (*OUTCOMES, "sim.results", "sim.targets", *PRESENTATION, *PHYSICS)
    _check("reruns", _engine_runs(layers))


def test_targets_read_a_summary_not_engine_internals() -> None:
    forbidden = ("sim.engine", "sim.ledger", "sim.sources", "sim.policies", *OUTCOMES)
    _check("targets", _violations(("sim.targets",), forbidden))


def test_results_assemble_and_never_run_outcomes() -> None:
    forbidden = (*OUTCOMES, "sim.attribution", "sim.api", "sim.policies", "sim.engine")
    _check("results", _violations(("sim.results",), forbidden, type_only_ok=True))


def test_plots_and_report_read_a_dataset_only() -> None:
    forbidden = (*ENGINE_LAYER, *OUTCOMES, *ORCHESTRATION)
    found = _violations(PRESENTATION, forbidden, allowed=("sim.report", "sim.plots"))
    _check("presentation", found)


def test_nothing_below_the_api_imports_the_api_or_the_command_line() -> None:
    below = (*SCENARIO, *PHYSICS, *ENGINE_LAYER, *OUTCOMES, "sim.targets", "sim.results",
             *PRESENTATION)  # fmt: skip
    forbidden = (*ENTRY, "sim.ensemble", "sim.compare", "sim.sweep", "sim.calibration")
    _check("below_api", _violations(below, forbidden))


def _cycle_edges() -> set[tuple[str, str]]:
    """Edges (a, b) of ``sim`` modules that lie on an import cycle (a imports b)."""
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for imp in IMPORTS:
        if imp.imported in graph and imp.importer != imp.imported:
            graph[imp.importer].add(imp.imported)
    # Tarjan's strongly connected components, iteratively.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    component: dict[str, int] = {}
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    while True:
                        top = stack.pop()
                        on_stack.discard(top)
                        component[top] = index[node]
                        if top == node:
                            break
            elif child not in index:
                index[child] = low[child] = counter
                counter += 1
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return {(a, b) for a in graph for b in graph[a] if component[a] == component[b]}


def _package_edges(edges: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Drop edges into a package's own ``__init__`` from inside it and back (registries)."""
    return {(a, b) for a, b in edges if not (a.startswith(b + ".") or b.startswith(a + "."))}


def test_no_import_cycles_between_modules() -> None:
    edges = _package_edges(_cycle_edges())
    pairs = {tuple(sorted(e)) for e in edges}
    found: set[tuple[str, str]] = {(a, b) for a, b in pairs}
    _check("cycles", found)


@pytest.mark.parametrize(
    ("importer", "imported", "rule"),
    [
        ("sim.scenario.sections.policies_voc", "sim.policies.base", "scenario"),
        ("sim.air.response", "sim.scenario.schema", "physics"),
        ("sim.policies.forecast", "sim.outcomes.air", "policies"),
        ("sim.targets", "sim.outcomes.soil", "targets"),
    ],
)
def test_the_contract_catches_the_violations_issue_11_removed(
    importer: str, imported: str, rule: str
) -> None:
    """The rules are not vacuous: re-adding a removed import is caught (checked on a copy)."""
    global IMPORTS
    saved = IMPORTS
    try:
        IMPORTS = [*saved, Import(importer, imported, False, 1)]
        test = {
            "scenario": test_scenario_imports_nothing_of_sim_but_errors,
            "physics": test_physics_imports_no_scenario_engine_or_simpy,
            "policies": test_no_policy_imports_an_outcome,
            "targets": test_targets_read_a_summary_not_engine_internals,
        }[rule]
        with pytest.raises(AssertionError, match=rule):
            test()
    finally:
        IMPORTS = saved
