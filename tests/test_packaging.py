"""The package as a user gets it: the wheel, installed into a new venv by the pip that venv comes with.

Nothing of the development environment helps here: no editable install, no test extras, no upgraded
pip (Python 3.11's bundled pip 23.2 resolves extras by their exact names, so a module reached only
through another package's extra, as lxml_html_clean is through justext's `lxml[html_clean]`, is left
out unless newsvault names it). The installed `newsvault` command must then crawl the test news
network into records.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from e2e import REPO, manifest_records, shipped_packages
from newsnet import NewsNetwork

PACKAGES = shipped_packages()
NOT_SOURCE = (".git", ".venv", "data", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache",
              ".ruff_cache", "tests", "bench", "docs")


@dataclass
class Installed:
    venv: Path
    wheel: Path
    work: Path  # an empty folder to run from: nothing of the repository on sys.path
    pip_version: str

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        return subprocess.run(list(args), cwd=self.work, env=env, capture_output=True, text=True, timeout=timeout)

    def bin(self, name: str) -> str:
        return str(self.venv / "bin" / name)


def _must(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, f"{' '.join(map(str, done.args))} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    root = tmp_path_factory.mktemp("packaging")
    source = root / "source"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    run = lambda *args: subprocess.run(list(args), capture_output=True, text=True, timeout=900)  # noqa: E731
    _must(run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(root / "dist"), str(source)))
    wheel = next((root / "dist").glob("newsvault-*.whl"))
    venv = root / "venv"
    _must(run(sys.executable, "-m", "venv", str(venv)))  # with its bundled pip, never upgraded
    pip_version = _must(run(str(venv / "bin" / "python"), "-m", "pip", "--version")).split()[1]
    work = root / "work"
    work.mkdir()
    # newsvault.scrapy_settings (Scrapy's settings module for the `scrapy` command) reads ./newsvault.toml
    (work / "newsvault.toml").write_text(
        f'[archive]\nuri = "{root / "archive"}"\n[state]\nuri = "sqlite:///{root}/state.db"\n'
        '[[sources]]\nid = "one"\nname = "One"\nfeeds = ["http://127.0.0.1:9/feed.xml"]\n')
    box = Installed(venv, wheel, work, pip_version)
    _must(box.run(box.bin("python"), "-m", "pip", "install", "--quiet", "--no-input", str(wheel), timeout=900))
    yield box


def test_the_venv_keeps_the_pip_it_came_with(installed: Installed) -> None:
    print(f"pip {installed.pip_version} installed {installed.wheel.name}")
    bundled = subprocess.run([sys.executable, "-c", "import ensurepip; print(ensurepip.version())"],
                             capture_output=True, text=True).stdout.strip()
    assert installed.pip_version == bundled


def test_pip_check_finds_every_requirement_met(installed: Installed) -> None:
    assert "No broken requirements" in _must(installed.run(installed.bin("python"), "-m", "pip", "check"))


def test_every_module_of_the_wheel_imports(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        modules = sorted(
            name.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
            for name in wheel.namelist()
            if name.endswith(".py") and name.split("/")[0] in PACKAGES and not name.endswith("/__main__.py")
        )
    assert "pipelines.extract.fields" in modules and len(modules) > 50
    script = ("import importlib, json, sys\nbad = {}\n"
              "for name in json.loads(sys.argv[1]):\n"
              "    try:\n        importlib.import_module(name)\n"
              "    except BaseException as exc:\n        bad[name] = repr(exc)\n"
              "print(json.dumps(bad))\n")
    done = _must(installed.run(installed.bin("python"), "-c", script, json.dumps(modules)))
    failures = json.loads(done.strip().splitlines()[-1])
    assert failures == {}, "modules of the wheel that do not import in a fresh install:\n" + "\n".join(
        f"  {name}: {error}" for name, error in failures.items())


def test_the_installed_check_extracts_the_bundled_page(installed: Installed) -> None:
    out = _must(installed.run(installed.bin("newsvault"), "check"))
    assert "extract bundled page extracted" in out and "versions trafilatura" in out


def test_the_installed_command_crawls_the_news_network_into_records(
        installed: Installed, shared_dir: Path, tmp_path: Path) -> None:
    with NewsNetwork(shared_dir) as network:
        config = tmp_path / "newsvault.toml"
        config.write_text(network.config_toml(tmp_path / "archive", f"sqlite:///{tmp_path}/state.db"))
        done = installed.run(installed.bin("newsvault"), "--config", str(config), "crawl", "--json")
    assert done.returncode == 0, done.stderr[-4000:]
    manifest = json.loads(done.stdout)
    assert manifest["status"] == "ok"
    assert "extraction_error" not in manifest["counts"]["errors"]
    records = manifest_records(tmp_path / "archive", manifest)
    assert len(records) == manifest["counts"]["archived"] >= len(network.articles) // 2
    assert all(r["text"] and r["title"] for r in records)
