"""Webrecorder's own tools, run as commands the way a user runs them: `wacz validate` (py-wacz) and
pywb's `wb-manager` and `wayback`.

They live in a venv of their own (tests/webarchive-tools.txt says why), made on first use with the
interpreter running the tests and kept in the user's cache folder under a name that hashes the
requirements, so an edited list makes a new venv. Concurrent sessions take a file lock while one of
them builds it. When pip cannot install them (no network), the tests that need them are skipped,
saying why.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REQUIREMENTS = Path(__file__).with_name("webarchive-tools.txt")
INSTALL_TIMEOUT_S = 300


def _cache_root() -> Path:
    configured = os.environ.get("NEWSVAULT_TEST_TOOLS_DIR")
    if configured:
        return Path(configured)
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "newsvault-tests"
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError:  # no writable home: the venv is rebuilt per machine boot instead
        root = Path(tempfile.gettempdir()) / "newsvault-tests"
    return root


def tools_bin() -> Path:
    """The bin folder of the tools' venv, built now if needed; skips the test when pip cannot."""
    key = hashlib.sha256(REQUIREMENTS.read_bytes() + sys.version.encode()).hexdigest()[:16]
    venv = _cache_root() / f"webarchive-tools-{key}"
    done = venv / ".installed"
    venv.parent.mkdir(parents=True, exist_ok=True)
    with open(venv.parent / f"{venv.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(venv, ignore_errors=True)  # what a killed build left
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
            try:
                install = subprocess.run(
                    [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                     "--disable-pip-version-check", "-r", str(REQUIREMENTS)],
                    capture_output=True, text=True, timeout=INSTALL_TIMEOUT_S)
                failure = (install.stderr.strip().splitlines() or [f"pip exited with {install.returncode}"])[-1] \
                    if install.returncode != 0 else None
            except subprocess.TimeoutExpired:
                failure = f"pip took more than {INSTALL_TIMEOUT_S} s"
            if failure is not None:
                shutil.rmtree(venv, ignore_errors=True)
                pytest.skip(f"cannot install {REQUIREMENTS.name} into a venv (offline?): {failure}")
            done.touch()
    return venv / "bin"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def wayback(bin_dir: Path, root: Path, timeout_s: float = 60) -> Iterator[str]:
    """pywb's `wayback` serving the collections under ``root`` on 127.0.0.1; yields its base URL."""
    port = _free_port()
    log = open(root / "wayback.log", "wb")  # noqa: SIM115 -- closed below, after the server
    server = subprocess.Popen([str(bin_dir / "wayback"), "--bind", "127.0.0.1", "--port", str(port)],
                              cwd=root, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if server.poll() is not None:
                raise AssertionError(f"wayback exited with {server.returncode}: "
                                     f"{(root / 'wayback.log').read_text(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(base + "/", timeout=5):
                    break
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline:
                    raise AssertionError(f"wayback did not answer on {base} within {timeout_s}s") from None
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        log.close()
