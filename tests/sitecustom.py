"""Broken installations, made real: a `sitecustomize` on PYTHONPATH that every process of a crawl runs
(the crawl process, extraction's server and its workers), as a broken site-packages would be."""

from __future__ import annotations

import os
from pathlib import Path

# Blocks a module as if pip had left it out (pip before 23.3 leaves out lxml_html_clean when it is
# asked for only through justext's `lxml[html_clean]`).
_BLOCK = '''
import sys

class _Missing:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == {module!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None

sys.meta_path.insert(0, _Missing())
'''

# Makes extraction raise on pages carrying the marker, as a page that trips a bug in a parser would.
_BREAK = '''
import importlib.util
import sys

class _Breaker:
    def find_spec(self, name, path=None, target=None):
        if name != "pipelines.extract.fields":
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            real = module.extract_fields

            def extract_fields(url, body, headers, *rest):
                if {marker!r} in body:
                    raise ValueError("this page breaks the extractor")
                return real(url, body, headers, *rest)

            module.extract_fields = extract_fields

        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, _Breaker())
'''


# Makes the archive folder refuse the first part whose key holds the marker, as a full disk would.
_REFUSE = '''
import archive.fs_store
from archive.store_types import StoreError

_publish = archive.fs_store.FSStore.publish
_refused = []

def publish(self, staged, key, *, sha256=None):
    if {marker!r} in key and not _refused:
        _refused.append(key)
        raise StoreError(f"cannot publish {{key!r}}: no space left on device (test)")
    return _publish(self, staged, key, sha256=sha256)

archive.fs_store.FSStore.publish = publish
'''

# Makes the crawl process die as the run closes, before its manifest: as a kill -9 or the OOM killer would.
_DIE = '''
import importlib.util
import os
import sys

class _Dier:
    def find_spec(self, name, path=None, target=None):
        if name != "pipelines.archive":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            module.ArchivePipeline.spider_closed = lambda self, spider, reason: os._exit(137)

        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, _Dier())
'''


def _env(folder: Path, code: str) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(code)
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")]))}


def without_module(folder: Path, module: str) -> dict[str, str]:
    """An environment in which `module` cannot be imported."""
    return _env(folder, _BLOCK.format(module=module))


def breaking_pages_with(folder: Path, marker: bytes) -> dict[str, str]:
    """An environment in which extracting a page that holds `marker` raises ValueError."""
    return _env(folder, _BREAK.format(marker=marker))


def refusing_first_part_with(folder: Path, marker: str) -> dict[str, str]:
    """An environment in which the archive folder refuses to publish the first part whose key holds
    `marker` (once per process)."""
    return _env(folder, _REFUSE.format(marker=marker))


def dying_before_the_manifest(folder: Path) -> dict[str, str]:
    """An environment in which a crawl process exits abruptly when its run closes, leaving it "running"."""
    return _env(folder, _DIE)


# Kills the process group (as kill -9 of a process and its extraction workers would) right after an
# import journals its first finished input. Run the command in a session of its own.
_DIE_AFTER_FIRST_INPUT = '''
import os
import signal
import archive.import_journal

_done = archive.import_journal.ImportJournal.input_done

def input_done(self, identity, entry):
    _done(self, identity, entry)
    os.killpg(os.getpgrp(), signal.SIGKILL)

archive.import_journal.ImportJournal.input_done = input_done
'''


def dying_after_first_imported_input(folder: Path) -> dict[str, str]:
    """An environment in which `newsvault import`, started in a session of its own, is killed with its
    extraction workers once its first input is journaled as done."""
    return _env(folder, _DIE_AFTER_FIRST_INPUT)


# Sends the import its own SIGINT (Ctrl-C) as it hands its n-th capture to the pipelines.
_INTERRUPT_AFTER_CAPTURES = '''
import os
import signal
import spiders.importer

_item = spiders.importer.ImportSpider._item

def _interrupting(self, pipeline, capture):
    item = _item(self, pipeline, capture)
    if self.captures == {captures}:
        os.kill(os.getpid(), signal.SIGINT)
    return item

spiders.importer.ImportSpider._item = _interrupting
'''


def interrupting_import_after(folder: Path, captures: int) -> dict[str, str]:
    """An environment in which `newsvault import` gets a SIGINT, as from Ctrl-C, as it hands its
    `captures`-th capture to the pipelines (others are still being extracted)."""
    return _env(folder, _INTERRUPT_AFTER_CAPTURES.format(captures=captures))
