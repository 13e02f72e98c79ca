"""A new source's first pages wait, extracted, until its template has learned from enough of its
articles, or until no other page can come; pages of a source it knows already never wait."""

from __future__ import annotations

import asyncio

from pipelines.extract.first_pages import FirstPages
from pipelines.extract.site_template import MIN_ARTICLES, SourceTemplates
from state.backends import open_state


class Quiet:
    """A crawl that has more pages coming until `done` is set."""

    def __init__(self) -> None:
        self.done = False
        self.asked: list[tuple[int, bool]] = []  # (pages waiting, the answer)

    def __call__(self, waiting: int) -> bool:
        self.asked.append((waiting, self.done))
        return self.done


def _first_pages() -> tuple[FirstPages, SourceTemplates, Quiet]:
    templates = SourceTemplates(open_state("sqlite:///:memory:"))
    quiet = Quiet()
    return FirstPages(templates, quiet), templates, quiet


def test_the_first_pages_wait_until_the_template_has_learned_from_enough_articles() -> None:
    first_pages, templates, quiet = _first_pages()
    released: list[int] = []

    async def page(n: int) -> None:
        templates.observe("ledger", f"https://ledger.example/{n}", [n])
        await first_pages.learned("ledger")
        released.append(n)

    async def crawl() -> None:
        waiting = [asyncio.ensure_future(page(n)) for n in range(MIN_ARTICLES - 1)]
        await asyncio.sleep(0.3)
        assert released == [] and first_pages.waiting == MIN_ARTICLES - 1
        await page(MIN_ARTICLES - 1)  # the article that completes what the template learns from
        await asyncio.gather(*waiting)

    asyncio.run(crawl())
    assert sorted(released) == list(range(MIN_ARTICLES))
    assert not first_pages.early("ledger") and first_pages.waiting == 0


def test_when_no_other_page_can_come_every_waiting_page_goes_at_once() -> None:
    first_pages, templates, quiet = _first_pages()

    async def crawl() -> None:
        for n in range(2):
            templates.observe("ledger", f"https://ledger.example/{n}", [n])
        waiting = [asyncio.ensure_future(first_pages.learned("ledger")) for _ in range(2)]
        await asyncio.sleep(0.3)
        assert not any(w.done() for w in waiting)
        quiet.done = True
        await asyncio.wait_for(asyncio.gather(*waiting), timeout=5)

    asyncio.run(crawl())
    # the crawl is asked with every waiting page counted, and one "quiet" sets them all going
    assert max(waiting for waiting, _ in quiet.asked) == 2
    assert [answer for _, answer in quiet.asked].count(True) == 1
    assert first_pages.early("ledger") and first_pages.waiting == 0


def test_a_source_the_template_knows_never_waits() -> None:
    first_pages, templates, quiet = _first_pages()
    for n in range(MIN_ARTICLES):
        templates.observe("ledger", f"https://ledger.example/{n}", [n])

    async def one() -> None:
        await asyncio.wait_for(first_pages.learned("ledger"), timeout=1)

    asyncio.run(one())
    assert quiet.asked == []
    assert first_pages.early("other-source")
