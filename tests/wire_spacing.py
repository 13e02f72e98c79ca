"""Request spacing as a test server sees it, against the delay a crawl keeps between its requests."""

from __future__ import annotations

# Scrapy spaces requests when it sends them, the server logs them when it has read them: a new
# connection, a busy machine or thread scheduling shift the two by some tens of milliseconds.
CLOCK_SLACK = 0.1


def too_close(spacing: list[float], floor: float) -> list[int]:
    """Indexes of gaps shorter than the floor that the wire's noise does not explain.

    Scrapy spaces requests from when it sent the previous one; the server sees each one a little
    later, and a busy machine once held one back 0.35 s. The request after a late one then looks
    close to it, but the two gaps around the late one still add up to two floors. A crawl that
    ignores the delay shows short gaps with no long gap before them.
    """
    return [i for i, gap in enumerate(spacing)
            if gap < floor - CLOCK_SLACK
            and not (i > 0 and spacing[i - 1] + gap >= 2 * floor - CLOCK_SLACK)]
