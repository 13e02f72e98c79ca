"""Every place newsvault reaches below a dependency's public API, one test each.

These names are private or undocumented, so a new release may move them without notice, and the code
that hooks them would then fail at run time or, worse, silently stop doing its job. pyproject.toml
bounds each of these packages below its next minor version; when a bound is raised, these tests say
which hook moved and where newsvault uses it.
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class Hook:
    owner: str  # module:attribute path of the class or module hooked
    name: str
    used_by: str
    params: tuple[str, ...] | None = None  # a method's parameters after self, as we call them
    set_in: str | None = None  # an instance attribute: the method of the owner that sets it

    @property
    def id(self) -> str:
        return f"{self.owner}.{self.name}"


HOOKS = (
    Hook("scrapy.core.downloader:Downloader", "_get_slot", "spiders/politeness.py, spiders/retry.py",
         params=("request", "spider")),
    Hook("scrapy.core.downloader:Slot", "delay", "spiders/politeness.py, spiders/retry.py", set_in="__init__"),
    Hook("scrapy.core.downloader:Slot", "lastseen", "spiders/retry.py", set_in="__init__"),
    Hook("scrapy.extensions.throttle:AutoThrottle", "_response_downloaded", "spiders/politeness.py",
         params=("response", "request", "spider")),
    Hook("scrapy.extensions.throttle:AutoThrottle", "_get_slot", "spiders/politeness.py",
         params=("request", "spider")),
    Hook("scrapy.extensions.throttle:AutoThrottle", "mindelay", "spiders/politeness.py", set_in="_spider_opened"),
    Hook("scrapy.downloadermiddlewares.robotstxt:RobotsTxtMiddleware", "process_request_2",
         "spiders/politeness.py", params=("rp", "request")),
    Hook("scrapy.downloadermiddlewares.robotstxt:RobotsTxtMiddleware", "_robotstxt_useragent",
         "spiders/politeness.py", set_in="__init__"),
    Hook("scrapy.downloadermiddlewares.robotstxt:RobotsTxtMiddleware", "_default_useragent",
         "spiders/politeness.py", set_in="__init__"),
    Hook("scrapy.downloadermiddlewares.retry:RetryMiddleware", "_retry", "spiders/retry.py",
         params=("request", "reason")),
    Hook("scrapy.downloadermiddlewares.retry:RetryMiddleware", "retry_http_codes", "spiders/retry.py",
         set_in="__init__"),
    Hook("scrapy.downloadermiddlewares.redirect:BaseRedirectMiddleware", "_redirect", "spiders/redirects.py",
         params=("redirected", "request", "reason")),
    Hook("scrapy.downloadermiddlewares.redirect:MetaRefreshMiddleware", "_ignore_tags", "spiders/redirects.py",
         set_in="__init__"),
    Hook("warcio.warcwriter:WARCWriter", "_write_warc_record", "archive/warc.py (gzip members by ISA-L)",
         params=("out", "record")),
    Hook("warcio.archiveiterator:ArchiveIterator", "INC_RECORD",
         "archive/warc_input.py (its stderr warning logged instead)"),
    Hook("warcio.limitreader:LimitReader", "limit", "archive/warc_input.py (a record cut short)", set_in="__init__"),
    Hook("warcio.recordloader:ArcWarcRecord", "payload_length", "archive/warc_input.py (a record cut short)",
         set_in="__init__"),
    Hook("scrapy.core.scraper:Scraper", "_check_if_closing", "spiders/start_items.py (items of start() settling)",
         params=()),
    Hook("trafilatura.utils:", "HTML_PARSER", "pipelines/extract/fields.py (element classes looked up in C), "
         "pipelines/extract/page_tree.py (the page's parse)"),
    # page_tree.py takes load_html's steps itself, to skip one (tests/test_page_tree.py holds it to load_html)
    *(Hook("trafilatura.utils:", name, "pipelines/extract/page_tree.py (load_html step by step)")
      for name in ("load_html", "DOCTYPE_TAG", "FAULTY_HTML", "INVALID_XML_CHARS")),
    Hook("trafilatura.utils:", "repair_faulty_html", "pipelines/extract/page_tree.py", params=("htmlstring", "beginning")),
    Hook("trafilatura.utils:", "is_dubious_html", "pipelines/extract/page_tree.py", params=("beginning",)),
    Hook("trafilatura.utils:", "fromstring_bytes", "pipelines/extract/page_tree.py", params=("htmlobject",)),
    # library_metadata.py takes extract_metadata's steps itself, to skip two (tests/test_library_metadata.py
    # holds it to extract_metadata), and author_selectors.py walks extract_author's selectors
    *(Hook("trafilatura.metadata:", name, "pipelines/extract/library_metadata.py (extract_metadata step by step)")
      for name in ("extract_metadata", "extract_author", "META_URL")),
    *(Hook("trafilatura.metadata:", name, "pipelines/extract/library_metadata.py", params=("tree",))
      for name in ("examine_meta", "extract_sitename", "extract_title")),
    Hook("trafilatura.metadata:", "extract_meta_json", "pipelines/extract/library_metadata.py", params=("tree", "metadata")),
    Hook("trafilatura.metadata:", "extract_url", "pipelines/extract/library_metadata.py", params=("tree", "default_url")),
    Hook("trafilatura.metadata:", "extract_catstags", "pipelines/extract/library_metadata.py", params=("metatype", "tree")),
    Hook("trafilatura.htmlprocessing:", "prune_unwanted_nodes", "pipelines/extract/library_metadata.py",
         params=("tree", "nodelist")),
    Hook("trafilatura.json_metadata:", "normalize_authors", "pipelines/extract/library_metadata.py",
         params=("current_authors", "author_string")),
    Hook("trafilatura.settings:", "DEFAULT_CONFIG", "pipelines/extract/library_metadata.py (the date parameters)"),
    Hook("trafilatura.settings:", "set_date_params", "pipelines/extract/library_metadata.py", params=("extensive",)),
    Hook("trafilatura.settings:Document", "clean_and_trim", "pipelines/extract/library_metadata.py", params=()),
    Hook("trafilatura.utils:", "trim", "pipelines/extract/library_metadata.py", params=("string",)),
    *(Hook("trafilatura.xpaths:", name, "pipelines/extract/author_selectors.py (translated, text compared)")
      for name in ("AUTHOR_XPATHS", "AUTHOR_DISCARD_XPATHS")),
    *(Hook("trafilatura.xpaths:", name, "pipelines/extract/library_metadata.py (links first; their form is tested)")
      for name in ("CATEGORIES_XPATHS", "TAGS_XPATHS")),
    Hook("trafilatura.utils:", "line_processing", "pipelines/extract/library_metadata.py", params=("line",)),
    Hook("trafilatura.deduplication:", "sample_tokens", "core/simhash.py (trafilatura's simhash, faster)",
         params=("inputstring", "length")),
    Hook("trafilatura.external:", "jt_stoplist_init", "pipelines/extract/warmup.py"),
    Hook("lxml.html:HtmlElementClassLookup", "_default_element_classes", "pipelines/extract/lxml_classes.py"),
    Hook("htmldate.extractors:", "try_date_expr",
         "pipelines/extract/page_meta.py (the dateline), pipelines/extract/rules.py (a date rule's text)",
         params=("string", "outputformat", "extensive_search", "min_date", "max_date")),
    Hook("py3langid.langid:LanguageIdentifier", "_encode", "pipelines/extract/language_scores.py", params=("text",)),
    Hook("py3langid.langid:LanguageIdentifier", "_alias_pairs", "pipelines/extract/language_scores.py",
         set_in="_set_alias_pairs"),
    *(Hook("py3langid.langid:LanguageIdentifier", name, "pipelines/extract/language_scores.py", set_in="__init__")
      for name in ("tk_nextmove", "tk_row", "_rowbase", "tk_output", "nb_ptc", "nb_pc", "nb_classes",
                   "_norm_probs", "min_confidence")),
)


def _owner(path: str) -> object:
    module_name, _, attribute = path.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, attribute) if attribute else module


@pytest.mark.parametrize("hook", HOOKS, ids=lambda h: h.id)
def test_the_hooked_name_is_still_there(hook: Hook) -> None:
    owner = _owner(hook.owner)
    where = f"{hook.id}, which {hook.used_by} hooks"
    if hook.set_in is not None:
        setter = getattr(owner, hook.set_in, None)
        assert setter is not None, f"{where}: {hook.owner} no longer has {hook.set_in}()"
        assert f"self.{hook.name}" in inspect.getsource(setter), (
            f"{where}: {hook.owner}.{hook.set_in}() no longer sets self.{hook.name}")
        return
    assert hasattr(owner, hook.name), f"{where}: gone from this version; adapt newsvault before raising the bound"
    if hook.params is not None:
        params = [p for p in inspect.signature(getattr(owner, hook.name)).parameters if p != "self"]
        assert tuple(params[:len(hook.params)]) == hook.params, (
            f"{where}: its parameters are now {params}, newsvault calls it with {list(hook.params)}")


def test_autothrottle_still_listens_through_the_method_we_override() -> None:
    source = inspect.getsource(_owner("scrapy.extensions.throttle:AutoThrottle").__init__)  # type: ignore[attr-defined]
    assert "self._response_downloaded" in source, (
        "AutoThrottle no longer connects _response_downloaded: spiders/politeness.py's Crawl-delay floor is dead")


def test_warcio_still_says_non_chunked_gzip_for_one_gzip_stream_over_a_whole_file() -> None:
    # archive/warc_input.py reads such a file again through gzip when warcio raises with this message
    assert "non-chunked gzip" in _owner("warcio.archiveiterator:ArchiveIterator").GZIP_ERR_MSG  # type: ignore[attr-defined]
