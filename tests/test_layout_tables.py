"""A story laid out in a table's cell (DedeCMS's default article template, older hand-built sites)
comes out paragraph by paragraph, not as one table row; a table of data stays a table."""

from __future__ import annotations

import pytest

from pipelines.extract.fields import ExtractOptions, extract_fields

STORY = [
    "Thousands of troops launched joint exercises in the north on Monday, after a week of tension at sea.",
    "The annual exercises are focused on defending the north coast of the main island, officials said.",
    "A spokesman said the drills had been planned for months and were aimed at no country in particular.",
]


def _text(body: str) -> str:
    page = (f"<html><head><title>Troops launch exercises</title></head><body><div class='main'>"
            f"<h1>Troops launch exercises</h1>{body}</div></body></html>").encode()
    return extract_fields("https://news.example/2024/10/16/exercises.html", page, {}, ExtractOptions())["text"]


@pytest.mark.parametrize("cell", [
    "".join(f"<p>{p}</p>" for p in STORY),
    "<span class='entry-content'>" + "".join(f"<p>{p}</p>" for p in STORY) + "</span>",
])
def test_the_paragraphs_of_a_story_in_a_tables_cell_are_lines_of_the_text(cell: str) -> None:
    body = f"<div class='content'><table width='100%'><tr><td>{cell}</td></tr></table></div>"

    assert _text(body).splitlines() == STORY


def test_a_storys_length_of_lines_in_one_cell_are_lines_of_the_text() -> None:
    lines = [*STORY, *(f"{p} It was the {n}th time this year." for n, p in enumerate(STORY, start=4))]
    body = f"<table><tr><td><p>{'<br>'.join(lines)}</p></td></tr></table>"

    assert _text(body).splitlines() == lines


def test_a_table_of_data_beside_the_story_stays_a_table() -> None:
    rows = "".join(f"<tr><td>{name}</td><td>{count}</td></tr>" for name, count in [("North", 1200), ("West", 800)])
    # a cell holding one sentence in a paragraph of its own is a datum too
    rows += "<tr><td>East</td><td><p>No troops were moved to the east coast this year, the ministry said on Monday.</p></td></tr>"
    body = "".join(f"<p>{p}</p>" for p in STORY) + f"<table><tr><th>Region</th><th>Troops</th></tr>{rows}</table>"

    assert "| North | 1200 |" in _text(body).splitlines()
