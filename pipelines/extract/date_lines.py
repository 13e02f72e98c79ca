"""A date or time standing alone as a line: the page's dateline, not the article's words.

A time given as an age ("3 hours ago", "Hace una hora", "vor 2 Stunden") alone on its line is the
stamp of a comment or a teaser card, in the languages of the corpora.

Themes print the publication and update times as a block of their own inside the article container
("Updated 15.59 | Publicerad 14.14", "segunda-feira, 22 de janeiro de 2018 às 0:13", "17:41 JST,
October 13, 2024", "2025年1月14日 01時28分 (1月14日 01時40分更新)", "기사입력 : 2018-09-28 17:32"),
sometimes with the byline after it ("5:45 AM PST 11/19/2019 by Jane Doe"). A line is such a
dateline when every word of it is a number, a date, a time, a month, a weekday, a time zone or a
"published"/"updated" label, and it holds a digit: a sentence always has other words.

Where the words come from: the month and weekday names of the languages of ../shared/corpora
(fundus_publisher_tests covers 41 countries), their "published"/"updated" labels as the corpora's
sites print them, and the common abbreviations of time zones.
"""

from __future__ import annotations

import re

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    "januar|jänner|februar|märz|mai|juni|juli|oktober|dezember|"
    "janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|"
    "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|"
    "gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|"
    "janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro|"
    "januari|februari|maart|mei|augustus|"
    # Scandinavian, Turkish, Polish (genitive), Russian (genitive)
    "maj|augusti|desember|ocak|şubat|mart|nisan|mayıs|haziran|temmuz|ağustos|eylül|ekim|kasım|aralık|"
    "stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|października|listopada|grudnia|"
    "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
)
# "published" / "updated" in the corpora's languages, Korean, Japanese and Chinese among them
_LABELS = (
    r"updated|published|posted|last updated|modified|aktualisiert|veröffentlicht|erschienen|stand|"
    r"publié|mis à jour|publicado|actualizado|pubblicato|aggiornato|modifica|modificato|atualizado|gepubliceerd|bijgewerkt|"
    r"opublikowano|aktualizacja|zaktualizowano|aggiornamento|ultimo aggiornamento|опубликовано|обновлено|yayınlanma|güncelleme|güncellenme|"
    r"publicerad|uppdaterad|publisert|oppdatert|udgivet|opdateret|julkaistu|päivitetty|"
    r"기사입력|입력|수정|최종수정|発行|公開|更新|配信|发布|发布时间|更新时间"
)
_DATE_WORDS = (
    rf"{_LABELS}|"
    r"am|pm|uhr|h|on|at|um|le|el|il|às|à|alle|om|kl|klo|saat|в|o|em|op|last|mis|jour|ultimo|"
    # "First published on Tuesday 12 March 2024", "Originally published ...", "Zuerst erschienen am ..."
    r"first|originally|zuerst|erstmals|"
    r"utc|gmt|cet|cest|est|edt|cst|cdt|mst|mdt|pst|pdt|bst|ist|mez|mesz|jst|kst|hkt|sgt|aest|aedt|msk|"
    r"a\.?m|p\.?m|min|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun|"
    r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo|"
    r"lunedì|martedì|mercoledì|giovedì|venerdì|"
    r"segunda-feira|terça-feira|quarta-feira|quinta-feira|sexta-feira|"
    r"maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|"
    r"poniedziałek|wtorek|środa|czwartek|piątek|sobota|niedziela"
)
_DATE_TOKEN = re.compile(
    rf"^(?:\d+(?:st|nd|rd|th|\.)?|\d{{1,2}}[:.h]\d{{2}}(?::\d{{2}})?|\d{{4}}-\d{{2}}-\d{{2}}|"
    # an ISO time as a script printed it: "2024-03-12t18:30:00z", "2024-03-12t18:30:00+01:00"
    rf"\d{{4}}-\d{{2}}-\d{{2}}t\d{{2}}:\d{{2}}(?::\d{{2}}(?:\.\d+)?)?(?:z|[+-]\d{{2}}:?\d{{2}})?|"
    rf"\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}|\d{{4}}[./]\d{{1,2}}[./]\d{{1,2}}|"
    rf"{_MONTHS}|{_DATE_WORDS}|de|del|di|der|den|of|"
    # "2025年1月14日", "01時28分", "1月14日", "01時40分更新"
    rf"(?:\d{{1,4}}[年月日時时分秒])+(?:{_DATE_WORDS})?)$"
)
# separators between the parts of a dateline: "Updated 15.59 | Published 14.14", "20 Nisan 2026•Güncelleme"
_SEPARATORS = re.compile(r"[\s|•·]+")
_TOKEN_PUNCTUATION = ",.():;[]{}–—-"
_MAX_WORDS = 12
_DIGIT = re.compile(r"\d")
YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_TIME = re.compile(r"(?<![\d.])\d{1,2}[:.h]\d\d(?![\d.])|\d\s*(?:a\.?m|p\.?m)\b|\d[時时시]")
_LABEL = re.compile(rf"(?:{_LABELS})$")
# "3 hours ago", "Hace una hora", "vor 2 Stunden": the age of a comment or a teaser, alone on its line
_RELATIVE = re.compile(
    rf"^(?:(?:{_LABELS})\s*:?\s+)?"
    r"(?:(?:\d+|an?|one) (?:second|minute|min|hour|hr|day|week|month|year)s? ago|"
    r"hace (?:\d+|un|una) (?:segundo|minuto|hora|día|semana|mes|año)s?|"
    r"vor (?:\d+|einer|einem) (?:sekunde|minute|stunde|tag|woche|monat|jahr)(?:n|en|e)?|"
    r"il y a (?:\d+|une?) (?:seconde|minute|heure|jour|semaine|mois|an)s?|"
    r"(?:\d+|un|una) (?:second|minut|or|giorn|settiman|mes|ann)[oiae] fa|"
    r"há (?:\d+|um|uma) (?:segundo|minuto|hora|dia|semana|mês|ano)s?|"
    r"(?:\d+|een) (?:seconde|minuut|minuten|uur|dag|dagen|week|weken|maand|maanden|jaar) geleden|"
    r"(?:\d+|minutę|godzinę|dzień|tydzień|miesiąc|rok) (?:sekund[ya]?|minut[ya]?|godzin[ya]?|dni|tygodni[ea]?|"
    r"miesięcy|miesiące|lat[a]?)? ?temu)$"
)
# "... by Jane Doe": the byline printed after the date
# (names separated by spaces that must be there: "\s*" between them backtracks without end on a long
# run of capitals)
_TRAILING_BYLINE = re.compile(r"\s(?:by|von|par|por|di|door|av|af)\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}\s*$")


def is_date_line(line: str, key: str) -> bool:
    """Whether the line (`key`: its casefolded form, as text_cleanup.line_key spells it) is a date or
    time alone, with labels and at most a byline after it."""
    if _RELATIVE.match(key):
        return True
    # a row of a table ("| 2019 | 12 |") is the article's
    if line.startswith("|") or not _DIGIT.search(key):
        return False
    byline = _TRAILING_BYLINE.search(line)
    if byline:
        key = " ".join(line[: byline.start()].casefold().split())
    words = [w.strip(_TOKEN_PUNCTUATION) for w in _SEPARATORS.split(key)]
    words = [w for w in words if w]
    if not 0 < len(words) <= _MAX_WORDS or not all(_DATE_TOKEN.match(w) for w in words):
        return False
    # two dates and neither a time nor a label: a period ("29 November 2018 | 20 January 2019"), what
    # an exhibition or an event runs, told by the article
    return len(YEAR.findall(key)) < 2 or bool(_TIME.search(key)) or any(_LABEL.search(w) for w in words)
