# ruff: noqa: F811  (pytest fixtures imported from the groups tests)
"""Votes: one per member per idea, counted in the same transaction, within budget and window."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from groups.models import Membership
from ideas import ranking, services
from ideas.models import BoardEvent, Idea, Vote
from tests.groups.conftest import add_member, group, make_group, owner  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limit_and_english(settings):
    settings.KRING_POSTS_PER_MINUTE = 0
    with translation.override("en"):  # the messages below are matched in English
        yield


@pytest.fixture
def board(group, owner):
    return services.create_board(moderator=owner, group=group, title="Campagne 2027")


@pytest.fixture
def idea(board, owner):
    return services.create_idea(author=owner, board=board, title="Fietsdag", body="Eens per jaar")


@pytest.fixture
def voter(group, add_member):
    return add_member(group).user


def count(idea) -> int:
    idea.refresh_from_db()
    assert idea.vote_count == idea.votes.count()  # the stored count never drifts
    return idea.vote_count


def test_a_member_votes_once_and_can_take_it_back(idea, voter):
    assert services.cast_vote(user=voter, idea=idea) is True
    assert services.cast_vote(user=voter, idea=idea) is False  # a second click changes nothing
    assert count(idea) == 1
    assert services.retract_vote(user=voter, idea=idea) is True
    assert services.retract_vote(user=voter, idea=idea) is False
    assert count(idea) == 0
    kinds = list(BoardEvent.objects.values_list("seq", "kind"))
    assert kinds == [(1, "idea.created"), (2, "idea.votes"), (3, "idea.votes")]


def test_authors_do_not_vote_for_their_own_idea(idea, owner):
    with pytest.raises(services.IdeaActionError, match="own idea"):
        services.cast_vote(user=owner, idea=idea)
    assert count(idea) == 0


def test_non_members_cannot_vote(idea, make_user):
    with pytest.raises(PermissionDenied):
        services.cast_vote(user=make_user(), idea=idea)
    assert count(idea) == 0


def test_muted_members_cannot_vote(idea, voter, group):
    Membership.objects.filter(user=voter, group=group).update(
        muted_until=timezone.now() + timedelta(days=1)
    )
    with pytest.raises(PermissionDenied):
        services.cast_vote(user=voter, idea=idea)


def test_the_budget_is_enforced(board, owner, voter):
    services.update_board(moderator=owner, board=board, votes_per_member=2)
    ideas = [
        services.create_idea(author=owner, board=board, title=f"Idee {n}", body="x")
        for n in range(3)
    ]
    services.cast_vote(user=voter, idea=ideas[0])
    services.cast_vote(user=voter, idea=ideas[1])
    with pytest.raises(services.IdeaActionError, match="2"):
        services.cast_vote(user=voter, idea=ideas[2])
    services.retract_vote(user=voter, idea=ideas[0])
    services.cast_vote(user=voter, idea=ideas[2])
    assert Vote.objects.filter(user=voter).count() == 2


def test_the_voting_window_is_enforced(board, idea, owner, voter):
    now = timezone.now()
    services.update_board(
        moderator=owner, board=board, voting_opens_at=now + timedelta(days=1), voting_closes_at=None
    )
    with pytest.raises(services.IdeaActionError, match="closed"):
        services.cast_vote(user=voter, idea=idea)
    services.update_board(
        moderator=owner,
        board=board,
        voting_opens_at=now - timedelta(days=2),
        voting_closes_at=now - timedelta(days=1),
    )
    with pytest.raises(services.IdeaActionError, match="closed"):
        services.cast_vote(user=voter, idea=idea)
    assert count(idea) == 0


def test_a_window_that_closes_before_it_opens_is_refused(board, owner):
    now = timezone.now()
    with pytest.raises(services.IdeaActionError):
        services.update_board(
            moderator=owner, board=board, voting_opens_at=now, voting_closes_at=now
        )


def test_decided_ideas_take_no_more_votes(idea, owner, voter):
    services.change_status(actor=owner, idea=idea, status="declined", response="Past niet.")
    with pytest.raises(services.IdeaActionError):
        services.cast_vote(user=voter, idea=idea)


def test_recount_repairs_and_reports_drift(idea, voter):
    services.cast_vote(user=voter, idea=idea)
    Idea.objects.filter(pk=idea.pk).update(vote_count=7, trending=0)
    assert services.recount_votes() == [(idea.pk, 7, 1)]
    idea.refresh_from_db()
    assert idea.vote_count == 1
    assert idea.trending == pytest.approx(ranking.exponent(idea.votes.get().created_at))
    assert services.recount_votes() == []


def test_a_decided_idea_keeps_its_support(idea, owner, voter):
    services.cast_vote(user=voter, idea=idea)
    services.change_status(actor=owner, idea=idea, status="implemented", response="Gedaan.")
    with pytest.raises(services.IdeaActionError, match="no longer takes votes"):
        services.retract_vote(user=voter, idea=idea)
    assert count(idea) == 1
