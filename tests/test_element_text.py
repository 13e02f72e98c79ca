"""element_text is text_content() read another way: it must give the same text for every element."""

from __future__ import annotations

import lxml.html
from lxml import etree

from pipelines.extract.element_text import element_text

PAGE = """<html><body>
<p>Plain <b>bold <i>nested</i></b> tail &amp; entity&nbsp;here<!-- a comment --> after</p>
<ul><li><a href="/a">One link</a></li><li> <a href="/b"><span>Inner</span> text</a> tail </li></ul>
<div><script>var x = 1;</script><style>p {}</style>Text <br>after a break<?pi data?></div>
<figure><img src="x.jpg"><figcaption>Caption — <em>credit</em></figcaption></figure>
<a href="/c"></a><p></p><p>   </p><p>Ünïcödé 中文 <span>\u00a0spaced\u2009</span></p>
</body></html>"""


def test_is_text_content_for_every_element() -> None:
    tree = lxml.html.document_fromstring(PAGE)
    for element in tree.iter(etree.Element):
        assert element_text(element) == element.text_content(), element.tag
