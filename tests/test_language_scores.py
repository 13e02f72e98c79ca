"""The language detector's fast path (pipelines/extract/language_scores.py) answers exactly as
py3langid's `classify`: the same language and the same probability, to the last bit, on text in any
script, on all-uppercase text, and on text too short or without letters to say anything."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest
from py3langid.langid import visit_counts

from pipelines.extract.language import _classify, _identifier
from pipelines.extract.language_scores import FastScores, fast_classify

TEXTS = {
    "english": "The city council voted on Tuesday to extend the night shifts at the port through the winter.",
    "french": "Le conseil municipal a voté mardi la prolongation des équipes de nuit au port pendant l'hiver.",
    "polish": "Rada miasta przegłosowała we wtorek przedłużenie nocnych zmian w porcie na całą zimę.",
    "vietnamese": "Hội đồng thành phố đã bỏ phiếu hôm thứ Ba để kéo dài ca đêm tại cảng suốt mùa đông.",
    "turkish": "Belediye meclisi salı günü limandaki gece vardiyalarının kış boyunca uzatılmasını oyladı.",
    "russian": "Городской совет во вторник проголосовал за продление ночных смен в порту на всю зиму.",
    "ukrainian": "Міська рада у вівторок проголосувала за продовження нічних змін у порту на всю зиму.",
    "serbian": "Градско веће је у уторак изгласало продужење ноћних смена у луци током целе зиме.",
    "greek": "Το δημοτικό συμβούλιο ψήφισε την Τρίτη την παράταση των νυχτερινών βαρδιών στο λιμάνι.",
    "arabic": "صوّت مجلس المدينة يوم الثلاثاء على تمديد المناوبات الليلية في الميناء طوال فصل الشتاء.",
    "persian": "شورای شهر روز سه‌شنبه به تمدید شیفت‌های شبانه در بندر در تمام زمستان رای داد.",
    "hebrew": "מועצת העיר הצביעה ביום שלישי על הארכת משמרות הלילה בנמל לאורך כל החורף.",
    "hindi": "नगर परिषद ने मंगलवार को सर्दियों भर बंदरगाह पर रात की पाली बढ़ाने के लिए मतदान किया।",
    "thai": "สภาเมืองลงมติเมื่อวันอังคารให้ขยายกะกลางคืนที่ท่าเรือตลอดฤดูหนาว",
    "chinese": "市议会周二投票决定，将港口的夜班延长至整个冬季，此前数十艘集装箱船在海岸外滞留。",
    "japanese": "市議会は火曜日、港の夜間勤務を冬の間延長することを決めた。",
    "korean": "시의회는 화요일 겨울 내내 항구의 야간 근무를 연장하기로 의결했다.",
    "mixed scripts": "Moscow (Москва) and Beijing (北京) signed the accord — اتفاقية — on Monday 🎉",
    "uppercase english": "BREAKING: PORT NIGHT SHIFTS EXTENDED THROUGH THE WINTER AFTER SHIPS STUCK OFF THE COAST",
    "uppercase russian": "СРОЧНО: НОЧНЫЕ СМЕНЫ В ПОРТУ ПРОДЛЕНЫ НА ВСЮ ЗИМУ",
    "decomposed accents": unicodedata.normalize("NFD", "Le café où l'équipe a étudié la crise économique"),
    "lone surrogate": "text with a lone surrogate \ud800 in it, as broken pages have",
    "one letter": "a",
    "one cyrillic letter": "Ж",
    "two letters": "OK",
    "one ideograph": "港",
    "empty": "",
    "spaces": "   \n\t ",
    "digits and punctuation": "2024-05-01 12:00 — 42 / 17 % ... !!!",
}


@pytest.fixture(scope="module")
def identifier() -> Any:
    return _identifier()


@pytest.fixture(scope="module")
def scores(identifier: Any) -> FastScores:
    return FastScores(identifier)


def test_the_shipped_model_gets_the_fast_path(identifier: Any, scores: FastScores) -> None:
    assert fast_classify(identifier) != identifier.classify
    assert scores.depth == 6
    assert scores.classify(TEXTS["english"]) is not None


@pytest.mark.parametrize("name", TEXTS)
def test_the_fast_path_answers_as_py3langid_does(name: str, identifier: Any, scores: FastScores) -> None:
    text = TEXTS[name]
    expected = identifier.classify(text)
    assert _classify()(text) == expected
    # a text without a single n-gram of the model's is left to the library's classify
    featureless = visit_counts(identifier.tk_nextmove, identifier._rowbase, identifier.tk_output,
                               identifier._encode(text)) is None
    assert scores.classify(text) == (None if featureless else expected)


def test_every_prefix_of_an_article_scores_the_same(shared_dir: Path, identifier: Any) -> None:
    article = (shared_dir / "seed" / "azerbaijan-balancing-act.txt").read_text(encoding="utf-8")
    classify = _classify()
    for end in [*range(0, 200, 7), *range(200, 3001, 149)]:
        for text in (article[:end], article[:end].upper()):
            assert classify(text) == identifier.classify(text), (end, text[-40:])


def test_a_walk_shorter_than_the_automatons_memory_falls_back_to_py3langid(identifier: Any) -> None:
    scores = FastScores(identifier)
    scores.depth = 3  # the trie is 6 bytes deep: states after 3 bytes are not the walk's
    text = TEXTS["english"]
    assert scores.states(identifier._encode(text)) is None
    assert scores.classify(text) is None


def test_a_py3langid_whose_internals_moved_is_asked_as_it_is(identifier: Any) -> None:
    class Moved:  # only the public method left
        def classify(self, text: str) -> tuple[str, float]:
            return identifier.classify(text)

    moved = Moved()
    assert fast_classify(moved) == moved.classify
