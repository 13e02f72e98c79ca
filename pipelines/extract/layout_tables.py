"""Tables that lay a page out rather than hold data.

Older CMSs (DedeCMS's default article template, many hand-built sites) put the story's paragraphs in
a table's cell: `<table><tr><td><p>...</p><p>...</p></td></tr></table>`. trafilatura writes a table
as rows of cells, so the whole story becomes one line, "| First paragraph ... last paragraph |",
and every paragraph-level rule after it (a bio box, a sign-up pitch, a teaser) sees a single line.
A cell holding several paragraphs is no datum: the table around it is unwrapped into plain blocks,
its rows and cells becoming <div>s, before trafilatura reads the tree. A data table's cells hold a
value, a name or a sentence each, and stay a table.
"""

from __future__ import annotations

from lxml.html import HtmlElement

_BLOCKS = frozenset({"p", "div", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote"})
_TABLE_PARTS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "td", "th"})
_MIN_PARAGRAPHS = 2
_MIN_PARAGRAPH_CHARS = 80  # a paragraph, not a value or a label in a block of its own
_STORY_CHARS = 500  # no datum is that long


def unwrap_layout_tables(tree: HtmlElement) -> None:
    """Turn every table with a cell holding paragraphs into <div>s (the tables around it too)."""
    layout: list[HtmlElement] = []
    for cell in tree.iter("td", "th"):
        if _holds_paragraphs(cell):
            for ancestor in cell.iterancestors("table"):
                layout.append(ancestor)
    for table in dict.fromkeys(layout):
        for part in table.iter(*_TABLE_PARTS):
            if part is table or _nearest_table(part) is table:
                part.tag = "div"
                for name in ("colspan", "rowspan"):
                    part.attrib.pop(name, None)


def _holds_paragraphs(cell: HtmlElement) -> bool:
    """Whether the cell holds paragraphs of its own, as its blocks or <p>s in its inline wrappers
    ("<td><span class=entry-content><p>..."), or a story's length of text in lines ("<td><p>A<br>B<br>...")."""
    if len(cell.text_content()) >= _STORY_CHARS and next(cell.iter("p", "br", "div"), None) is not None:
        return True
    paragraphs = 0
    for child in dict.fromkeys((*cell, *cell.iterdescendants("p"))):  # a child <p> once
        if child.tag in _BLOCKS and len(child.text_content().strip()) >= _MIN_PARAGRAPH_CHARS \
                and (child.getparent() is cell or _nearest_cell(child) is cell):
            paragraphs += 1
            if paragraphs >= _MIN_PARAGRAPHS:
                return True
    return False


def _nearest_cell(element: HtmlElement) -> HtmlElement | None:
    return next(element.iterancestors("td", "th"), None)


def _nearest_table(part: HtmlElement) -> HtmlElement | None:
    return next(part.iterancestors("table"), None)
