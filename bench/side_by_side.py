"""newsvault's worker function against bare trafilatura.extract, page by page, side by side.

Two processes, one per function (bench/extract_bare.py --serve), take turns page by page, each
going first on every other page, so both functions see the machine as it is at that moment. This
machine is shared: its speed changes by up to 2x within minutes, which two runs one after the other
cannot tell from a difference between the functions. Taken this way, two copies of one function
agree within about 4% over 150 pages.

    python bench/side_by_side.py [--pages N] [--rounds R]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent

FUNCTIONS = {"bare": (), "newsvault": ("--newsvault",)}


def _serve(flags: tuple[str, ...], pages: int | None) -> tuple[subprocess.Popen[str], int]:
    """A serving process, and how many pages it holds."""
    limit = ("--pages", str(pages)) if pages else ()
    process = subprocess.Popen([sys.executable, str(BENCH / "extract_bare.py"), "--serve", *flags, *limit],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO)
    word, _, count = _read(process.stdout).partition(" ")
    if word != "ready":
        raise RuntimeError("extract_bare.py --serve did not start")
    return process, int(count)


def _read(stream: IO[str] | None) -> str:
    assert stream is not None
    for line in stream:
        if line.strip():
            return line.strip()
    raise RuntimeError("extract_bare.py --serve ended early")


def run(pages: int | None = None, rounds: int = 3) -> dict[str, Any]:
    """CPU seconds per function over `rounds` passes of the pages, and each pass's ratio."""
    served = {name: _serve(flags, pages) for name, flags in FUNCTIONS.items()}
    processes = {name: process for name, (process, _) in served.items()}
    counts = {n for _, n in served.values()}
    if len(counts) != 1:
        raise RuntimeError(f"the two processes hold different pages: {sorted(counts)}")
    (count,) = counts
    try:
        passes: list[dict[str, float]] = []
        for _ in range(rounds):
            spent = dict.fromkeys(FUNCTIONS, 0.0)
            for index in range(count):
                order = list(processes.items())
                if index % 2:  # each goes first in turn
                    order.reverse()
                for name, process in order:
                    assert process.stdin is not None
                    process.stdin.write(f"{index}\n")
                    process.stdin.flush()
                    spent[name] += float(_read(process.stdout))
            passes.append(spent)
    finally:
        for process in processes.values():
            assert process.stdin is not None
            process.stdin.close()
            process.wait(timeout=60)
    total = {name: sum(p[name] for p in passes) for name in FUNCTIONS}
    return {"pages": count, "rounds": rounds,
            "ms_per_page": {name: 1000 * total[name] / (count * rounds) for name in FUNCTIONS},
            "ratio": total["newsvault"] / total["bare"],
            "ratios": [p["newsvault"] / p["bare"] for p in passes]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    result = run(args.pages, args.rounds)
    ms = result["ms_per_page"]
    print(f"worker function vs bare, side by side: {ms['newsvault']:.1f} vs {ms['bare']:.1f} ms CPU/page = "
          f"{result['ratio']:.3f}x (passes: {', '.join(f'{r:.3f}x' for r in result['ratios'])}; "
          f"{result['pages']} pages)")


if __name__ == "__main__":
    main()
