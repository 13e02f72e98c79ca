"""pyproject.toml names everything the package needs, so any pip installs all of it.

Checked against the environment the tests run in (which installed newsvault's dependencies): the
modules newsvault's code imports, and the packages its dependencies pull in through extras, each
traced back to the distribution that provides it.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from collections import deque
from importlib import metadata
from pathlib import Path

from e2e import REPO, shipped_packages
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

PACKAGES = shipped_packages()


def _declared() -> dict[str, Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    return {canonicalize_name(r.name): r for r in map(Requirement, project["dependencies"])}


def _imported_top_level_modules() -> dict[str, str]:
    """Top-level module -> one file importing it, over the package's code."""
    found: dict[str, str] = {}
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                         else [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
                         else [])
                for name in names:
                    found.setdefault(name.split(".")[0], str(path.relative_to(REPO)))
    return found


def test_every_module_the_code_imports_comes_from_a_declared_dependency() -> None:
    declared = set(_declared())
    providers = metadata.packages_distributions()
    undeclared = {}
    for module, where in _imported_top_level_modules().items():
        if module in sys.stdlib_module_names or module in PACKAGES:
            continue
        dists = {canonicalize_name(d) for d in providers.get(module, [])}
        if not dists & declared:
            undeclared[module] = (where, sorted(dists))
    assert not undeclared, "imported but not declared in pyproject.toml [project] dependencies:\n" + "\n".join(
        f"  {module} (imported by {where}; from {dists or 'no installed distribution'})"
        for module, (where, dists) in sorted(undeclared.items()))


def test_no_dependency_is_reached_only_through_an_extra_old_pips_miss() -> None:
    # pip before 23.3 matches a requested extra to the ones a package provides by the exact name:
    # justext's `lxml[html_clean]` finds nothing in lxml's `html-clean`, and lxml_html_clean is lost.
    declared = _declared()
    missed: list[str] = []
    queue = deque(declared.values())
    seen: set[str] = set()
    while queue:
        requirement = queue.popleft()
        name = canonicalize_name(requirement.name)
        key = f"{name}[{','.join(sorted(requirement.extras))}]"
        if key in seen:
            continue
        seen.add(key)
        try:
            dist = metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError:
            continue  # not for this platform or Python (its marker said so), or optional
        provided = dist.metadata.get_all("Provides-Extra") or []
        for raw in dist.requires or []:
            needed = Requirement(raw)
            if needed.marker is None or needed.marker.evaluate({"extra": ""}):
                queue.append(needed)
                continue
            for extra in requirement.extras:
                if not needed.marker.evaluate({"extra": extra}):
                    continue
                queue.append(needed)
                if extra not in provided and canonicalize_name(needed.name) not in declared:
                    missed.append(f"{needed.name} (needed by {requirement}; {dist.metadata['Name']} "
                                  f"provides the extra as {[e for e in provided if canonicalize_name(e) == canonicalize_name(extra)]})")
    assert not missed, "declare these directly; pip < 23.3 does not install them:\n  " + "\n  ".join(missed)


def test_the_packages_hooked_below_their_public_api_are_bounded_to_the_minor_version_tested() -> None:
    # tests/test_hooks.py names each hook; a new minor version may move what they hook
    declared = _declared()
    for name in ("scrapy", "warcio", "trafilatura", "lxml", "htmldate", "py3langid"):
        specifier = declared[name].specifier
        installed = metadata.version(name)
        major, minor = (int(part) for part in installed.split(".")[:2])
        assert specifier.contains(installed), f"{name} {installed} is outside {specifier}"
        assert not specifier.contains(f"{major}.{minor + 1}.0"), f"{name}{specifier} admits {major}.{minor + 1}"


def test_the_package_data_the_code_reads_is_in_the_package() -> None:
    data = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "*.html" in data["pipelines.extract"] and Path(REPO / "pipelines" / "extract" / "sample_article.html").is_file()
