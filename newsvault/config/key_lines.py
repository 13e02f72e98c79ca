"""Where each key of a config file is written: its line, for the problems' messages.

Neither tomllib nor tomlkit keeps line numbers, so `KeyLines` scans the same (already valid) text once.
"""

from __future__ import annotations

import bisect
import contextlib
import re
import tomllib

KeyPath = tuple[str | int, ...]


def format_key(path: KeyPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


class _ScanError(Exception):
    pass


class KeyLines:
    """The line each key of a valid TOML text is written on, by key path.

    Array-of-tables entries and array items get an index in the path (``("sources", 1, "id")``).
    A path not written in the file (a missing key) falls back to its closest written parent.
    """

    _BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
    _SCALAR = re.compile(r"[^,\]}\r\n#]*")

    def __init__(self, text: str) -> None:
        self._text = text
        self._newlines = [i for i, c in enumerate(text) if c == "\n"]
        self._lines: dict[KeyPath, int] = {}
        # line numbers are a courtesy: keep what was learnt, never fail the load over them
        with contextlib.suppress(_ScanError, IndexError, ValueError, tomllib.TOMLDecodeError):
            self._scan()

    def line(self, path: KeyPath) -> int | None:
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return None

    def _line_at(self, index: int) -> int:
        return bisect.bisect_left(self._newlines, index) + 1

    def _record(self, path: KeyPath, index: int) -> None:
        self._lines.setdefault(path, self._line_at(index))

    def _record_key(self, table: KeyPath, keys: KeyPath, index: int) -> None:
        for depth in range(1, len(keys) + 1):
            self._record(table + keys[:depth], index)

    def _scan(self) -> None:
        text, end = self._text, len(self._text)
        table: KeyPath = ()
        arrays: dict[KeyPath, int] = {}
        i = self._skip(0, newlines=True)
        while i < end:
            start = i
            if text.startswith("[[", i):
                keys, i = self._key(i + 2)
                table = self._resolve(keys, arrays, array=True)
                self._record(table, start)
                i = text.index("]]", i) + 2
            elif text[i] == "[":
                keys, i = self._key(i + 1)
                table = self._resolve(keys, arrays, array=False)
                self._record(table, start)
                i = text.index("]", i) + 1
            else:
                keys, i = self._key(i)
                i = self._expect(i, "=")
                self._record_key(table, keys, start)
                i = self._value(self._skip(i), table + keys)
            if i <= start:
                raise _ScanError
            i = self._skip(i, newlines=True)

    @staticmethod
    def _resolve(keys: KeyPath, arrays: dict[KeyPath, int], *, array: bool) -> KeyPath:
        resolved: KeyPath = ()
        for depth, key in enumerate(keys):
            resolved += (key,)
            if array and depth == len(keys) - 1:
                arrays[resolved] = arrays.get(resolved, 0) + 1
                resolved += (arrays[resolved] - 1,)
            elif resolved in arrays:  # [sources.x] after [[sources]] belongs to the latest entry
                resolved += (arrays[resolved] - 1,)
        return resolved

    def _skip(self, i: int, *, newlines: bool = False) -> int:
        text, end = self._text, len(self._text)
        while i < end:
            c = text[i]
            if c in " \t" or (newlines and c in "\r\n"):
                i += 1
            elif c == "#" and newlines:
                j = text.find("\n", i)
                i = end if j < 0 else j
            else:
                break
        return i

    def _expect(self, i: int, char: str) -> int:
        i = self._skip(i)
        if self._text[i] != char:
            raise _ScanError
        return i + 1

    def _key(self, i: int) -> tuple[KeyPath, int]:
        parts: list[str | int] = []
        while True:
            i = self._skip(i)
            if self._text[i] in "\"'":
                j = self._string_end(i)
                parts.append(tomllib.loads(f"k = {self._text[i:j]}")["k"])
            else:
                match = self._BARE_KEY.match(self._text, i)
                if not match:
                    raise _ScanError
                parts.append(match.group())
                j = match.end()
            i = self._skip(j)
            if self._text[i] != ".":
                return tuple(parts), i
            i += 1

    def _string_end(self, i: int) -> int:
        text = self._text
        quote = text[i]
        if text.startswith(quote * 3, i):
            j = i + 3
            while not text.startswith(quote * 3, j):
                j += 2 if quote == '"' and text[j] == "\\" else 1
            j += 3
            for _ in range(2):  # up to two quotes may end the content just before the delimiter
                if j < len(text) and text[j] == quote:
                    j += 1
            return j
        j = i + 1
        while text[j] != quote:
            j += 2 if quote == '"' and text[j] == "\\" else 1
        return j + 1

    def _value(self, i: int, path: KeyPath) -> int:
        text = self._text
        c = text[i]
        if c in "\"'":
            return self._string_end(i)
        if c == "[":
            i += 1
            index = 0
            while True:
                i = self._skip(i, newlines=True)
                if text[i] == "]":
                    return i + 1
                self._record(path + (index,), i)
                start = i
                i = self._skip(self._value(i, path + (index,)), newlines=True)
                if i <= start:
                    raise _ScanError
                if text[i] == ",":
                    i += 1
                    index += 1
        if c == "{":
            i += 1
            while True:
                i = self._skip(i, newlines=True)
                if text[i] == "}":
                    return i + 1
                start = i
                keys, i = self._key(i)
                i = self._skip(self._expect(i, "="))
                self._record_key(path, keys, start)
                i = self._skip(self._value(i, path + keys), newlines=True)
                if text[i] == ",":
                    i += 1
        match = self._SCALAR.match(text, i)
        assert match is not None  # the pattern matches the empty string
        return match.end()
