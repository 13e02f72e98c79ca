"""py3langid's `classify`, the same answer to the last bit for a third of the CPU.

On the first 3,000 characters of the corpus pages' texts `classify` takes 1.0 ms, 0.3 ms here. Two
thirds of its time go to walking its byte automaton one byte at a time in Python, a quarter to
numpy's float16 to float32 cast of the model's rows the text hits, which is scalar and slow. Here
the walk is a few numpy gathers over all positions and the cast a shift of the bits; the sum over
features is the library's own float32 matmul, on the same rows in the same order (scaled by a power
of two, which changes no rounding), so the scores and the probability are the very same floats.

The walk: the automaton is an Aho-Corasick trie of byte n-grams, whose state after a byte is the
longest suffix of the text so far that is a trie node, so it depends only on the last `depth` bytes
(the trie's depth, 6). Every position's state then comes from `depth` vectorised steps over all
positions at once, each reading the byte one place nearer. The result is checked, for every text,
against the sequential walk's own recurrence before it is used, and a model whose automaton were
not like that would fall back to `classify` text by text, never to a different answer.

This reads the identifier's model arrays, below py3langid's public API (tests/test_hooks.py names
them), so `fast_classify` tries the fast path on sample texts of several scripts against the
library's `classify` before it is used at all.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from typing import Any

import numpy as np

LOGGER = logging.getLogger(__name__)

Classify = Callable[[str], tuple[str, float]]

# A deeper trie would need more steps than it saves over the library's walk.
_MAX_DEPTH = 12

# Texts the fast path must answer exactly as `classify` does before it is trusted: several scripts,
# an all-uppercase text (the library lowercases those), a few letters, no letters at all.
_SAMPLES = (
    "The city council voted on Tuesday to extend the night shifts at the port through the winter, "
    "after dozens of container ships had been stuck off the coast for more than a week.",
    "Der Stadtrat hat am Dienstag beschlossen, die Nachtschichten im Hafen über den Winter zu verlängern.",
    "Городской совет во вторник проголосовал за продление ночных смен в порту на всю зиму.",
    "市议会周二投票决定，将港口的夜班延长至整个冬季，此前数十艘集装箱船在海岸外滞留。",
    "市議会は火曜日、港の夜間勤務を冬の間延長することを決めた。コンテナ船が沖で足止めされていた。",
    "صوّت مجلس المدينة يوم الثلاثاء على تمديد المناوبات الليلية في الميناء طوال فصل الشتاء.",
    "Το δημοτικό συμβούλιο ψήφισε την Τρίτη την παράταση των νυχτερινών βαρδιών στο λιμάνι.",
    "नगर परिषद ने मंगलवार को सर्दियों भर बंदरगाह पर रात की पाली बढ़ाने के लिए मतदान किया।",
    "시의회는 화요일 겨울 내내 항구의 야간 근무를 연장하기로 의결했다.",
    "BREAKING: PORT NIGHT SHIFTS EXTENDED THROUGH THE WINTER",
    "OK",
    "ok.",
    "2024-05-01 12:00 — 42 / 17 %",
    "... !!! ???",
)


class FastScores:
    """`classify` of one LanguageIdentifier (norm_probs=True, no min_confidence) from its model
    arrays; `classify` returns None when the walk's check fails and the caller must ask the library."""

    def __init__(self, identifier: Any) -> None:
        if not identifier._norm_probs or identifier.min_confidence is not None:
            raise ValueError("only normalised probabilities without a confidence floor are reproduced")
        # zero-copy views where the library's arrays allow it: the workers share the forkserver's model
        self._nextmove = np.frombuffer(identifier.tk_nextmove, dtype=np.dtype(identifier.tk_nextmove.typecode))
        self._rowbase = np.asarray(identifier._rowbase, dtype=np.intp)
        self._output = np.asarray(identifier.tk_output, dtype=np.intp)
        self._feature_bits = int(self._output.max()).bit_length()
        table = identifier.nb_ptc
        if table.dtype != np.float16 or not table.flags.c_contiguous:
            raise ValueError(f"unexpected model table {table.dtype}")
        self._table_bits = table.view(np.uint16)
        # sign set and an exponent neither 0 (zero, subnormal) nor 31 (inf, nan): negative normal numbers
        if self._table_bits.min() < 0x8400 or self._table_bits.max() > 0xFBFF:
            raise ValueError("the model's log probabilities are not all negative normal numbers")
        self._prior = identifier.nb_pc
        self._classes = list(identifier.nb_classes)
        self._alias_pairs = list(identifier._alias_pairs)
        self._encode = identifier._encode
        self.depth = _trie_depth(self._nextmove, np.asarray(identifier.tk_row, dtype=np.intp))
        if self.depth > _MAX_DEPTH:
            raise ValueError(f"automaton depth {self.depth}")

    def states(self, data: bytes) -> np.ndarray | None:
        """The automaton's state after each byte of `data`, as py3langid's walk visits them; None if
        the automaton turned out not to forget a byte `depth` bytes later."""
        text = np.frombuffer(data, dtype=np.uint8)
        n = text.size
        nextmove, rowbase = self._nextmove, self._rowbase
        # position p accumulates the state after bytes p-depth+1 .. p, one byte a step; what it
        # holds between steps is the row of that state's transitions
        rows = np.full(n, rowbase[0], dtype=np.intp)
        for back in range(min(self.depth, n) - 1, 0, -1):
            ahead = rows[back:]
            ahead += text[: n - back]
            rows[back:] = rowbase.take(nextmove.take(ahead))
        final = nextmove.take(rows + text)
        # the walk is state[p] = next(state[p-1], byte[p]) from state 0; the last step used the row of
        # a state that read one byte fewer, which is that recurrence wherever the two rows are the
        # same. For a trie no deeper than `depth` they are: the model stores each distinct row once,
        # and a state `depth` bytes deep moves on a byte exactly as its one-byte-shorter suffix does.
        if n > 1 and not np.array_equal(rows[1:], rowbase.take(final[:-1])):
            return None
        return final

    def raw_scores(self, data: bytes) -> np.ndarray | None:
        """py3langid's `_raw_score` for texts with features; None if the text has none or the walk's
        check failed."""
        states = self.states(data)
        if states is None:
            return None
        features = self._output.take(states)
        features = features[features >= 0]
        m = features.size
        if not m:
            return None
        # the library sums the features in the order of their first occurrence (its Counter's order),
        # so that is the order here too: a float32 sum in another order may differ in its last bits.
        # Sorted (feature, position) keys put each feature's first position at the head of its run.
        shift = m.bit_length()
        wide = np.int32 if shift + self._feature_bits < 31 else np.int64
        keys = features.astype(wide) << shift
        keys |= np.arange(m, dtype=wide)
        keys.sort()
        run = keys >> shift
        head = np.empty(m, dtype=bool)
        head[0] = True
        np.not_equal(run[1:], run[:-1], out=head[1:])
        starts = np.flatnonzero(head)
        first = keys[starts] & ((1 << shift) - 1)
        is_first = np.zeros(m, dtype=bool)
        is_first[first] = True
        count_at = np.zeros(m, dtype=np.float32)
        count_at[first] = np.diff(starts, append=m)
        # Not numpy's float16 cast, which is scalar and slow, but the bits: a float16's bits shifted
        # into float32's place are, for the negative normal numbers __init__ checked the table holds
        # (its sign bit lands in the exponent), the number times -2**-80, exactly. Scaling by a power
        # of two changes no rounding of the sum while nothing underflows (the terms are about 1e-23),
        # so the product scaled back is the library's to the bit.
        rows = np.left_shift(self._table_bits.take(features[is_first], axis=0), 13, dtype=np.uint32)
        sums = np.log1p(count_at[is_first]) @ rows.view(np.float32)
        sums *= np.float32(-(2.0**80))
        return sums + self._prior

    def classify(self, text: str) -> tuple[str, float] | None:
        data = self._encode(text)
        scores = self.raw_scores(data)
        if scores is None:
            return None
        # py3langid's _decide and classify, step by step on the same float32 array
        scores *= 1.0 / math.sqrt(len(data) or 1)
        np.exp(scores - scores.max(), out=scores)
        scores /= scores.sum()
        for i, j in self._alias_pairs:
            scores[i] += scores[j]
            scores[j] = 0.0
        best = int(scores.argmax())
        return self._classes[best], float(scores[best])


def _trie_depth(nextmove: np.ndarray, state_rows: np.ndarray) -> int:
    """The largest number of bytes from the start state to any state (breadth first)."""
    rows = nextmove.reshape(-1, 256)
    seen = np.zeros(state_rows.size, dtype=bool)
    row_done = np.zeros(rows.shape[0], dtype=bool)
    seen[0] = True
    frontier = np.array([0])
    depth = 0
    while True:
        new_rows = np.unique(state_rows[frontier])
        new_rows = new_rows[~row_done[new_rows]]
        row_done[new_rows] = True
        reached = np.zeros(state_rows.size, dtype=bool)
        reached[rows[new_rows].ravel()] = True
        frontier = np.flatnonzero(reached & ~seen)
        if not frontier.size:
            return depth
        seen[frontier] = True
        depth += 1


def fast_classify(identifier: Any) -> Classify:
    """The identifier's `classify`, computed by FastScores when it answers the samples exactly as the
    library does; the library's own otherwise."""
    try:
        scores = FastScores(identifier)
        for sample in _SAMPLES:
            fast = scores.classify(sample)
            # None is for a text without features; a sentence always has some
            if (fast is None and len(sample) > 20) or (fast is not None and fast != identifier.classify(sample)):
                raise ValueError(f"differs from classify on {sample[:20]!r}: {fast}")
    except Exception as error:  # a py3langid whose internals moved: its own classify, only slower
        LOGGER.debug("language detection without the fast path: %r", error)
        return identifier.classify

    def classify(text: str) -> tuple[str, float]:
        return scores.classify(text) or identifier.classify(text)

    return classify
