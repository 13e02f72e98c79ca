"""Modules import each other one way: no module reaches back to one that imports it, not even
through an import inside a function, and packages import only the layers below them.
(Imports under `if TYPE_CHECKING:` are for type checkers only.)"""

from __future__ import annotations

import ast
from pathlib import Path

from e2e import shipped_packages

REPO = Path(__file__).resolve().parent.parent
# The layers, top first: the CLI and glue; the scheduler that drives crawls; the data path spiders ->
# pipelines -> archive; the state store; what every layer shares. A package imports only those after it.
LAYERS = ("newsvault", "scheduler", "spiders", "pipelines", "archive", "state", "core")
PACKAGES = LAYERS


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            name = ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
            found[name] = path
    return found


def import_graph() -> dict[str, set[str]]:
    """Each module of the project and the project modules it imports, wherever in it."""
    modules = _modules()

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        def visit(node: ast.AST, name: str = name) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                    continue
                targets: list[str | None] = []
                if isinstance(child, ast.Import):
                    targets = [resolve(alias.name) for alias in child.names]
                elif isinstance(child, ast.ImportFrom) and child.module and not child.level:
                    targets = [resolve(f"{child.module}.{alias.name}") or resolve(child.module)
                               for alias in child.names]
                graph[name].update(t for t in targets if t and t != name)
                visit(child)

        visit(ast.parse(path.read_text(encoding="utf-8")))
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each a circle of imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def strong(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                strong(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            strong(node)
    return found


def test_no_module_imports_one_that_imports_it_back() -> None:
    graph = import_graph()
    assert len(graph) > 50, "the project's modules were not found"
    circles = cycles(graph)
    assert circles == [], "modules importing each other: " + "; ".join(
        " <-> ".join(group) for group in circles)


def test_a_circle_is_found_when_there_is_one() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Each import of a module by a module of a lower layer, as "importer -> imported"."""
    rank = {package: depth for depth, package in enumerate(LAYERS)}
    found = []
    for name, imported in sorted(graph.items()):
        for other in sorted(imported):
            if rank[other.partition(".")[0]] < rank[name.partition(".")[0]]:
                found.append(f"{name} -> {other}")
    return found


def test_every_shipped_package_has_its_layer() -> None:
    assert sorted(LAYERS) == sorted(shipped_packages())


def test_packages_import_only_the_layers_below_them() -> None:
    upward = upward_imports(import_graph())
    assert upward == [], "imports from a lower layer up into a higher one: " + "; ".join(upward)


def test_an_upward_import_is_found_when_there_is_one() -> None:
    assert upward_imports({"archive.spool": {"newsvault.cli"}, "newsvault.cli": {"archive.spool"}}) == [
        "archive.spool -> newsvault.cli"]
    assert upward_imports({"spiders.news": {"pipelines.dedup", "core.record"}}) == []
