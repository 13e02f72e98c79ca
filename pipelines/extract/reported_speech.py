"""Who said it: the verbs of saying that make a line a story's report of a notice, a form's message or
an appeal, rather than the site's own words.

A story that quotes a cookie banner, a form's error or a donation appeal says who said it ("... the
privacy chief said", "sagte die Sprecherin", "a déclaré le ministre", "laut Polizei"). The lists of
site_notices, form_messages and reader_support each add the verbs of their own kind of report
("... reads the small print", "berichtet die Polizei", "bittet der Verein").

Where the verbs come from: the reporting verbs of the corpora's reference texts in their languages
(en, de, fr, es, it, pt, nl, pl, ru), the words their stories use around a quotation. Matched on the
line's key (line_keys.line_key: casefolded, so "heißt es" is "heisst es").
"""

from __future__ import annotations

import re

SAID = (r"said|says|told|tells?|according to|sagte|sagt|sagten|erklärte|betonte|hiess es|heisst es|laut|"
        r"a déclaré|a dit|dijo|afirmó|ha dicho|ha detto|disse|zei|powiedział\w*|сказал\w*|заявил\w*")
# a line that says who said it: searched on the line's key
REPORTED = re.compile(rf"\b(?:{SAID})\b")
