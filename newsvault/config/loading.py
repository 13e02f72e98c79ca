"""Finding and loading ``newsvault.toml``: the file, its TOML, then its validation."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path

from core.config import CONFIG_ENV_VAR, CONFIG_FILENAME, FILE_KEY, Config, ConfigError, Problem
from newsvault.config.key_lines import KeyLines
from newsvault.config.validate import Checker


def find_config_path(
    cli_path: str | None, env: Mapping[str, str] | None = None, cwd: Path | None = None
) -> Path:
    """``--config``, else ``$NEWSVAULT_CONFIG``, else ``./newsvault.toml``; relative to ``cwd``."""
    env = os.environ if env is None else env
    base = Path.cwd() if cwd is None else Path(cwd)
    chosen = cli_path or env.get(CONFIG_ENV_VAR) or CONFIG_FILENAME
    return base / Path(chosen).expanduser()


def load_config(path: Path | str) -> Config:
    """The validated config at ``path``; :class:`ConfigError` listing every problem otherwise."""
    given = Path(path).expanduser()
    absolute = Path(os.path.abspath(given))
    try:
        text = given.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            [Problem(FILE_KEY, None, "config file not found (pass --config PATH or set $NEWSVAULT_CONFIG)")],
            given,
        ) from None
    except UnicodeDecodeError as exc:
        raise ConfigError([Problem(FILE_KEY, None, f"not UTF-8 text: {exc.reason}")], given) from None
    except OSError as exc:
        raise ConfigError(
            [Problem(FILE_KEY, None, f"cannot read the file: {exc.strerror or exc}")], given
        ) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message, line = _split_decode_error(str(exc), text)
        raise ConfigError([Problem(FILE_KEY, line, f"not valid TOML: {message}")], given) from None
    checker = Checker(KeyLines(text))
    config = checker.config(raw, absolute)
    if checker.problems:
        problems = sorted(checker.problems, key=lambda p: (p.line is None, p.line or 0))
        raise ConfigError(problems, given)
    return config


def _split_decode_error(message: str, text: str) -> tuple[str, int | None]:
    match = re.search(r"\s*\(at line (\d+), column \d+\)$", message)
    if match:
        return message[: match.start()], int(match.group(1))
    match = re.search(r"\s*\(at end of document\)$", message)
    if match:
        return message[: match.start()], text.count("\n") + 1
    return message, None
