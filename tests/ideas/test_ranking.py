# ruff: noqa: F811  (pytest fixtures imported from the groups tests)
"""The trending score (ideas/ranking.py): stored once, in the right order at any later time."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from ideas import ranking, selectors, services
from ideas.models import Idea
from tests.groups.conftest import add_member, group, make_group, owner  # noqa: F401

NOW = ranking.EPOCH + timedelta(days=500)


def decayed(vote_times, now) -> float:
    """The score by its definition: each vote weighs 1/2 per half-life of age."""
    return sum(0.5 ** ((now - t) / ranking.half_life()) for t in vote_times)


def random_votes(rng, count, *, days=30) -> list:
    return [NOW - timedelta(seconds=rng.uniform(0, days * 86400)) for _ in range(count)]


def test_adding_votes_one_by_one_equals_computing_from_scratch():
    rng = random.Random(5)
    for _ in range(50):
        times = random_votes(rng, rng.randint(1, 40))
        stored = 0.0
        for before, t in enumerate(times):  # in any order, as votes commit
            stored = ranking.with_vote(stored, before, t)
            assert stored == pytest.approx(ranking.from_votes(times[: before + 1]), abs=1e-9)


def test_no_votes_score_zero():
    assert ranking.from_votes([]) == 0.0
    assert ranking.score_now(0.0, 0, NOW) == 0.0


def test_the_stored_order_is_the_decayed_order_at_any_later_time():
    rng = random.Random(7)
    ideas = [random_votes(rng, rng.randint(1, 30), days=rng.choice([2, 10, 60])) for _ in range(40)]
    stored = [ranking.from_votes(times) for times in ideas]
    for later in (timedelta(0), timedelta(hours=5), timedelta(days=3), timedelta(days=40)):
        now = NOW + later
        by_stored = sorted(range(len(ideas)), key=lambda i: -stored[i])
        by_decay = sorted(range(len(ideas)), key=lambda i: -decayed(ideas[i], now))
        assert by_stored == by_decay
        for times, score in zip(ideas, stored, strict=True):
            assert ranking.score_now(score, len(times), now) == pytest.approx(decayed(times, now))


def test_a_recent_vote_outweighs_an_old_one():
    recent = ranking.from_votes([NOW])
    old = ranking.from_votes([NOW - timedelta(days=7)])
    assert recent > old
    # Two votes four half-lives old weigh 2/16: less than one vote today.
    older_pair = ranking.from_votes([NOW - 4 * ranking.half_life()] * 2)
    assert recent > older_pair
    # But many old votes do outweigh one new one: 20/16 > 1.
    assert ranking.from_votes([NOW - 4 * ranking.half_life()] * 20) > recent


def test_a_vote_weighs_half_after_one_half_life(settings):
    for hours in (72, 24):
        settings.KRING_TRENDING_HALF_LIFE_HOURS = hours
        score = ranking.from_votes([NOW])
        assert ranking.score_now(score, 1, NOW) == pytest.approx(1)
        assert ranking.score_now(score, 1, NOW + timedelta(hours=hours)) == pytest.approx(0.5)
        assert ranking.score_now(score, 1, NOW + timedelta(hours=2 * hours)) == pytest.approx(0.25)


def test_extreme_ages_do_not_overflow():
    far = [ranking.EPOCH + timedelta(days=365 * 50), ranking.EPOCH + timedelta(days=1)]
    score = ranking.from_votes(far)
    assert score == pytest.approx(ranking.exponent(far[0]))
    assert ranking.with_vote(score, 1, far[1]) == pytest.approx(score)


# --- The orderings on a board (selectors.board_ideas) -------------------------------------------


@pytest.fixture
def board(db, group, owner, settings):
    settings.KRING_POSTS_PER_MINUTE = 0
    return services.create_board(moderator=owner, group=group, title="Campagne 2027")


def _idea(board, owner, title, *, age_days, votes=()):
    """An idea created ``age_days`` ago with votes at the given ages (days), stored as the
    services store them."""
    now = timezone.now()
    idea = services.create_idea(author=owner, board=board, title=title, body="x")
    times = [now - timedelta(days=d) for d in votes]
    Idea.objects.filter(pk=idea.pk).update(
        created_at=now - timedelta(days=age_days),
        vote_count=len(times),
        trending=ranking.from_votes(times),
    )
    return idea


def titles(board, sort) -> list[str]:
    return [idea.title for idea in selectors.board_ideas(board, sort=sort)]


def test_top_ties_go_to_the_newer_idea(board, owner):
    _idea(board, owner, "oud, 2", age_days=10, votes=[1, 1])
    _idea(board, owner, "nieuw, 2", age_days=1, votes=[5, 5])
    _idea(board, owner, "3", age_days=20, votes=[9, 9, 9])
    _idea(board, owner, "0", age_days=0)
    assert titles(board, "top") == ["3", "nieuw, 2", "oud, 2", "0"]


def test_trending_puts_ideas_without_votes_last_newest_first(board, owner):
    _idea(board, owner, "geen, oud", age_days=9)
    _idea(board, owner, "geen, nieuw", age_days=0)
    _idea(board, owner, "oude stem", age_days=30, votes=[20])
    _idea(board, owner, "verse stem", age_days=30, votes=[0])
    _idea(board, owner, "veel oude stemmen", age_days=30, votes=[12] * 30)
    assert titles(board, "trending") == [
        "veel oude stemmen",  # 30 / 16 > 1
        "verse stem",
        "oude stem",
        "geen, nieuw",
        "geen, oud",
    ]


def test_trending_ties_go_to_more_votes_then_the_newer_idea(board, owner):
    a = _idea(board, owner, "a", age_days=5, votes=[1])
    b = _idea(board, owner, "b", age_days=2, votes=[1])
    c = _idea(board, owner, "c", age_days=9, votes=[1])
    tie = Idea.objects.get(pk=a.pk).trending
    Idea.objects.filter(pk__in=[a.pk, b.pk, c.pk]).update(trending=tie)
    Idea.objects.filter(pk=c.pk).update(vote_count=2)
    assert titles(board, "trending") == ["c", "b", "a"]


def test_new_is_newest_first(board, owner):
    _idea(board, owner, "oud", age_days=3, votes=[1])
    _idea(board, owner, "nieuw", age_days=1)
    assert titles(board, "new") == ["nieuw", "oud"]
    assert titles(board, "onzin") == titles(board, "top")  # an unknown sort is Top


def test_real_votes_keep_the_stored_order_right(board, group, owner, add_member):
    """Through the services: the trending order is the decayed order of the real Vote rows."""
    ideas = [services.create_idea(author=owner, board=board, title=f"{n}", body="x") for n in "abc"]
    voters = [add_member(group).user for _ in range(3)]
    for idea, supporters in zip(ideas, ([0, 1, 2], [0], [1, 2]), strict=True):
        for n in supporters:
            services.cast_vote(user=voters[n], idea=idea)
    services.retract_vote(user=voters[1], idea=ideas[0])
    now = timezone.now() + timedelta(days=2)
    expected = sorted(
        ideas,
        key=lambda i: (-decayed(i.votes.values_list("created_at", flat=True), now), -i.pk),
    )
    assert [i.pk for i in selectors.board_ideas(board, sort="trending")] == [i.pk for i in expected]
