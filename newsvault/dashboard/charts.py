"""Small SVG charts rendered on the server: numbers in, markup out, no script in the browser.

Only presentation attributes are used (no ``style``), so a strict Content-Security-Policy holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup


def sparkline(values: Sequence[float | None], *, width: int = 160, height: int = 32, label: str = "",
              maximum: float | None = None) -> Markup:
    """A polyline of ``values`` (oldest first), a dot per run; None values are gaps."""
    points = [(i, v) for i, v in enumerate(values) if v is not None]
    top = maximum if maximum is not None else max((v for _, v in points), default=0) or 1
    step = (width - 8) / max(len(values) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return 4 + i * step, height - 4 - (height - 8) * (v / top if top else 0)

    coords = [xy(i, v) for i, v in points]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    dots = "".join(f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="2" fill="#2563eb"/>' for x, y in coords)
    return Markup(
        f'<svg class="chart sparkline" role="img" aria-label="{escape(label)}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" data-points="{len(coords)}">'
        f"<title>{escape(label)}</title>"
        f'<polyline points="{line}" fill="none" stroke="#2563eb" stroke-width="1.5"/>{dots}</svg>')


def bars(items: Sequence[tuple[str, int]], *, width: int = 240, bar_height: int = 14) -> Markup:
    """Horizontal bars, one per (label, count)."""
    top = max((n for _, n in items), default=0) or 1
    rows = []
    for row, (label, count) in enumerate(items):
        y = row * (bar_height + 4)
        length = max(1.0, (width - 130) * count / top)
        rows.append(f'<text x="0" y="{y + bar_height - 3}" font-size="11">{escape(label)}</text>'
                    f'<rect class="bar" x="100" y="{y}" width="{length:.1f}" height="{bar_height}" fill="#dc2626"/>'
                    f'<text x="{104 + length:.1f}" y="{y + bar_height - 3}" font-size="11">{count}</text>')
    height = max(len(items) * (bar_height + 4), 1)
    return Markup(f'<svg class="chart bars" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
                  f'data-points="{len(items)}">{"".join(rows)}</svg>')
