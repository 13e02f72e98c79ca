"""Title, authors and publication time from every signal of the page, ranked."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pipelines.extract.author_ranking import AuthorSignals, Name, credited_agencies, pick_authors
from pipelines.extract.fields import extract_fields
from pipelines.extract.metadata_ranking import TitleSignals, best_title, site_names, strip_site_affix
from pipelines.extract.options import ExtractOptions
from pipelines.extract.publication_time import published_at

NAMES = site_names("https://www.example-zeitung.de/politik/artikel-1.html", "Example Zeitung")


@pytest.mark.parametrize(("title", "names", "authors"), [
    ("Harbour reopens after storm | Example Zeitung", NAMES, ()),
    ("Harbour reopens after storm - Example-Zeitung.de", NAMES, ()),
    ("Harbour reopens after storm｜Example DIGITAL", site_names("https://example.jp/a/1", "Example"), ()),
    ("Harbour reopens after storm | Example Site | by A. Writer", site_names("https://examplesite.com/a", "Example Site"),
     ("A. Writer",)),
    ("Example Zeitung | Harbour reopens after storm", NAMES, ()),
    ("Harbour reopens after storm | DW | 28.04.2023", site_names("https://www.dw.com/de/a", "DW"), ()),
    ("EXAMPLE NEWS|Harbour reopens after storm", site_names("https://example.jp/a", "EXAMPLE NEWS"), ()),
    ("Harbour reopens after stormㅣ예제일보", site_names("https://www.example.co.kr/a", "예제일보"), ()),
    ("Harbour reopens after storm │ Example Zeitung", NAMES, ()),
    ("Harbour reopens after storm « Example Zeitung", NAMES, ()),
    # the site's name as a kicker, before a colon; its host's label with a word a name adds; a name
    # opening with an article its host leaves out
    ("Example Site: Harbour reopens after storm", site_names("https://examplesite.com/a"), ()),
    ("Harbour reopens after storm | RNZ News", site_names("https://www.rnz.co.nz/a"), ()),
    ("Harbour reopens after storm - The New York Example", site_names("https://www.nyexample.com/a"), ()),
    # the site's name takes its slogan or a section after it along
    ("Harbour reopens after storm – Example Zeitung – Die Nachrichten aus der Region", NAMES, ()),
    ("Harbour reopens after storm | Example Zeitung | Lokales", NAMES, ()),
    # the unspaced underscore and double dash of Chinese CMSs' titles
    ("Harbour reopens after storm_Example Weekly", site_names("https://en.exweekly.com/a", "Example Weekly"), ()),
    ("Harbour reopens after storm--Example Weekly", site_names("https://en.exweekly.com/a", "Example Weekly"), ()),
])
def test_the_sites_name_is_stripped_whatever_the_separator(title: str, names: list[str], authors: tuple[str, ...]) -> None:
    assert strip_site_affix(title, names, authors) == "Harbour reopens after storm"


def test_the_sites_name_goes_even_when_it_is_longer_than_the_headline() -> None:
    names = site_names("https://www.exampleverbraucher.de/gaspreise")
    assert strip_site_affix("exampleverbraucher.de | Gaspreise", names) == "Gaspreise"
    assert strip_site_affix("exampleverbraucher.de", names) == "exampleverbraucher.de"


def test_a_headline_that_only_starts_like_the_sites_name_is_kept() -> None:
    names = site_names("https://www.zeit.de/a", "ZEIT ONLINE")
    assert strip_site_affix("Zeitenwende - Die Zeit der großen Worte ist vorbei", names) == (
        "Zeitenwende - Die Zeit der großen Worte ist vorbei")


@pytest.mark.parametrize(("url", "site", "title"), [
    ("https://www.spiegel.de/a", "DER SPIEGEL", "Von der Leyen – EU plant neue Sanktionen gegen Russland"),
    ("https://www.deutschlandfunk.de/a", "Deutschlandfunk", "Deutschland – Inflation steigt auf drei Prozent"),
    ("https://www.corriere.it/a", "Corriere della Sera", "Di Maio – «Non lasceremo soli i lavoratori»"),
    # a kicker holding the host's name is the headline's
    ("https://www.bergsteigen.com/a", None, "Skibergsteigen: Schnell und leicht mit den Neuheiten"),
    ("https://www.rnz.co.nz/a", None, "News: Harbour reopens after storm"),
])
def test_a_first_segment_that_only_resembles_a_byline_or_the_sites_name_stays(url: str, site: str, title: str) -> None:
    assert strip_site_affix(title, site_names(url, site)) == title


def test_json_ld_headline_wins_and_the_uncut_h1_replaces_a_truncated_one() -> None:
    assert best_title(TitleSignals(jsonld="Harbour reopens", og="Other", h1="Harbour reopens after storm"), NAMES) == (
        "Harbour reopens")
    assert best_title(TitleSignals(jsonld="Harbour reopens after...", h1="Harbour reopens after the storm"), NAMES) == (
        "Harbour reopens after the storm")


def test_the_h1_or_the_html_title_when_the_page_declares_no_headline() -> None:
    assert best_title(TitleSignals(h1="Harbour reopens", html_title="Harbour reopens | Example Zeitung"), NAMES) == (
        "Harbour reopens")
    assert best_title(TitleSignals(html_title="Harbour reopens | Example Zeitung"), NAMES) == "Harbour reopens"


@pytest.mark.parametrize(("html_title", "title"), [
    # the site's, its section's and its forum's names, none of which the host or og:site_name spells
    ("Harbour FC Fans Club - Harbour reopens after the storm of the year - Club News - News",
     "Harbour reopens after the storm of the year"),
    ("The harbour of Example in a portrait | Harbour Authority (HA)", "The harbour of Example in a portrait"),
    ("No mobile data for the App Store with iOS 13? | iPhone | Forum", "No mobile data for the App Store with iOS 13?"),
    ("Blog Archive » Interning of small integers in Python", "Interning of small integers in Python"),
    # no part far longer than the others: the whole title
    ("Harbour reopens after storm - ferries run again", "Harbour reopens after storm - ferries run again"),
    ("Harbour Brigade - Training", "Harbour Brigade - Training"),
    # a range is no separator; a colon ends a kicker, which belongs to the headline
    ("Weekly report 14. - 20. January 2022", "Weekly report 14. - 20. January 2022"),
    ("Brexit: talks resume in Brussels after the summer", "Brexit: talks resume in Brussels after the summer"),
])
def test_a_title_that_is_the_pages_only_headline_is_cut_to_its_far_longest_part(html_title: str, title: str) -> None:
    names = site_names("https://www.harbour-example.org/news/1", None)
    assert best_title(TitleSignals(html_title=html_title, extracted="whatever trafilatura took"), names) == title


def test_a_title_beside_another_headline_signal_is_not_cut_to_a_part() -> None:
    names = site_names("https://www.harbour-example.org/news/1", None)
    whole = "Harbour FC Fans Club - Harbour reopens after the storm"
    assert best_title(TitleSignals(h1=whole, html_title=whole), names) == whole
    assert best_title(TitleSignals(og=whole, html_title=whole), names) == whole


def test_an_og_title_the_h1_repeats_keeps_a_start_that_resembles_the_sites_name() -> None:
    names = site_names("https://www.puppies-example.de/", "Puppies")
    headline = "Puppies to buy – advice on every breed"
    assert best_title(TitleSignals(og=headline, h1=headline, html_title=f"{headline} | Puppies"), names) == headline
    # the site's name after it still goes from the <title>
    assert best_title(TitleSignals(html_title="Harbour reopens after the storm | Puppies"), names) == (
        "Harbour reopens after the storm")


def test_a_tail_that_another_signal_lacks_is_dropped_and_double_escaped_entities_are_decoded() -> None:
    signals = TitleSignals(og="„Unermüdlicher Einsatz“ - Die Neue Südtiroler Tageszeitung", h1="„Unermüdlicher Einsatz“")
    assert best_title(signals, NAMES) == "„Unermüdlicher Einsatz“"
    assert best_title(TitleSignals(og="R&uuml;ckbau von Atomkraftwerk"), NAMES) == "Rückbau von Atomkraftwerk"


def test_the_sites_name_in_brackets_closing_the_title_goes_an_aside_of_the_headline_stays() -> None:
    assert strip_site_affix("Kein Geld mehr für die Miete (Example Zeitung)", NAMES) == "Kein Geld mehr für die Miete"
    for title in ("Mord in Köln (Teil 2)", "Nachruf auf Helmut Schmidt (1918–2015)", "Die Wahl (und was folgt)"):
        assert strip_site_affix(title, NAMES) == title


def test_the_author_after_the_h1_is_a_tail_however_short_the_headline() -> None:
    signals = TitleSignals(og="Apfelkuchen vom Blech von backfee", h1="Apfelkuchen vom Blech")
    assert best_title(signals, NAMES, ["backfee"]) == "Apfelkuchen vom Blech"
    # a headline going on past an <h1> that is its first word (a kicker) names no author
    for og, h1 in (("Rücktritt von Olaf Scholz", "Rücktritt"), ("Brexit by numbers", "Brexit"),
                   ("Paris par temps de pluie", "Paris")):
        assert best_title(TitleSignals(og=og, h1=h1), NAMES, ["Jane Doe"]) == og


def test_a_headline_going_on_past_its_kicker_h1_stays_whole() -> None:
    assert best_title(TitleSignals(og="Brexit: What happens next", h1="Brexit"), NAMES) == "Brexit: What happens next"
    assert best_title(TitleSignals(og="Urteil gegen Trump: Was jetzt passiert", h1="Urteil gegen Trump"), NAMES) == (
        "Urteil gegen Trump: Was jetzt passiert")


def test_without_a_json_ld_headline_the_h1_the_reader_sees_wins_over_the_og_title_written_for_sharing() -> None:
    for og, h1 in (("Receita de Sequilho com Chocolate Amargo", "Sequilho com Chocolate Amargo"),
                   ("Wärmepumpe im Altbau - Wann es sich lohnt", "Eignet sich eine Wärmepumpe im Altbau?"),
                   ("What we learned from the explosive interview",
                    "The royal split and family struggles: 11 things we learned from the explosive interview")):
        assert best_title(TitleSignals(og=og, h1=h1), NAMES) == h1
    # a headline the JSON-LD declares is the page's own word for it
    assert best_title(TitleSignals(jsonld="Privatkredit-Zinsen: So ermitteln Sie Ihre Kosten", og="Privatkredit",
                                   h1="Wie hoch sind die Zinsen für einen Privatkredit?"), NAMES) == (
        "Privatkredit-Zinsen: So ermitteln Sie Ihre Kosten")


def test_the_og_title_stays_over_an_h1_that_is_no_headline_of_the_story() -> None:
    # the h1 adds a kicker to the og:title
    assert best_title(TitleSignals(og="Drusen fordern Teilhabe statt Schutzgarantien",
                                   h1="Minderheit in Syrien - Drusen fordern Teilhabe statt Schutzgarantien"), NAMES) == (
        "Drusen fordern Teilhabe statt Schutzgarantien")
    # the site's logo, a section's name, a topic's label or a column's: they share no word with the
    # story's titles, or a few
    for h1 in ("Navigation und Service", "KBS WORLD"):
        assert best_title(TitleSignals(og="Colder temperatures forecast after cold wave alert", h1=h1), NAMES) == (
            "Colder temperatures forecast after cold wave alert")
    for og, h1 in (("Ukraine: Selenskyj fordert mehr Flugabwehr", "Krieg in der Ukraine"),
                   ("Why the Fed will cut rates in June", "The Week in Rates"),
                   ("Minister resigns after expenses scandal", "Breaking: storm warning issued after heavy rain"),
                   ("Election 2024: Harris and Trump clash over economy in debate", "US Election 2024 results and analysis")):
        assert best_title(TitleSignals(og=og, h1=h1), NAMES) == og
    # a JSON-LD headline that is the og:title with the site's section after it is still the page's word
    assert best_title(TitleSignals(jsonld="Why the Fed will cut rates in June - Markets", og="Why the Fed will cut rates in June",
                                   h1="The Week in Rates"), NAMES) == "Why the Fed will cut rates in June"
    # the blog's name, which the <title> holds beside the og:title
    assert best_title(TitleSignals(og="Meta-Programming In Emacs Using Defadvice", h1="EMACSPEAK The Complete Audio Desktop",
                                   html_title="EMACSPEAK The Complete Audio Desktop: Meta-Programming In Emacs Using Defadvice"),
                      NAMES) == "Meta-Programming In Emacs Using Defadvice"


def test_people_over_organisations_and_never_the_sites_own_name() -> None:
    byline = [Name("Example Zeitung")]
    ld = [Name("Jane Doe"), Name("dpa", organisation=True)]
    assert pick_authors([byline, ld], NAMES) == ["Jane Doe", "dpa"]
    # a newsroom's generic words name no one: the site's name is all the page says of who wrote it
    assert pick_authors([[Name("Red."), Name("Agenturen")], [Name("Example Zeitung", organisation=True)]], NAMES) == [
        "Example Zeitung"]
    assert pick_authors([[Name("Reuters", organisation=True)]], NAMES) == ["Reuters"]
    assert pick_authors([[Name("Example-Zeitung.de")], []], NAMES) == ["Example-Zeitung.de"]


@pytest.mark.parametrize(("htmldate", "declared", "expected"), [
    ("2024-05-03", ["2024-05-03T17:47:42+02:00"], "2024-05-03T17:47:42+02:00"),  # agree: the precise time
    ("2024-04-26", ["2024-04-25T19:30:04+02:00"], "2024-04-25T19:30:04+02:00"),  # a day off: the page's own
    ("2020-02-24", ["2020-02-25T02:25:54+00:00"], "2020-02-24"),  # UTC past midnight: the day the page shows
    ("2020-01-06", ["2019-11-03T10:25:56+00:00"], "2020-01-06"),  # months apart: a template's date
    (None, ["2024-05-03T17:47:42+02:00"], "2024-05-03T17:47:42+02:00"),
    ("2024-05-03", [], "2024-05-03"),
    # a date without a time, stored as its midnight in Central Europe and written in UTC: the next day
    ("2021-11-04", ["2021-11-04T23:00:00+00:00"], "2021-11-05T00:00:00+01:00"),
    (None, ["2022-11-06T22:00:00Z"], "2022-11-07T00:00:00+02:00"),
    (None, ["2025-11-06T20:00:00+00:00"], "2025-11-06T20:00:00+00:00"),  # an evening story stays
    (None, ["2021-11-04T23:00:05+00:00"], "2021-11-04T23:00:05+00:00"),  # a time to the second is one
])
def test_the_publication_time_is_the_declared_one_checked_against_the_shown_day(
        htmldate: str | None, declared: list[str], expected: str) -> None:
    assert published_at(htmldate, declared) == expected


@pytest.mark.parametrize(("url", "site", "organisation"), [
    ("https://www.dw.com/de/a", "DW.COM", "Deutsche Welle (www.dw.com)"),  # the host inside the name
    ("https://www.dw.com/de/a", "DW.COM", "Deutsche Welle"),  # the host's label is the name's initials
    ("https://lestimes.com/a", None, "Lesotho Times"),  # the host's label is made of the words' beginnings
])
def test_the_site_under_a_name_its_host_abbreviates_is_no_author_beside_a_person(
        url: str, site: str | None, organisation: str) -> None:
    assert pick_authors([[Name(organisation)], [Name("Roman Goncharenko")]], site_names(url, site)) == [
        "Roman Goncharenko"]


def test_an_account_or_a_role_beside_the_writer_is_dropped_an_agency_is_kept() -> None:
    assert pick_authors([[Name("Jane Doe"), Name("Journalist"), Name("aligharib")]], NAMES) == ["Jane Doe"]
    assert pick_authors([[Name("Admin")], [Name("Tobias Kuske")]], NAMES) == ["Tobias Kuske"]
    assert pick_authors([[Name("Jane Doe"), Name("dpa")]], NAMES) == ["Jane Doe", "dpa"]


def test_a_signal_that_is_only_the_sites_name_names_no_story() -> None:
    names = site_names("https://www.example-mag.de/a", "Example-Mag")
    assert best_title(TitleSignals(og="Example-Mag", h1="Holocaust-Gedenktag: Erinnerung mit Stolpersteinen"),
                      names) == "Holocaust-Gedenktag: Erinnerung mit Stolpersteinen"
    assert best_title(TitleSignals(og="Example-Mag"), names) == "Example-Mag"  # nothing better on the page


def test_where_every_signal_is_the_sites_name_the_storys_h2_is_the_headline() -> None:
    names = site_names("https://www.examplenews.com/a/1")
    assert best_title(TitleSignals(html_title="Example News", h2="Council approves new tram line"),
                      names) == "Council approves new tram line"
    # an <h2> that is the site's name too is no headline either
    assert best_title(TitleSignals(html_title="Example News", h2="Example News"), names) == "Example News"


def test_an_h1_that_is_a_sections_label_the_title_does_not_hold_gives_way_to_the_title() -> None:
    names = site_names("https://www.examplenews.com/a/1")
    for label in ("Politics", "Quicklink", "Navigation und Service"):
        assert best_title(TitleSignals(h1=label, html_title="Council approves new tram line | Example News"),
                          names) == "Council approves new tram line"
    # a short headline the <title> holds, and a long <h1> beside another <title>, are the headline
    assert best_title(TitleSignals(h1="Tram line approved", html_title="Tram line approved | Example News"),
                      names) == "Tram line approved"
    assert best_title(TitleSignals(h1="Council approves the new tram line after a long debate",
                                   html_title="Tram plans | Example News"), names) == (
        "Council approves the new tram line after a long debate")


def test_a_json_ld_headline_or_og_title_that_is_the_storys_first_paragraph_gives_way_to_the_h1() -> None:
    lede = ("The city council approved the new harbour plan on Monday after a long debate that lasted well into "
            "the evening, officials said.")
    headline = "Harbour plan approved after long debate"
    for signals in (TitleSignals(jsonld=lede, h1=headline), TitleSignals(og=lede, h1=headline),
                    TitleSignals(jsonld=lede[:80] + "...", html_title=f"{headline} | Example Zeitung")):
        assert best_title(replace(signals, standfirsts=(headline, lede)), NAMES) == headline
    # a description that goes on from the headline is no reason, nor one that repeats a question
    long_headline = "Can the harbour plan approved after a long debate really save the town's fishing season?"
    for standfirst in (f"{long_headline} Read on.", long_headline):
        signals = TitleSignals(jsonld=long_headline, h1="Harbour plan", standfirsts=(standfirst,))
        assert best_title(signals, NAMES) == long_headline


def test_the_sites_host_title_cased_by_an_extractor_is_given_back_as_the_sites_name() -> None:
    names = site_names("https://www.examplenews.com/a/1", "Example News")
    assert pick_authors([[Name("Www Examplenews Com")]], names) == ["Example News"]
    assert pick_authors([[Name("Www Examplenews Com")], [Name("Jane Doe")]], names) == ["Jane Doe"]
    # a name that only ends like a host is a name
    assert pick_authors([[Name("Radio Free Asia Tv")]], names) == ["Radio Free Asia Tv"]


def test_what_follows_the_sites_or_an_organisations_name_in_a_byline_is_its_address() -> None:
    names = site_names("https://www.examplenews.com/a/1", "Example News")
    printed = [Name("Jane Doe"), Name("Example News"), Name("New York")]
    assert pick_authors(AuthorSignals(printed=printed), names) == ["Jane Doe"]
    # the site's declared name with its address, split at its commas, is the site's alone
    declared = site_names("https://www.example.de/a/1", "Example GmbH, Nürnberg, Germany")
    meta = [Name("Example GmbH"), Name("Nürnberg"), Name("Germany")]
    assert pick_authors(AuthorSignals(meta=meta), declared) == ["Example GmbH"]
    # an agency starts no address, nor the site's desk before the writers' initials
    agency = [Name("Jane Doe"), Name("dpa"), Name("John Roe")]
    assert pick_authors(AuthorSignals(printed=agency), names) == ["Jane Doe", "dpa", "John Roe"]
    assert pick_authors(AuthorSignals(extracted=[Name("Example News"), Name("jdo"), Name("jro")]), names) == [
        "jdo", "jro"]


def test_words_describing_the_writer_beside_the_writers_name_are_no_author() -> None:
    group = [Name("Jane Doe"), Name("professor at the faculty of humanities of the university")]
    assert pick_authors([group], NAMES) == ["Jane Doe"]
    assert pick_authors([[Name("Guardian staff reporter")]], NAMES) == ["Guardian staff reporter"]


def test_a_utc_time_the_page_also_shows_in_its_own_offset_is_written_in_that_offset() -> None:
    # an evening story in UTC-4 is on the next day in UTC: the page's <time> says which day it was
    shown = ["2017-10-12T21:06:39-04:00", "2022-05-03T23:37:37-04:00"]
    assert published_at("2022-05-04", ["2022-05-04T03:37:37+00:00"], shown) == "2022-05-03T23:37:37-04:00"
    # no time on the page is the same instant: the declared time as it is
    assert published_at(None, ["2022-05-04T03:37:37+00:00"], ["2022-05-01T10:00:00-04:00"]) == (
        "2022-05-04T03:37:37+00:00")


@pytest.mark.parametrize(("declared", "dateline", "clock", "expected"), [
    # an evening story in UTC-4, declared in UTC on the next day, its dateline printed in local time
    ("2022-05-04T02:41:00Z", "2022-05-03", "22:41", "2022-05-03T22:41:00-04:00"),
    ("2019-10-18T22:04:00Z", "2019-10-19", "00:04", "2019-10-19T00:04:00+02:00"),  # past midnight east
    ("2022-05-04T00:14:00Z", "2022-05-03", "18:44", "2022-05-04T00:14:00+00:00"),  # no zone is -05:30...
    ("2022-05-04T00:14:00Z", "2022-05-03", "20:44", "2022-05-03T20:44:00-03:30"),  # ...Newfoundland's is -03:30
    # an update printed by the headline, not the moment declared: no offset of any zone
    ("2025-02-11T23:55:00+00:00", "2025-02-12", "07:25", "2025-02-11T23:55:00+00:00"),
    ("2022-05-04T02:41:00Z", "2022-05-03", None, "2022-05-04T02:41:00+00:00"),  # no time printed
    ("2022-05-04T02:41:00Z", "2022-05-04", "04:41", "2022-05-04T02:41:00+00:00"),  # the same day in UTC
])
def test_a_utc_time_on_another_day_than_the_dateline_is_written_in_the_offset_its_clock_shows(
        declared: str, dateline: str, clock: str | None, expected: str) -> None:
    assert published_at(None, [declared], (), dateline, dateline_clock=clock) == expected


def test_a_utc_time_also_declared_in_the_pages_own_offset_is_written_in_that_offset() -> None:
    declared = ["2022-05-06T02:00:00Z", "2022-05-05T21:00:00-05:00"]
    assert published_at("2022-05-05", declared) == "2022-05-05T21:00:00-05:00"


@pytest.mark.parametrize(("htmldate", "shown", "dateline", "expected"), [
    # htmldate took <meta name=date>, the day the page last changed; the page shows its day twice
    ("2020-04-30", ["2020-04-29T12:01:00+02:00"], "2020-04-29", "2020-04-29T12:01:00+02:00"),
    ("2020-04-30", [], "2020-04-29", "2020-04-29"),  # the date printed after the headline
    ("2022-01-27", ["2022-01-26"], None, "2022-01-26"),  # the page's <time>
    # the <time> of a teaser, not the page's: htmldate and the dateline agree
    ("2019-10-22", ["2009-04-11T18:06:36"], "2019-10-22", "2019-10-22"),
    ("2019-10-22", ["2019-10-22T08:00:00+02:00"], "2019-10-21", "2019-10-22T08:00:00+02:00"),
    ("2019-10-22", [], None, "2019-10-22"),
    (None, [], "2019-10-22", "2019-10-22"),
    (None, [], None, None),
])
def test_without_a_declared_time_what_the_page_shows_goes_before_htmldates_guess(
        htmldate: str | None, shown: list[str], dateline: str | None, expected: str | None) -> None:
    assert published_at(htmldate, [], shown, dateline) == expected


@pytest.mark.parametrize(("htmldate", "shown", "dateline", "url", "expected"), [
    # htmldate read another date (a first publication years back, a modified day): the page shows the declared one
    ("2019-02-05", [], "2023-08-30", "https://news.example/a", "2023-08-30T16:45:00+01:00"),
    ("2019-02-05", ["2023-08-30T16:45:00+01:00"], None, "https://news.example/a", "2023-08-30T16:45:00+01:00"),
    # the page shows both days, or neither: htmldate's, as before
    ("2019-02-05", ["2023-08-30T16:45:00+01:00", "2019-02-05T10:00:00+01:00"], None, "https://news.example/a",
     "2019-02-05"),
    ("2019-02-05", [], None, "https://news.example/a", "2019-02-05"),
    # htmldate's day is the permalink's: the declared one is a later republication
    ("2019-02-05", [], "2023-08-30", "https://blog.example/2019/2/5/a-post", "2019-02-05"),
])
def test_a_declared_day_far_from_htmldates_is_kept_when_the_page_shows_it(
        htmldate: str, shown: list[str], dateline: str | None, url: str, expected: str) -> None:
    assert published_at(htmldate, ["2023-08-30T16:45:00+01:00"], shown, dateline, url) == expected


def test_the_signals_in_order_json_ld_person_markup_print_meta_trafilatura() -> None:
    others = {"marked": [Name("Mark Up")], "printed": [Name("Print Ed")], "meta": [Name("Meta Author")],
              "extracted": [Name("Flappy Bird")]}
    assert pick_authors(AuthorSignals(**others), NAMES) == ["Mark Up"]
    # the people <meta name=author> names join those of the JSON-LD
    assert pick_authors(AuthorSignals(jsonld=[Name("Jane Doe")], **others), NAMES) == ["Jane Doe", "Meta Author"]
    assert pick_authors(AuthorSignals(printed=[Name("Print Ed")], meta=[Name("Meta Author")]), NAMES) == ["Print Ed"]
    # the site's own name in the JSON-LD, even as a Person, names nobody
    assert pick_authors(AuthorSignals(jsonld=[Name("Example Zeitung")], printed=[Name("Print Ed")]), NAMES) == [
        "Print Ed"]


def test_an_agency_the_json_ld_declares_is_not_passed_over_for_a_teasers_byline() -> None:
    signals = AuthorSignals(jsonld=[Name("dpa", organisation=True)], printed=[Name("Other Writer")],
                            meta=[Name("Example Zeitung")])
    assert pick_authors(signals, NAMES) == ["dpa"]


def test_beside_people_a_newsrooms_generic_word_goes_a_desks_name_stays() -> None:
    assert pick_authors([[Name("Michael Rädel"), Name("Redaktion")]], NAMES) == ["Michael Rädel"]
    assert pick_authors([[Name("Scott Gilbertson"), Name("Gear Team")]], NAMES) == ["Scott Gilbertson", "Gear Team"]
    assert pick_authors([[Name("Paula Steiger"), Name("SDA", organisation=True)]], NAMES) == ["Paula Steiger", "SDA"]


def test_an_account_is_spelled_in_full_where_another_signal_does() -> None:
    signals = AuthorSignals(jsonld=[Name("arianschlichenmayer")], marked=[Name("Arian Schlichenmayer")])
    assert pick_authors(signals, NAMES) == ["Arian Schlichenmayer"]


@pytest.mark.parametrize(("signals", "settled"), [
    (AuthorSignals(marked=[Name("Mark Up")]), True),
    (AuthorSignals(meta=[Name("Meta Author")]), True),  # the last signal before trafilatura's
    (AuthorSignals(extracted=[Name("Jane Roe")]), False),  # trafilatura's own person settles nothing before it
    (AuthorSignals(jsonld=[Name("dpa", organisation=True)], meta=[Name("Meta Author")]), True),
    # an account's name may be spelled in full by trafilatura's pick; an organisation may give way to its person
    (AuthorSignals(printed=[Name("jdoe")]), False),
    (AuthorSignals(jsonld=[Name("dpa", organisation=True)]), False),
    (AuthorSignals(meta=[Name("Example Zeitung")]), False),  # the site's own name names nobody
    (AuthorSignals(), False),
])
def test_trafilaturas_author_is_asked_for_only_when_it_can_change_the_pick(signals: AuthorSignals, settled: bool) -> None:
    assert signals.settled_before_extracted(NAMES) is settled
    if settled:
        for extracted in ([Name("Flappy Bird")], [Name("mup")], [Name("dpa", organisation=True)], [Name("Jane Roe")]):
            with_it = replace(signals, extracted=extracted)
            assert pick_authors(with_it, NAMES) == pick_authors(signals, NAMES)


@pytest.mark.parametrize(("text", "agencies"), [
    ("Hamburg (dpa/lno) – Trotz eines Gesprächs ...\nZweiter Absatz.", ["dpa/lno"]),
    ("Erster Absatz.\nDie Zyste könne sich jederzeit neu bilden, hieß es. (FR mit dpa)", ["FR mit dpa"]),
    ("Salzburg. Der erste Absatz.\nDer letzte. (Quelle: APA/sda)", ["APA/sda"]),
    ("Hamburg (Elbe) – ein Absatz über den Hafen.", []),
])
def test_the_agency_the_text_credits(text: str, agencies: list[str]) -> None:
    assert credited_agencies(text) == agencies


@pytest.mark.parametrize("h1", ["Harbour plan<br>approved after debate", "<div>Harbour plan</div><div>approved after debate</div>",
                                "Harbour plan <!-- kicker --> approved after debate"])
def test_a_headline_broken_over_lines_keeps_a_space_where_the_line_breaks(h1: str) -> None:
    import lxml.html

    from pipelines.extract.page_meta import PageMeta

    tree = lxml.html.document_fromstring(f"<html><body><article><h1>{h1}</h1><p>Text.</p></article></body></html>")
    assert PageMeta.from_tree(tree).h1 == "Harbour plan approved after debate"


def test_the_logo_linking_to_the_home_page_names_the_site_whose_name_the_page_declares_nowhere_else() -> None:
    page = ("<html><head><title>Harbour reopens after storm_China Example Weekly</title></head><body>"
            "<div class='header'><h1><a href='/'><img src='/logo.gif' alt='China Example Weekly'></a></h1></div>"
            "<div class='title'><h2>Harbour reopens after storm</h2></div><div class='content'>"
            + "".join(f"<p>Paragraph {n} of the story tells how the harbour reopened on Monday after a week of storms "
                      "had closed it to every ship bigger than a fishing boat.</p>" for n in range(5))
            + "</div></body></html>")

    fields = extract_fields("https://en.chinaexweekly.com/a/world/20241016/1.html", page.encode(), {}, ExtractOptions())

    assert fields["title"] == "Harbour reopens after storm"
