"""How ideas are ranked. Top: most votes. New: newest first. Trending: recent votes weigh more.

Trending score of an idea at time ``now``::

    score(now) = sum over its votes of 0.5 ** ((now - voted_at) / HALF_LIFE)

so a vote counts 1 when it is cast, 1/2 after one half-life (3 days by default,
``KRING_TRENDING_HALF_LIFE_HOURS``), 1/4 after two, and so on. Every idea decays
at the same rate, so the order never changes while no one votes. That lets us
store a number that does not need updating as time passes::

    Idea.trending = log2( sum over votes of 2 ** ((voted_at - EPOCH) / HALF_LIFE) )

which equals log2(score(now)) + (now - EPOCH) / HALF_LIFE: the same order as
score(now) at any moment. A new vote updates it in O(1) (log-sum-exp); a retracted
vote recomputes it from that idea's votes. Ideas without votes store 0 and sort
last, newest first. Ties: more votes first, then newer.
"""

import math
from datetime import UTC, datetime, timedelta

from django.conf import settings

EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


def half_life() -> timedelta:
    return timedelta(hours=settings.KRING_TRENDING_HALF_LIFE_HOURS)


def exponent(voted_at: datetime) -> float:
    """log2 of one vote's weight: the half-lives between the epoch and the vote."""
    return (voted_at - EPOCH) / half_life()


def with_vote(trending: float, vote_count_before: int, voted_at: datetime) -> float:
    """The stored score after one more vote (log2(2**a + 2**b), computed without overflow)."""
    b = exponent(voted_at)
    if vote_count_before <= 0:
        return b
    high, low = max(trending, b), min(trending, b)
    return high + math.log2(1 + 2 ** (low - high))


def from_votes(vote_times) -> float:
    """The stored score computed from scratch (after a retraction, or to repair drift)."""
    exponents = [exponent(t) for t in vote_times]
    if not exponents:
        return 0.0
    high = max(exponents)
    return high + math.log2(sum(2 ** (e - high) for e in exponents))


def score_now(trending: float, vote_count: int, now: datetime) -> float:
    """The readable score (sum of decayed vote weights) at ``now``; for display and tests."""
    if vote_count <= 0:
        return 0.0
    return 2 ** (trending - exponent(now))


ORDERINGS = {
    "top": ("-vote_count", "-created_at", "-id"),
    "trending": ("-trending", "-vote_count", "-created_at", "-id"),
    "new": ("-created_at", "-id"),
}
