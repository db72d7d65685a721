# ruff: noqa: F811  (pytest fixtures imported from the groups tests)
"""`manage.py recount_votes`: finds and repairs stored vote counts that drifted from the votes."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ideas import ranking, services
from ideas.models import Idea
from tests.groups.conftest import add_member, group, make_group, owner  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(group, owner, settings):
    settings.KRING_POSTS_PER_MINUTE = 0
    return services.create_board(moderator=owner, group=group, title="Campagne 2027")


@pytest.fixture
def ideas(board, owner, group, add_member):
    """Two ideas, each with one real vote."""
    made = [
        services.create_idea(author=owner, board=board, title=f"Idee {n}", body="x")
        for n in range(2)
    ]
    voter = add_member(group).user
    for idea in made:
        services.cast_vote(user=voter, idea=idea)
    return made


def recount(*args) -> list[str]:
    out = StringIO()
    call_command("recount_votes", *args, stdout=out)
    return out.getvalue().splitlines()


def stored(idea) -> tuple[int, float]:
    idea.refresh_from_db()
    return idea.vote_count, idea.trending


def test_nothing_to_report_when_counts_are_right(ideas):
    assert recount("--check") == [
        "2 ideas checked, 0 with a wrong vote count, 0 with a wrong trending score."
    ]
    assert recount() == [
        "2 ideas checked, 0 with a wrong vote count; counts and trending scores recomputed."
    ]


def test_check_reports_drift_writes_nothing_and_fails(ideas):
    drifted, fine = ideas
    Idea.objects.filter(pk=drifted.pk).update(vote_count=7)

    with pytest.raises(CommandError) as failure:
        out = StringIO()
        call_command("recount_votes", "--check", stdout=out)
    assert failure.value.returncode == 1
    assert out.getvalue().splitlines() == [
        f"idea {drifted.pk}: stored 7, real 1",
        "2 ideas checked, 1 with a wrong vote count, 0 with a wrong trending score.",
    ]
    assert stored(drifted)[0] == 7  # only reported


def test_without_check_it_repairs_and_reports(ideas):
    drifted, fine = ideas
    Idea.objects.filter(pk=drifted.pk).update(vote_count=7, trending=0)
    Idea.objects.filter(pk=fine.pk).update(trending=1.5)  # a wrong score, right count

    lines = recount()

    assert lines[0] == f"idea {drifted.pk}: stored 7, real 1"
    assert lines[1].startswith("2 ideas checked, 1 with a wrong vote count")
    for idea in ideas:
        count, score = stored(idea)
        assert count == 1
        assert score == pytest.approx(ranking.exponent(idea.votes.get().created_at))
    assert recount("--check")[-1].endswith(
        "0 with a wrong vote count, 0 with a wrong trending score."
    )


def test_a_wrong_trending_score_alone_fails_the_check(ideas):
    Idea.objects.filter(pk=ideas[0].pk).update(trending=0)
    with pytest.raises(CommandError):
        recount("--check")


def test_one_board_only(ideas, group, owner):
    other = services.create_board(moderator=owner, group=group, title="Ander bord")
    elsewhere = services.create_idea(author=owner, board=other, title="Elders", body="x")
    Idea.objects.filter(pk=elsewhere.pk).update(vote_count=3)

    assert recount("--check", "--board", str(ideas[0].board_id))[-1].startswith(
        "2 ideas checked, 0"
    )
    with pytest.raises(CommandError):
        recount("--check", "--board", str(other.pk))
    assert recount("--board", str(other.pk))[0] == f"idea {elsewhere.pk}: stored 3, real 0"
    assert stored(elsewhere)[0] == 0
