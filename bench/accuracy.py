"""Extraction accuracy: newsvault's extract_fields next to plain trafilatura, on the labelled corpora.

Both extractors get the same pages of ../shared/corpora (its README.md describes the format):
newsvault is ``pipelines.extract.fields.extract_fields`` with the default ``ExtractOptions`` (a page
it finds no article in, ``NotAnArticle``, counts as empty output); the baseline is
``trafilatura.bare_extraction(raw bytes, url=..., with_metadata=True)`` with trafilatura's defaults.

Measured per corpus, side by side:

- text: precision / recall / F1 of the extracted text against the reference body, as a bag of
  lower-cased ``\\w+`` tokens (characters, for references written without spaces), mean over pages;
  both texts in NFC first, here and in the Zyte formula: a page may spell "ü" as "u" and a combining
  mark, which ``\\w+`` splits into two tokens, and newsvault writes its records in NFC; and without
  invisible characters (soft hyphens, zero-width spaces; not the joiners, which words are spelled
  with): a page's hyphenation hints ("Brenn\\xadpunkt") split a word in two the same way, and
  newsvault and trafilatura both drop them;
  next to it the Zyte benchmark's own formula (4-gram shingles, F1 of the mean precision and the mean
  recall), the one behind the published figures in zyte_article_extraction_benchmark/RESULTS_published.txt;
- boilerplate: share of pages whose text holds an interface phrase ("Share this article", "Leave a
  reply", "3 min read", cookie notices, ... in 8 languages) that the page's reference does not hold;
- title (exact, and close: same after folding case and punctuation, or 90 % similar), authors
  (precision and recall by name), date (the right calendar day);
- trafilatura_eval: the share of its must-have snippets found and of its must-not-have ones absent;
- a boilerplate set: every Zyte benchmark page with a block of interface boilerplate injected (one
  of 8 languages, 4 markups with meaningless class names, inside the article or at the end of the
  body; chosen per page from its id): how many of the 12 injected texts leak into the extracted
  text, and text F1 with the block next to F1 on the same page re-serialised without it.

Then one summary over all corpora. Run from the repository root:

    .venv/bin/python bench/accuracy.py                    # everything, 2 processes: about 2.5 minutes
    .venv/bin/python bench/accuracy.py --corpus fundus_publisher_tests --show-failures date
    .venv/bin/python bench/accuracy.py --corpus boilerplate --boilerplate-all 3   # 64 variants x 3 pages
    .venv/bin/python bench/accuracy.py --limit 20 --workers 4 --json /tmp/accuracy.json

Each page costs about 0.1 s of CPU for both extractors together; the full run is ~1,350 pages.
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import html
import json
import logging
import multiprocessing
import random
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"

EXTRACTORS = ("newsvault", "trafilatura")
ZYTE = "zyte_article_extraction_benchmark"
CORPUS_NAMES = (ZYTE, "fundus_publisher_tests", "fundus_evaluation", "newspaper4k_tests", "trafilatura_eval")
BOILERPLATE_SET = "boilerplate"
FAILURE_FIELDS = ("title", "authors", "date", "text", "boilerplate")
MAX_FAILURES = 20
PLACEHOLDER_URL = "https://example.com/article/{id}"


# -- text normalisation ---------------------------------------------------------------------------

_WORD = re.compile(r"\w+")
# (not the joiners U+200C, U+200D: Persian, Hindi, Malayalam spell words with them)
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")


def visible(text: str) -> str:
    """NFC, without invisible characters (see the module docstring)."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFC", text))


def squash(text: str) -> str:
    """visible() with whitespace collapsed: the form for exact comparisons."""
    return " ".join(visible(text).split())


def loose(text: str) -> str:
    """NFKC, case folded, punctuation and symbols turned into spaces, whitespace collapsed."""
    folded = unicodedata.normalize("NFKC", visible(text)).casefold()
    return " ".join("".join(" " if unicodedata.category(c)[0] in "PS" else c for c in folded).split())


def spaceless(reference: str) -> bool:
    """A reference with fewer than one space per 20 characters (Chinese, Japanese, Thai...)."""
    return sum(c.isspace() for c in reference) * 20 < len(reference)


def tokens(text: str, by_character: bool) -> list[str]:
    text = visible(text)  # see the module docstring
    if by_character:
        return [c for c in text.casefold() if not c.isspace()]
    return _WORD.findall(text.lower())


def contains_words(outer: str, inner: str) -> bool:
    """Whether the words of `inner` occur, in order and whole, in `outer` (both already loose)."""
    return bool(inner) and f" {inner} " in f" {outer} "


# -- the corpora ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """One labelled page; a reference left None is not labelled on this page."""

    corpus: str
    page_id: str
    html_file: Path
    gzipped: bool
    encoding: str | None
    url: str
    text: str | None = None
    title: str | None = None
    authors: tuple[str, ...] | None = None
    date: str | None = None
    snippets_with: tuple[str, ...] = ()
    snippets_without: tuple[str, ...] = ()
    snippets_labelled: bool = False

    @property
    def key(self) -> str:
        return f"{self.corpus}/{self.page_id}"

    @property
    def boilerplate_reference(self) -> str:
        """What a boilerplate phrase found in the output is excused by: the page's own text."""
        return self.text or "\n".join(self.snippets_with)


def load_corpus(name: str, limit: int | None) -> list[Page]:
    folder = CORPORA / name
    pages: list[Page] = []
    missing = 0
    for line in (folder / "index.jsonl").read_text(encoding="utf-8").splitlines():
        if limit is not None and len(pages) >= limit:
            break
        if line.strip():
            row = json.loads(line)
            pages.append(_page(folder, name, row))
            reference_file = row.get("expected_text_path")
            missing += bool(reference_file) and not (folder / reference_file).is_file()
    if missing:
        print(f"accuracy: {name}: {missing} rows name an expected_text_path file that is not there; "
              "their text is scored only where the row holds it", file=sys.stderr)
    return pages


def _page(folder: Path, corpus: str, row: dict[str, Any]) -> Page:
    return Page(
        corpus=corpus,
        page_id=str(row["id"]),
        html_file=folder / row["html_path"],
        gzipped=row.get("html_compression", "gzip") == "gzip",
        encoding=row.get("html_encoding"),
        url=_page_url(row),
        **_references(corpus, folder, row),
    )


def _page_url(row: dict[str, Any]) -> str:
    """The page's address; a placeholder where it has none, or none extract_fields accepts (a few
    trafilatura_eval rows hold "hard::name.html" or a mistyped scheme), for both extractors alike."""
    url = row.get("url")
    if isinstance(url, str) and url.lower().startswith(("http://", "https://")):
        return url
    return PLACEHOLDER_URL.format(id=row["id"])


def _references(corpus: str, folder: Path, row: dict[str, Any]) -> dict[str, Any]:
    expected: dict[str, Any] = row.get("expected") or {}
    if corpus == ZYTE:
        return {"text": _text(expected.get("articleBody"))}
    if corpus == "fundus_evaluation":
        return {"text": _text("\n".join(expected.get("body_paragraphs") or []))}
    if corpus == "fundus_publisher_tests":
        return {"text": _text(expected.get("body_text")), "title": _text(expected.get("title")),
                "authors": _name_list(expected["authors"]) if "authors" in expected else None,
                "date": _text(expected.get("date"))}
    if corpus == "newspaper4k_tests":
        text = _text(expected.get("text")) or _text_file(folder, row.get("expected_text_path"))
        return {"text": text, "title": _text(expected.get("title")),
                "authors": _name_list(expected["authors"]) if "authors" in expected else None,
                "date": _text(expected.get("publish_date"))}
    if corpus == "trafilatura_eval":
        labelled = (bool(row.get("annotated", True)) and row.get("split", "dev") == "dev"
                    and "with" in expected)
        return {"title": _text(expected.get("title")),
                "authors": split_author_label(expected["author"]) if "author" in expected else None,
                "date": _text(expected.get("date")),
                "snippets_with": tuple(expected.get("with") or ()) if labelled else (),
                "snippets_without": tuple(expected.get("without") or ()) if labelled else (),
                "snippets_labelled": labelled}
    raise ValueError(f"unknown corpus {corpus}")


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _text_file(folder: Path, relative: str | None) -> str | None:
    """A reference kept in its own file (newspaper4k_tests); None when the file is not there."""
    if not relative or not (folder / relative).is_file():
        return None
    return _text((folder / relative).read_text(encoding="utf-8"))


def _name_list(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return split_author_label(value)
    return tuple(str(name).strip() for name in value or () if str(name).strip())


_BY = re.compile(r"^(?:by|von|par|por|di|door)\s+", re.IGNORECASE)
_AND = re.compile(r"\s+(?:and|und|&|et|y|e|и)\s+", re.IGNORECASE)


def split_author_label(label: str | list[str]) -> tuple[str, ...]:
    """trafilatura_eval labels authors as one string: "A", "A; B", "A, B", "A und B", "Von A und B",
    and sometimes "Name, Place" or "Name, Redaktion". Split on ";" always; on "," keeping the pieces of
    two words or more (a lone word there is a place or a role), the whole when none is; on and/und/&
    only when every side has two words or more ("Herz und Blut" is a blog's name)."""
    if isinstance(label, list):
        return _name_list(label)
    names: list[str] = []
    for part in label.split(";"):
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        named = [p for p in pieces if len(p.split()) >= 2]
        for piece in named or ([part.strip()] if part.strip() else []):
            piece = _BY.sub("", piece)
            sides = [s.strip() for s in _AND.split(piece)]
            names.extend(sides if all(len(s.split()) >= 2 for s in sides) else [piece])
    return tuple(n for n in names if n)


def read_html(page: Page) -> bytes:
    raw = page.html_file.read_bytes()
    return gzip.decompress(raw) if page.gzipped else raw


# -- the injected boilerplate ---------------------------------------------------------------------


class BlockTexts(NamedTuple):
    share: str
    reply: str
    email: str
    subscribe: str
    min_read: str
    read_more: str
    related: str
    ad: str
    signup: str
    headlines: tuple[str, str, str, str]  # made up: one after "Read more:", three under "Related"


BLOCKS: dict[str, BlockTexts] = {
    "en": BlockTexts(
        "Share This Article", "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
        "Subscribe to our newsletter", "3 Min Read", "Read more:", "Related articles", "Advertisement",
        "Sign up for our daily newsletter and get the best stories in your inbox",
        ("City council approves new budget for harbour repairs",
         "Local bakery wins national award for its sourdough bread",
         "Storm warning issued for the coast this weekend",
         "University opens new research centre for renewable energy")),
    "de": BlockTexts(
        "Diesen Artikel teilen", "Schreibe einen Kommentar",
        "Deine E-Mail-Adresse wird nicht veröffentlicht. Erforderliche Felder sind mit * markiert",
        "Abonnieren Sie unseren Newsletter", "3 Min. Lesezeit", "Mehr lesen:", "Ähnliche Artikel", "Anzeige",
        "Melden Sie sich für unseren täglichen Newsletter an und erhalten Sie die besten Geschichten "
        "direkt in Ihr Postfach",
        ("Stadtrat beschließt neuen Haushalt für die Sanierung des Hafens",
         "Bäckerei aus der Region gewinnt Preis für ihr Sauerteigbrot",
         "Unwetterwarnung für die Küste am Wochenende",
         "Universität eröffnet neues Forschungszentrum für erneuerbare Energien")),
    "fr": BlockTexts(
        "Partager cet article", "Laisser un commentaire",
        "Votre adresse e-mail ne sera pas publiée. Les champs obligatoires sont indiqués avec *",
        "Abonnez-vous à notre newsletter", "3 min de lecture", "Lire aussi :", "Articles similaires",
        "Publicité",
        "Inscrivez-vous à notre newsletter quotidienne et recevez les meilleurs articles dans votre "
        "boîte de réception",
        ("Le conseil municipal adopte un nouveau budget pour la rénovation du port",
         "Une boulangerie locale primée pour son pain au levain",
         "Alerte aux orages sur le littoral ce week-end",
         "L'université inaugure un centre de recherche sur les énergies renouvelables")),
    "es": BlockTexts(
        "Comparte este artículo", "Deja una respuesta",
        "Tu dirección de correo electrónico no será publicada. Los campos obligatorios están marcados con *",
        "Suscríbete a nuestro boletín", "3 min de lectura", "Leer más:", "Artículos relacionados",
        "Publicidad",
        "Regístrate en nuestro boletín diario y recibe las mejores historias en tu bandeja de entrada",
        ("El ayuntamiento aprueba un nuevo presupuesto para reparar el puerto",
         "Una panadería local gana un premio nacional por su pan de masa madre",
         "Alerta por tormentas en la costa este fin de semana",
         "La universidad abre un centro de investigación en energías renovables")),
    "it": BlockTexts(
        "Condividi questo articolo", "Lascia un commento",
        "Il tuo indirizzo email non sarà pubblicato. I campi obbligatori sono contrassegnati *",
        "Iscriviti alla nostra newsletter", "3 minuti di lettura", "Leggi anche:", "Articoli correlati",
        "Pubblicità",
        "Registrati alla nostra newsletter quotidiana e ricevi le storie migliori nella tua casella di posta",
        ("Il consiglio comunale approva il nuovo bilancio per i lavori al porto",
         "Un forno di quartiere premiato per il suo pane a lievitazione naturale",
         "Allerta maltempo sulla costa per il fine settimana",
         "L'università inaugura un centro di ricerca sulle energie rinnovabili")),
    "pt": BlockTexts(
        "Compartilhe este artigo", "Deixe um comentário",
        "O seu endereço de email não será publicado. Campos obrigatórios são marcados com *",
        "Assine a nossa newsletter", "3 min de leitura", "Leia mais:", "Artigos relacionados", "Publicidade",
        "Inscreva-se na nossa newsletter diária e receba as melhores histórias na sua caixa de entrada",
        ("Câmara municipal aprova novo orçamento para obras no porto",
         "Padaria local ganha prêmio nacional pelo seu pão de fermentação natural",
         "Alerta de tempestade para o litoral neste fim de semana",
         "Universidade inaugura centro de pesquisa em energias renováveis")),
    "nl": BlockTexts(
        "Deel dit artikel", "Geef een reactie",
        "Je e-mailadres wordt niet gepubliceerd. Vereiste velden zijn gemarkeerd met *",
        "Abonneer je op onze nieuwsbrief", "3 min leestijd", "Lees ook:", "Gerelateerde artikelen",
        "Advertentie",
        "Meld je aan voor onze dagelijkse nieuwsbrief en ontvang de beste verhalen in je inbox",
        ("Gemeenteraad keurt nieuwe begroting voor herstel van de haven goed",
         "Lokale bakker wint landelijke prijs voor zijn zuurdesembrood",
         "Stormwaarschuwing voor de kust dit weekend",
         "Universiteit opent nieuw onderzoekscentrum voor duurzame energie")),
    "ru": BlockTexts(
        "Поделиться статьёй", "Добавить комментарий",
        "Ваш адрес email не будет опубликован. Обязательные поля помечены *",
        "Подпишитесь на нашу рассылку", "3 мин чтения", "Читайте также:", "Похожие статьи", "Реклама",
        "Подпишитесь на нашу ежедневную рассылку и получайте лучшие материалы на свою почту",
        ("Городской совет утвердил новый бюджет на ремонт порта",
         "Местная пекарня получила национальную премию за хлеб на закваске",
         "На побережье объявлено штормовое предупреждение на выходные",
         "Университет открыл исследовательский центр возобновляемой энергетики")),
}
STYLES = ("div", "section", "p", "span")
POSITIONS = ("inside", "after")


@dataclass(frozen=True)
class Variant:
    language: str
    style: str
    position: str

    @property
    def name(self) -> str:
        return f"{self.language}-{self.style}-{self.position}"


def variant_for(page_id: str) -> Variant:
    """One language, markup and position per page, the same on every run."""
    rng = random.Random(f"accuracy-boilerplate:{page_id}")
    return Variant(rng.choice(sorted(BLOCKS)), rng.choice(STYLES), rng.choice(POSITIONS))


def all_variants() -> list[Variant]:
    return [Variant(lang, style, pos) for lang in sorted(BLOCKS) for style in STYLES for pos in POSITIONS]


def injected_texts(language: str) -> list[str]:
    """The 12 texts one injected block holds, each looked for in the extracted text."""
    b = BLOCKS[language]
    return [b.share, b.min_read, f"{b.read_more} {b.headlines[0]}", b.related, *b.headlines[1:], b.ad,
            b.subscribe, b.signup, b.reply, b.email]


def block_html(variant: Variant) -> str:
    """The block, in markup whose tags and class names say nothing of what it holds."""
    b = BLOCKS[variant.language]
    e = html.escape
    links = "".join(f'<li><a href="/story/{4100 + i}.html">{e(h)}</a></li>'
                    for i, h in enumerate(b.headlines[1:]))
    read_more = f'{e(b.read_more)} <a href="/story/4099.html">{e(b.headlines[0])}</a>'
    texts = [b.share, b.min_read]
    tail = [b.ad, b.subscribe, b.signup, b.reply, b.email]
    if variant.style == "div":
        item = '<div class="c-7kq">{}</div>'.format
        related = f'<div class="c-3mz"><div>{e(b.related)}</div><ul>{links}</ul></div>'
        inner = [*map(item, map(e, texts)), item(read_more), related, *map(item, map(e, tail))]
        return '<div class="c-2x9">' + "".join(inner) + "</div>"
    if variant.style == "span":
        item = "<div><span>{}</span></div>".format
        inner = [*map(item, map(e, texts)), item(read_more),
                 f"<div><span>{e(b.related)}</span><ul>{links}</ul></div>", *map(item, map(e, tail))]
        return '<div class="u8">' + "".join(inner) + "</div>"
    item = "<p>{}</p>".format
    inner = [*map(item, map(e, texts)), item(read_more), item(e(b.related)), f"<ul>{links}</ul>",
             *map(item, map(e, tail))]
    if variant.style == "section":
        return '<section class="blk">' + "".join(inner) + "</section>"
    return "".join(inner)  # "p": bare siblings of the article's own paragraphs


def rewrite_page(body: bytes, encoding: str, reference: str, variant: Variant | None) -> tuple[bytes, str]:
    """The page parsed and serialised by lxml, with the variant's block inserted when there is one;
    and where it went."""
    import lxml.html

    doc = lxml.html.document_fromstring(body, parser=lxml.html.HTMLParser(encoding=encoding))
    where = "none"
    if variant is not None:
        fragments = lxml.html.fragments_fromstring(block_html(variant))
        elements = [el for el in fragments if not isinstance(el, str)]
        where = _insert(doc, elements, reference, variant.position)
    doctype = doc.getroottree().docinfo.doctype or None
    return lxml.html.tostring(doc, encoding=encoding, method="html", doctype=doctype), where


def _insert(doc: Any, elements: list[Any], reference: str, position: str) -> str:
    body = doc.find("body")
    if body is None:
        body = doc
    if position == "after":
        body.extend(elements)
        return "end of body"
    anchor = _last_body_paragraph(doc, reference)
    if anchor is not None:
        previous = anchor
        for element in elements:
            previous.addnext(element)
            previous = element
        return "after last body <p>"
    articles = doc.xpath("//article")
    if articles:
        max(articles, key=lambda a: len(a.text_content())).extend(elements)
        return "end of <article>"
    paragraphs = doc.xpath("//p")
    if paragraphs:
        max(paragraphs, key=lambda p: len(p.text_content())).getparent().extend(elements)
        return "end of longest <p>'s parent"
    body.extend(elements)
    return "end of body (no anchor)"


def _last_body_paragraph(doc: Any, reference: str) -> Any | None:
    """The <p> starting like the reference's last paragraph (or, failing that, like one of the four
    before it): the end of the article body as the page lays it out."""
    paragraphs = [squash(line) for line in reference.splitlines() if len(squash(line)) >= 20]
    texts = [(p, squash(p.text_content())) for p in doc.iter("p")]
    for paragraph in reversed(paragraphs[-5:]):
        found = [p for p, text in texts if text.startswith(paragraph[:40])]
        if found:
            return found[-1]
    return None


def count_leaks(extracted: str, baseline: str, language: str) -> int:
    """How many of the injected texts the extracted text holds more often than the baseline (the
    same extractor's text of the page without the block, or the reference when that is longer)."""
    hay, base = f" {loose(extracted)} ", f" {loose(baseline)} "
    leaks = 0
    for text in injected_texts(language):
        needle = f" {loose(text)} "
        leaks += hay.count(needle) > base.count(needle)
    return leaks


# -- boilerplate phrases in real pages ------------------------------------------------------------

_PHRASES = [
    "share this article", "share this story", "leave a reply", "leave a comment",
    "your email address will not be published", "required fields are marked",
    "subscribe to our newsletter", "sign up for our newsletter", "min read", "read more:",
    "related articles", "we use cookies", "this website uses cookies", "this site uses cookies",
    "accept all cookies", "wir verwenden cookies", "diese website verwendet cookies",
    "nous utilisons des cookies", "utilizamos cookies", "utilizziamo i cookie", "wij gebruiken cookies",
    "мы используем файлы cookie",
    # what comment, newsletter and log-in forms and embeds print when their script did not run
    "your comment is awaiting moderation", "kommentare werden geladen", "um einen kommentar zu hinterlassen",
    "please enter a valid email address", "bitte geben sie ihre e-mail-adresse ein",
    "view this post on instagram", "sieh dir diesen beitrag auf instagram an", "story continues below",
    "passer la publicité",
    # the site asking its readers for money, and its pointers to more of its pages
    "unterstütze unsere arbeit", "brauchen wir deine unterstützung", "sichere diesen journalismus",
    "support independent journalism", "independent journalism needs your support", "wesprzyj nas",
    "enjoying our latest content", "for more stories like this", "escucha esta nota",
]
for _b in BLOCKS.values():
    _PHRASES += [_b.share, _b.reply, _b.email.split(". ")[0], _b.subscribe,
                 re.sub(r"^\d+\s*", "", _b.min_read), _b.read_more, _b.related]
# only as a line of their own: as words they belong to plenty of articles
_LINE_PHRASES = {loose(p) for p in [*(_b.ad for _b in BLOCKS.values()), "werbung", "sponsored"]}


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    start = r"(?<!\w)" if phrase[0].isalnum() else ""
    end = r"(?!\w)" if phrase[-1].isalnum() else ""
    return re.compile(start + re.escape(phrase) + end)


BOILERPLATE_PATTERNS = {
    p: _phrase_pattern(p) for p in dict.fromkeys(" ".join(unicodedata.normalize("NFKC", x).casefold().split())
                                                  for x in _PHRASES)
}


def boilerplate_phrases(text: str) -> set[str]:
    flat = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    found = {phrase for phrase, pattern in BOILERPLATE_PATTERNS.items() if pattern.search(flat)}
    found |= {f"line: {line}" for line in map(loose, text.splitlines()) if line in _LINE_PHRASES}
    return found


# -- running the extractors -----------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    key: str
    page: Page
    variant: Variant | None = None
    rewrite: bool = False  # parse and re-serialise the page (inserting the variant's block, if any)


def _start_worker() -> None:
    """Logs off, and the libraries' first-use set-up done before any page is timed (trafilatura's,
    htmldate's and courlan's tables, the language detector's model; pipelines/extract/warmup.py),
    so that the CPU column holds the pages' own cost: the first page of each process carried up to
    2 s of it, which on a corpus of 17 pages was half its mean."""
    logging.disable(logging.CRITICAL)
    import pipelines.extract.warmup  # noqa: F401  (warms newsvault's extraction on import)
    from pipelines.extract.sample_page import SAMPLE_URL, sample_page

    _trafilatura(SAMPLE_URL, sample_page())


def run_task(task: Task) -> dict[str, Any]:
    """Both extractors on one page, in a worker process."""
    body = read_html(task.page)
    encoding = task.page.encoding
    where = None
    if task.rewrite:
        encoding = encoding or "utf-8"
        body, where = rewrite_page(body, encoding, task.page.text or "", task.variant)
    return {"key": task.key, "where": where,
            "newsvault": _newsvault(task.page.url, body, encoding),
            "trafilatura": _trafilatura(task.page.url, body)}


def _output(status: str, cpu: float, title: Any = None, authors: Sequence[str] = (), date: Any = None,
            text: Any = "", detail: str = "") -> dict[str, Any]:
    text = text if isinstance(text, str) else ""
    if status == "ok" and not text.strip():
        status = "empty"
    return {"status": status, "title": title if isinstance(title, str) else None, "authors": list(authors),
            "date": date if isinstance(date, str) else None, "text": text, "detail": detail,
            "cpu_ms": cpu * 1000}


def _newsvault(url: str, body: bytes, encoding: str | None) -> dict[str, Any]:
    # imported here, in the worker; an import failure (a file mid-edit) stops the run
    from pipelines.extract.fields import extract_fields
    from pipelines.extract.options import ExtractOptions
    from pipelines.extract.worker import NotAnArticle

    headers = {"content-type": f"text/html; charset={encoding}" if encoding else "text/html"}
    start = time.process_time()
    try:
        fields = extract_fields(url, body, headers, ExtractOptions())
    except NotAnArticle as exc:
        return _output("empty", time.process_time() - start, detail=str(exc))
    except Exception as exc:  # one page's bug must not end the run: counted and shown
        return _output("error", time.process_time() - start, detail=f"{type(exc).__name__}: {exc}")
    authors = [str(a) for a in fields.get("authors") or [] if str(a).strip()]
    return _output("ok", time.process_time() - start, fields.get("title"), authors,
                   fields.get("published_at"), fields.get("text"))


def _trafilatura(url: str, body: bytes) -> dict[str, Any]:
    import trafilatura

    start = time.process_time()
    try:
        doc = trafilatura.bare_extraction(body, url=url, with_metadata=True)
    except Exception as exc:
        return _output("error", time.process_time() - start, detail=f"{type(exc).__name__}: {exc}")
    cpu = time.process_time() - start
    if doc is None:
        return _output("empty", cpu)
    meta = doc if isinstance(doc, dict) else doc.as_dict()
    authors = [a.strip() for a in (meta.get("author") or "").split(";") if a.strip()]
    return _output("ok", cpu, meta.get("title"), authors, meta.get("date"), meta.get("text"))


def run_all(tasks: list[Task], workers: int) -> dict[str, dict[str, Any]]:
    # the largest pages first, so that no process is left with a long one at the end
    tasks = sorted(tasks, key=lambda t: t.page.html_file.stat().st_size, reverse=True)
    results: dict[str, dict[str, Any]] = {}
    step = max(1, len(tasks) // 10)
    if workers <= 1:
        _start_worker()
        outputs: Iterable[dict[str, Any]] = map(run_task, tasks)
        _collect(outputs, results, len(tasks), step)
        return results
    with multiprocessing.get_context("fork").Pool(workers, initializer=_start_worker) as pool:
        _collect(pool.imap_unordered(run_task, tasks, chunksize=1), results, len(tasks), step)
    return results


def _collect(
    outputs: Iterable[dict[str, Any]], results: dict[str, dict[str, Any]], total: int, step: int
) -> None:
    start = time.perf_counter()
    for n, result in enumerate(outputs, 1):
        results[result["key"]] = result
        if n % step == 0 or n == total:
            elapsed = time.perf_counter() - start
            print(f"  {n}/{total} pages extracted, {elapsed:.0f} s", file=sys.stderr, flush=True)


# -- scores ---------------------------------------------------------------------------------------

Part = tuple[float, float]  # numerator, denominator: a metric is sum(num) / sum(den) over pages


@dataclass
class Tally:
    parts: dict[tuple[str, str], list[Part]] = field(default_factory=dict)

    def add(self, metric: str, extractor: str, num: float, den: float = 1.0) -> None:
        if den > 0:
            self.parts.setdefault((metric, extractor), []).append((float(num), float(den)))

    def add_all(self, extractor: str, scores: dict[str, Part]) -> None:
        for metric, (num, den) in scores.items():
            self.add(metric, extractor, num, den)

    def value(self, metric: str, extractor: str) -> float | None:
        parts = self.parts.get((metric, extractor), [])
        den = sum(d for _, d in parts)
        return sum(n for n, _ in parts) / den if den else None

    def total(self, metric: str, extractor: str) -> float:
        return sum(n for n, _ in self.parts.get((metric, extractor), []))

    def pages(self, metric: str, extractor: str) -> int:
        return len(self.parts.get((metric, extractor), []))

    def merge(self, other: Tally) -> None:
        for key, parts in other.parts.items():
            self.parts.setdefault(key, []).extend(parts)


def text_scores(reference: str, extracted: str) -> dict[str, Part]:
    """Bag-of-tokens precision, recall and F1, and the Zyte benchmark's shingle precision / recall."""
    by_character = spaceless(reference)
    ref, got = Counter(tokens(reference, by_character)), Counter(tokens(extracted, by_character))
    if not ref:
        return {}
    overlap = sum((ref & got).values())
    precision = overlap / sum(got.values()) if got else 0.0
    recall = overlap / sum(ref.values())
    f1 = 2 * precision * recall / (precision + recall) if overlap else 0.0
    scores = {"text_f1": (f1, 1.0), "text_p": (precision, 1.0), "text_r": (recall, 1.0)}
    tp, fp, fn = zyte_shingle_matching(reference, extracted)
    if tp + fp > 0:
        scores["zyte_p"] = (1.0 if fp == fn == 0 else tp / (tp + fp), 1.0)
    if tp + fn > 0:
        scores["zyte_r"] = (1.0 if fp == fn == 0 else tp / (tp + fn), 1.0)
    return scores


def zyte_shingle_matching(true: str, pred: str, n: int = 4) -> tuple[int, int, int]:
    """True/false positives and false negatives over 4-gram shingles of case-kept \\w+ tokens, as
    scrapinghub/article-extraction-benchmark's evaluate.py counts them."""
    def shingles(text: str) -> Counter[tuple[str, ...]]:
        words = _WORD.findall(visible(text))
        return Counter(tuple(words[i:i + n]) for i in range(max(1, len(words) - n + 1)) if words[i:i + n])

    true_s, pred_s = shingles(true), shingles(pred)
    tp = sum((true_s & pred_s).values())
    return tp, sum(pred_s.values()) - tp, sum(true_s.values()) - tp


def title_scores(reference: str, extracted: str | None) -> dict[str, Part]:
    got = extracted or ""
    exact = squash(reference) == squash(got)
    a, b = loose(reference), loose(got)
    close = bool(b) and (a == b or difflib.SequenceMatcher(None, a, b).ratio() >= 0.9)
    return {"title_exact": (exact, 1.0), "title_close": (close, 1.0)}


def _name_matches(a: str, b: str) -> bool:
    return a == b or contains_words(a, b) or contains_words(b, a)


def author_scores(reference: Sequence[str], extracted: Sequence[str]) -> dict[str, Part]:
    ref = [n for n in map(loose, reference) if n]
    got = [n for n in map(loose, extracted) if n]
    scores: dict[str, Part] = {}
    if got:
        scores["authors_p"] = (sum(any(_name_matches(g, r) for r in ref) for g in got), len(got))
    if ref:
        scores["authors_r"] = (sum(any(_name_matches(g, r) for g in got) for r in ref), len(ref))
    return scores


_DAY = re.compile(r"(\d{4})\D(\d{1,2})\D(\d{1,2})")


def _day(value: str) -> str | None:
    match = _DAY.search(value)
    return f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}" if match else None


def _label_day(reference: str) -> str | None:
    """The labelled day; a label that puts the day before the month ("2022-29-11", in no calendar,
    as a few trafilatura_eval labels are typed) read the one way it can be."""
    match = _DAY.search(reference)
    if not match:
        return None
    year, month, day = match[1], int(match[2]), int(match[3])
    if month > 12 >= day:
        month, day = day, month
    return f"{year}-{month:02d}-{day:02d}"


def _moment(value: str) -> datetime | None:
    """A time with its UTC offset, or None (a date alone, or no offset)."""
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None and len(value.strip()) > 10 else None


def right_day(extracted: str | None, reference: str) -> bool:
    """Same calendar day; or, both with time and offset, the extracted moment on the reference's day
    in the reference's offset."""
    if not extracted:
        return False
    day = _label_day(reference)
    if day is not None and _day(extracted) == day:
        return True
    got, ref = _moment(extracted), _moment(reference)
    return got is not None and ref is not None and got.astimezone(ref.tzinfo).date() == ref.date()


def snippet_scores(page: Page, extracted: str) -> dict[str, Part]:
    text = squash(extracted)
    found = sum(squash(s) in text for s in page.snippets_with)
    absent = sum(squash(s) not in text for s in page.snippets_without)
    return {"snip_with": (found, len(page.snippets_with)),
            "snip_without": (absent, len(page.snippets_without))}


def page_scores(page: Page, out: dict[str, Any]) -> dict[str, Part]:
    ok = out["status"] == "ok"
    text = out["text"] if ok else ""
    scores: dict[str, Part] = {"found": (ok, 1.0), "errors": (out["status"] == "error", 1.0),
                               "cpu_ms": (out["cpu_ms"], 1.0)}
    if page.text:
        scores.update(text_scores(page.text, text))
    if ok:
        leaked = boilerplate_phrases(text) - boilerplate_phrases(page.boilerplate_reference)
        scores["boilerplate"] = (bool(leaked), 1.0)
    if page.title:
        scores.update(title_scores(page.title, out["title"] if ok else None))
    if page.authors is not None:
        scores.update(author_scores(page.authors, out["authors"] if ok else []))
    if page.date:
        scores["date"] = (right_day(out["date"] if ok else None, page.date), 1.0)
    if page.snippets_labelled:
        scores.update(snippet_scores(page, text))
    return scores


# -- failures (--show-failures) -------------------------------------------------------------------


def _clip(value: Any, width: int = 160) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def failure(fld: str, page: Page, scores: dict[str, Part], nv: dict[str, Any], tr: dict[str, Any]
            ) -> tuple[float, list[str]] | None:
    """(sort key, lines) when newsvault got `fld` of this page wrong."""
    ok = nv["status"] == "ok"
    head = f"{page.key}  [{nv['status']}{': ' + nv['detail'] if nv['detail'] else ''}]"
    if fld == "title" and page.title and not scores["title_close"][0]:
        return 0.0, [head, f"  expected: {_clip(page.title)}", f"  got:      {_clip(nv['title'])}",
                     f"  trafilatura: {_clip(tr['title'])}"]
    if fld == "authors" and page.authors is not None:
        p, r = scores.get("authors_p"), scores.get("authors_r")
        if (p and p[0] < p[1]) or (r and r[0] < r[1]):
            return 0.0, [head, f"  expected: {_clip(list(page.authors))}",
                         f"  got:      {_clip(nv['authors'])}", f"  trafilatura: {_clip(tr['authors'])}"]
    if fld == "date" and page.date and not scores["date"][0]:
        return 0.0, [head, f"  expected: {page.date}", f"  got:      {nv['date']}",
                     f"  trafilatura: {tr['date']}"]
    if fld == "text" and page.text and scores.get("text_f1", (1.0, 1.0))[0] < 0.9:
        return scores["text_f1"][0], [head, *_text_diff(page.text, nv["text"] if ok else "", scores)]
    if fld == "boilerplate" and ok and scores.get("boilerplate", (0, 1))[0]:
        leaked = boilerplate_phrases(nv["text"]) - boilerplate_phrases(page.boilerplate_reference)
        return 0.0, [head, f"  phrases: {_clip(sorted(leaked))}"]
    return None


def _text_diff(reference: str, extracted: str, scores: dict[str, Part]) -> list[str]:
    by_character = spaceless(reference)
    ref, got = Counter(tokens(reference, by_character)), Counter(tokens(extracted, by_character))
    missing = " ".join(t for t, _ in (ref - got).most_common(12))
    extra = " ".join(t for t, _ in (got - ref).most_common(12))
    return [f"  F1 {scores['text_f1'][0]:.3f}  P {scores['text_p'][0]:.3f}  R {scores['text_r'][0]:.3f}"
            f"  ({sum(ref.values())} reference tokens, {sum(got.values())} extracted)",
            f"  expected: {_clip(reference)}", f"  got:      {_clip(extracted)}",
            f"  missing tokens: {_clip(missing)}", f"  extra tokens:   {_clip(extra)}"]


# -- tables ---------------------------------------------------------------------------------------

CORPUS_ROWS = (
    ("found", "article found (share of pages)"),
    ("errors", "extractor raised (share of pages)"),
    ("text_f1", "text F1 (tokens, mean over pages)"),
    ("text_p", "text precision"),
    ("text_r", "text recall"),
    ("zyte_f1", "text F1, Zyte formula (4-gram shingles)"),
    ("boilerplate", "boilerplate phrase in text (share)"),
    ("title_exact", "title exact"),
    ("title_close", "title close"),
    ("authors_p", "authors precision (names)"),
    ("authors_r", "authors recall (names)"),
    ("date", "date: right day"),
    ("snip_with", "snippets 'with' found"),
    ("snip_without", "snippets 'without' absent"),
    ("snip_mean", "snippets: mean of the two"),
    ("cpu_ms", "CPU ms per page (mean)"),
)
SUMMARY_METRICS = ("found", "text_f1", "text_p", "text_r", "zyte_f1", "boilerplate", "title_exact",
                   "title_close", "authors_p", "authors_r", "date", "cpu_ms")


def metric_value(tally: Tally, metric: str, extractor: str) -> float | None:
    if metric == "zyte_f1":
        p, r = tally.value("zyte_p", extractor), tally.value("zyte_r", extractor)
        return 2 * p * r / (p + r) if p is not None and r is not None and p + r > 0 else None
    if metric == "snip_mean":
        w, wo = tally.value("snip_with", extractor), tally.value("snip_without", extractor)
        return (w + wo) / 2 if w is not None and wo is not None else None
    if metric == "bp_f1_change":
        a, b = tally.value("bp_f1_injected", extractor), tally.value("bp_f1_clean", extractor)
        return a - b if a is not None and b is not None else None
    if metric == "bp_leaked_total":
        return tally.total("bp_leaked", extractor) if tally.pages("bp_leaked", extractor) else None
    return tally.value(metric, extractor)


def metric_pages(tally: Tally, metric: str) -> str:
    base = {"zyte_f1": "zyte_r", "snip_mean": "snip_with", "bp_f1_change": "bp_f1_injected",
            "bp_leaked_total": "bp_leaked"}.get(metric, metric)
    counts = [tally.pages(base, ext) for ext in EXTRACTORS]
    return str(counts[0]) if len(set(counts)) == 1 else "/".join(map(str, counts))


def _format(metric: str, value: float | None) -> str:
    if value is None:
        return "-"
    if metric in ("cpu_ms", "bp_leaked_total"):
        return f"{value:.0f}"
    return f"{value:+.3f}" if metric == "bp_f1_change" else f"{value:.3f}"


def table_rows(tally: Tally, rows: Iterable[tuple[str, str]]) -> list[tuple[str, str, str, str]]:
    out = []
    for metric, label in rows:
        values = [metric_value(tally, metric, ext) for ext in EXTRACTORS]
        if all(v is None for v in values) or (metric == "errors" and not any(values)):
            continue
        out.append((label, *(_format(metric, v) for v in values), metric_pages(tally, metric)))
    return out


def figures(tally: Tally, rows: Iterable[tuple[str, str]]) -> dict[str, Any]:
    return {metric: {**{ext: metric_value(tally, metric, ext) for ext in EXTRACTORS},
                     "pages": metric_pages(tally, metric)} for metric, _ in rows}


def error_notes(results: Sequence[dict[str, Any]]) -> list[str]:
    """One line per extractor that raised on some pages: how often, and the commonest errors."""
    notes = []
    for ext in EXTRACTORS:
        errors = Counter(r[ext]["detail"].split(":")[0] for r in results if r[ext]["status"] == "error")
        if errors:
            kinds = ", ".join(f"{kind} x{n}" for kind, n in errors.most_common(3))
            notes.append(f"{ext} raised on {sum(errors.values())} pages: {kinds}")
    return notes


def print_table(title: str, rows: list[tuple[str, str, str, str]], notes: Sequence[str] = ()) -> None:
    header = ("metric", *EXTRACTORS, "pages")
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(4)]
    print(f"\n== {title}")
    for row in (header, *rows):
        cells = [row[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True))]
        print("  ".join(cells))
    for note in notes:
        print(f"   {note}")


# -- the boilerplate set --------------------------------------------------------------------------


def boilerplate_tasks(limit: int | None, all_combinations: int) -> list[Task]:
    pages = [p for p in load_corpus(ZYTE, limit) if p.text]
    if all_combinations:
        pairs = [(p, v) for p in pages[:all_combinations] for v in all_variants()]
    else:
        pairs = [(p, variant_for(p.page_id)) for p in pages]
    tasks = [Task(f"{BOILERPLATE_SET}/{p.page_id}/clean", p, None, True) for p, _ in dict.fromkeys(
        (p, None) for p, _ in pairs)]
    tasks += [Task(f"{BOILERPLATE_SET}/{p.page_id}/{v.name}", p, v, True) for p, v in pairs]
    return tasks


def score_boilerplate(tasks: list[Task], results: dict[str, dict[str, Any]]) -> tuple[Tally, Counter[str]]:
    tally, anchors = Tally(), Counter[str]()
    for task in tasks:
        variant, page = task.variant, task.page
        if variant is None or page.text is None:
            continue
        result, clean = results[task.key], results[f"{BOILERPLATE_SET}/{page.page_id}/clean"]
        anchors[result["where"]] += 1
        for ext in EXTRACTORS:
            out, base = result[ext], clean[ext]
            text = out["text"] if out["status"] == "ok" else ""
            base_text = base["text"] if base["status"] == "ok" else ""
            leaks = count_leaks(text, max(base_text, page.text, key=len), variant.language)
            tally.add("bp_f1_clean", ext, text_scores(page.text, base_text)["text_f1"][0])
            tally.add("bp_f1_injected", ext, text_scores(page.text, text)["text_f1"][0])
            tally.add("bp_leaked", ext, leaks)
            for group in ("all", f"position {variant.position}", f"markup {variant.style}",
                          f"language {variant.language}"):
                tally.add(f"bp_any:{group}", ext, leaks > 0)
    return tally, anchors


def boilerplate_rows(tally: Tally, texts_per_block: int) -> list[tuple[str, str]]:
    rows = [("bp_f1_clean", "text F1, page without the block"),
            ("bp_f1_injected", "text F1, page with the block"),
            ("bp_f1_change", "F1 change"),
            ("bp_leaked_total", f"injected texts leaked (total; {texts_per_block} per page)"),
            ("bp_leaked", "injected texts leaked per page (mean)"),
            ("bp_any:all", "pages with any leak (share)")]
    named = {metric.split(":", 1)[1] for metric, _ in tally.parts if metric.startswith("bp_any:")}
    groups = sorted(named - {"all"}, key=lambda g: (g.split()[0] != "position", g.split()[0] != "markup", g))
    return rows + [(f"bp_any:{g}", f"  any leak, {g}") for g in groups]


# -- main -----------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", action="append", choices=[*CORPUS_NAMES, BOILERPLATE_SET],
                        help=f"limit to this corpus (repeatable; '{BOILERPLATE_SET}' is the injected set)")
    parser.add_argument("--limit", type=int, default=None, help="at most N pages per corpus")
    parser.add_argument("--workers", type=int, default=2, help="extraction processes (default 2)")
    parser.add_argument("--json", type=Path, default=None, help="write every figure to this JSON file")
    parser.add_argument("--show-failures", choices=FAILURE_FIELDS, default=None,
                        help=f"print up to {MAX_FAILURES} pages where newsvault got this field wrong")
    parser.add_argument("--boilerplate-all", type=int, default=0, metavar="N",
                        help="boilerplate set: every language x markup x position on the first N pages")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not (CORPORA / "README.md").is_file():
        sys.exit(f"accuracy: no corpora at {CORPORA}: the labelled pages are expected in shared/corpora "
                 "next to the repository")
    started = time.perf_counter()
    selected = args.corpus or [*CORPUS_NAMES, BOILERPLATE_SET]
    corpora = {name: load_corpus(name, args.limit) for name in CORPUS_NAMES if name in selected}
    tasks = [Task(page.key, page) for pages in corpora.values() for page in pages]
    bp_tasks = boilerplate_tasks(args.limit, args.boilerplate_all) if BOILERPLATE_SET in selected else []
    print(f"accuracy: {len(tasks) + len(bp_tasks)} pages, {args.workers} processes", file=sys.stderr)
    try:
        results = run_all(tasks + bp_tasks, args.workers)
    except Exception as exc:
        raise SystemExit(f"accuracy: extraction failed: {type(exc).__name__}: {exc}\n(if pipelines/ is being "
                         "edited, retry once the edit is complete)") from exc

    report: dict[str, Any] = {"corpora": {}, "pages": []}
    overall, failures = Tally(), []
    for name, pages in corpora.items():
        tally = Tally()
        for page in pages:
            result = results[page.key]
            scores = {ext: page_scores(page, result[ext]) for ext in EXTRACTORS}
            for ext in EXTRACTORS:
                tally.add_all(ext, scores[ext])
            report["pages"].append({"corpus": name, "id": page.page_id, **{
                ext: {m: n / d for m, (n, d) in scores[ext].items() if d} for ext in EXTRACTORS}})
            if args.show_failures:
                found = failure(args.show_failures, page, scores["newsvault"], result["newsvault"],
                                result["trafilatura"])
                if found:
                    failures.append(found)
        overall.merge(tally)
        print_table(f"{name} ({len(pages)} pages)", table_rows(tally, CORPUS_ROWS),
                    error_notes([results[page.key] for page in pages]))
        report["corpora"][name] = figures(tally, CORPUS_ROWS)

    if bp_tasks:
        bp_tally, anchors = score_boilerplate(bp_tasks, results)
        rows = boilerplate_rows(bp_tally, len(injected_texts("en")))
        variants = sum(t.variant is not None for t in bp_tasks)
        kind = (f"every combination, first {args.boilerplate_all} pages" if args.boilerplate_all
                else "one per page")
        where = ", ".join(f"{k} {v}" for k, v in anchors.most_common())
        print_table(f"boilerplate set: {ZYTE} pages with an injected block ({variants} variants, {kind})",
                    table_rows(bp_tally, rows), [f"block inserted: {where}"])
        report["boilerplate_set"] = {**figures(bp_tally, rows), "inserted": dict(anchors),
                                     "variants": variants}

    if len(corpora) > 1:
        summary = [(m, label) for m, label in CORPUS_ROWS if m in SUMMARY_METRICS]
        print_table(f"all corpora ({', '.join(corpora)})", table_rows(overall, summary))
        report["overall"] = figures(overall, summary)

    if args.show_failures:
        shown = min(len(failures), MAX_FAILURES)
        print(f"\n== newsvault {args.show_failures} failures: {len(failures)} pages, {shown} shown")
        for _, lines in sorted(failures, key=lambda f: f[0])[:MAX_FAILURES]:
            print("\n".join(lines))

    elapsed = time.perf_counter() - started
    print(f"\n{len(tasks) + len(bp_tasks)} pages in {elapsed:.0f} s with {args.workers} processes")
    if args.json:
        import trafilatura

        report["run"] = {"seconds": round(elapsed, 1), "workers": args.workers, "limit": args.limit,
                         "trafilatura": trafilatura.__version__}
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
