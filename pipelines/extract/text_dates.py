"""A day written in words in the languages htmldate's quick parser does not read, and an update's label.

htmldate reads "12. März 2024", "March 12, 2024" and "12 mars 2024" in a line of text; a Spanish,
Portuguese, Italian, Dutch, Polish, Scandinavian or Russian dateline ("Publicado el 12 de marzo de 2024",
"martes, 12 de marzo de 2024 - 18:30", "12 maart 2024", "12 marca 2024") it passes over, and the page's
dateline is then lost to the check of the publication time (publication_time.py). `day_in_words` reads
those: a day, its month's name (the genitive where a language writes it so), a year.

"Mar. 12, 2024", the Associated Press' way with months, it reads too.

A line opening with an update's label ("Updated March 15, 2024", "Aktualisiert am ...") gives the day
the page was last changed, not the day it was published: `is_update_line`.

Where the words come from: the month names of the languages of ../shared/corpora (as date_lines.py
lists them), and the "updated" labels the corpora's sites print.
"""

from __future__ import annotations

import re
from datetime import date, datetime

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate((
    "enero|janeiro|gennaio|januari|stycznia|styczeń|januar|январь|января|ocak|tammikuuta",
    "febrero|fevereiro|febbraio|februari|lutego|luty|februar|февраль|февраля|şubat|helmikuuta",
    "marzo|março|marco|maart|marca|marzec|mars|mart|март|марта|maaliskuuta",
    "abril|aprile|april|kwietnia|kwiecień|апрель|апреля|nisan|huhtikuuta",
    "mayo|maio|maggio|mei|maja|maj|mai|май|мая|mayıs|toukokuuta",
    "junio|junho|giugno|juni|czerwca|czerwiec|июнь|июня|haziran|kesäkuuta",
    "julio|julho|luglio|juli|lipca|lipiec|июль|июля|temmuz|heinäkuuta",
    "agosto|augustus|sierpnia|sierpień|august|augusti|август|августа|ağustos|elokuuta",
    "septiembre|setiembre|setembro|settembre|september|września|wrzesień|сентябрь|сентября|eylül|syyskuuta",
    "octubre|outubro|ottobre|oktober|października|październik|октябрь|октября|ekim|lokakuuta",
    "noviembre|novembro|novembre|november|listopada|listopad|ноябрь|ноября|kasım|marraskuuta",
    "diciembre|dezembro|dicembre|december|desember|grudnia|grudzień|декабрь|декабря|aralık|joulukuuta",
), start=1):
    for _name in _names.split("|"):
        _MONTHS[_name] = _number

# "12 de marzo de 2024", "12. maaliskuuta 2024", "12 maart 2024", "12 марта 2024 г."
_DAY_MONTH_YEAR = re.compile(
    r"(?<!\d)(\d{1,2})\.?\s+(?:de\s+)?(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?,?\s+(?:de\s+)?(\d{4})(?!\d)",
    re.IGNORECASE)

# "Mar. 12, 2024", "Sept. 5, 2024": the Associated Press' abbreviations with their full stop, which
# htmldate's quick parser reads only without it
_ENGLISH_MONTHS = {name: number for number, names in enumerate((
    "jan|january", "feb|february", "mar|march", "apr|april", "may", "jun|june", "jul|july", "aug|august",
    "sep|sept|september", "oct|october", "nov|november", "dec|december"), start=1) for name in names.split("|")}
_MONTH_DAY_YEAR = re.compile(
    r"\b(" + "|".join(sorted(_ENGLISH_MONTHS, key=len, reverse=True)) + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)",
    re.IGNORECASE)

# the label of the time the page was last changed, opening a line
_UPDATE_WORDS = (
    r"(?:last\s+)?(?:updated|modified|aktualisiert|zuletzt aktualisiert|geändert|mis à jour|actualizado|"
    r"actualización|aggiornato|ultimo aggiornamento|atualizado|atualização|bijgewerkt|laatst bijgewerkt|"
    r"zaktualizowano|aktualizacja|oppdatert|uppdaterad|opdateret|päivitetty|обновлено|güncellen\w*|更新|수정)")
_UPDATE_LABEL = re.compile(rf"^\W*{_UPDATE_WORDS}\b", re.IGNORECASE)
# ... or closing the text before a <time>: "Updated <time>March 15</time>", "Aktualisiert am <time>..."
_UPDATE_LABEL_BEFORE = re.compile(rf"\b{_UPDATE_WORDS}(?:\s+(?:on|at|am|um|le|el|il|em|op))?\s*:?\s*$", re.IGNORECASE)
# ... unless the line labels the publication too ("Published 12.03. | Updated 15.03.": the first is the day)
_PUBLISHED_LABEL = re.compile(
    r"\b(?:published|posted|veröffentlicht|erschienen|publié|publicado|pubblicato|gepubliceerd|opublikowano|"
    r"publisert|publicerad|udgivet|julkaistu|опубликовано|yayınlan\w*)\b", re.IGNORECASE)


# a dateline's length: a caption or a sentence that names a day ("Kämpfe um Bachmut, 24. April 2023")
# tells of another day (htmldate's quick parser reads no longer strings either)
_DATELINE_MAX_CHARS = 60


def day_in_words(text: str, earliest: datetime, latest: datetime) -> str | None:
    """The first day written with its month's name in `text`, a dateline's few words ("Publicado el
    12 de marzo de 2024" -> "2024-03-12"), between `earliest` and `latest`; None when there is none."""
    if len(text) > _DATELINE_MAX_CHARS:
        return None
    days = [(match.start(), match[3], _MONTHS.get(match[2].casefold()), match[1])
            for match in _DAY_MONTH_YEAR.finditer(text)]
    days += [(match.start(), match[3], _ENGLISH_MONTHS.get(match[1].casefold()), match[2])
             for match in _MONTH_DAY_YEAR.finditer(text)]
    for _, year, month, day_of_month in sorted(days):
        try:
            day = date(int(year), month or 0, int(day_of_month))
        except ValueError:
            continue
        if earliest.date() <= day <= latest.date():
            return day.isoformat()
    return None


def ends_with_update_label(text: str) -> bool:
    """Whether the text ends with an update's label: the <time> after it is the day of the last change."""
    return bool(_UPDATE_LABEL_BEFORE.search(text[-40:]))


def published_label_end(text: str) -> int:
    """Where the publication's label in the text ends ("..., first published May 25, 2026 — 12.05am":
    what follows is the publication's); 0 where it has none."""
    return found.end() if (found := _PUBLISHED_LABEL.search(text)) else 0


def is_update_line(text: str) -> bool:
    """Whether the line gives the day the page was last changed and not the day it was published."""
    return bool(_UPDATE_LABEL.match(text)) and not _PUBLISHED_LABEL.search(text)
