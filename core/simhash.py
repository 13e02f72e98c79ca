"""trafilatura's 64-bit Charikar simhash, computed the same bit for bit at a quarter of the CPU.

trafilatura's ``Simhash`` adds a 64-element list of +-1 per token (about 4 ms for a 5,000-character
article). Here each token's hash is spread into 64 counters packed in one integer, 16 bits apiece,
and the counters of all tokens are summed with one integer addition per token (about 1 ms).
"""

from __future__ import annotations

from collections import Counter
from hashlib import blake2b

BITS = 64


def _spread_tables(lane: int) -> list[list[int]]:
    """tables[k][b]: the eight bits of byte value b, each a 1 in its own counter of `lane` bits, for
    the hash's k-th least significant byte."""
    return [[sum(1 << ((8 * k + j) * lane) for j in range(8) if b >> j & 1) for b in range(256)]
            for k in range(8)]


# 16-bit counters hold any text of fewer than 65,536 tokens; longer ones get 32-bit counters.
_TABLES = {16: _spread_tables(16), 32: _spread_tables(32)}


def simhash(text: str) -> int:
    """Equal to ``trafilatura.deduplication.Simhash(text, length=64).hash``."""
    from trafilatura.deduplication import sample_tokens  # the same tokens as trafilatura's

    tokens = sample_tokens(text, BITS)
    n = len(tokens)
    lane = 16 if n < 1 << 16 else 32
    t0, t1, t2, t3, t4, t5, t6, t7 = _TABLES[lane]
    total = 0
    for token, repeats in Counter(tokens).items():
        # trafilatura reads the digest as a big-endian integer: its last byte holds bits 0-7
        d = blake2b(token.encode(), digest_size=8).digest()
        total += repeats * (t0[d[7]] + t1[d[6]] + t2[d[5]] + t3[d[4]]
                            + t4[d[3]] + t5[d[2]] + t6[d[1]] + t7[d[0]])
    mask = (1 << lane) - 1
    # bit i is set when at least half the tokens have it (trafilatura: a sum of +-1 that is >= 0)
    return sum(1 << i for i in range(BITS) if 2 * ((total >> (i * lane)) & mask) >= n)
