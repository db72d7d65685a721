# ruff: noqa: F811  (pytest fixtures imported from the groups tests)
"""Votes cast at the same moment, from real threads with their own database connections.

On PostgreSQL (CI) the transactions truly overlap, so this tests the row locks
in ideas.services (voter's membership, then the idea). On SQLite writes are
serialised (BEGIN IMMEDIATE), so it still checks that double clicks and a
budget come out right when requests queue up behind each other.
"""

import threading

import pytest
from django.db import connections

from ideas import ranking, services
from ideas.models import BoardEvent, Idea, Vote
from tests.groups.conftest import add_member, group, make_group, owner  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 60  # seconds; a deadlock or a lost thread fails instead of hanging the run


@pytest.fixture
def board(group, owner):
    return services.create_board(moderator=owner, group=group, title="Campagne 2027")


def all_at_once(calls) -> list:
    """Run every call in a thread of its own, released together; results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def work(index, call):
        try:
            barrier.wait(timeout=TIMEOUT)
            results[index] = call()
        except Exception as error:  # reported as a result: the test decides
            results[index] = error
        finally:
            connections.close_all()  # threads' connections are not closed by the test runner

    threads = [threading.Thread(target=work, args=item, daemon=True) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a voter never finished"
    return results


def unexpected(results, allowed=()) -> list:
    return [r for r in results if isinstance(r, Exception) and not isinstance(r, allowed)]


def assert_consistent(board) -> None:
    """Stored counts and scores equal what the Vote rows say; the event log has no holes."""
    for idea in Idea.objects.filter(board=board):
        times = list(Vote.objects.filter(idea=idea).values_list("created_at", flat=True))
        assert idea.vote_count == len(times), idea
        assert idea.trending == pytest.approx(ranking.from_votes(times), abs=1e-9), idea
    seqs = list(BoardEvent.objects.filter(board=board).values_list("seq", flat=True))
    board.refresh_from_db()
    assert seqs == list(range(1, board.last_seq + 1))
    assert services.recount_votes(Idea.objects.filter(board=board)) == []


def test_a_crowd_double_clicking_at_once_counts_each_voter_once(board, group, owner, add_member):
    idea = services.create_idea(author=owner, board=board, title="Fietsdag", body="Samen")
    voters = [add_member(group).user for _ in range(20)]

    clicks = [lambda v=v: services.cast_vote(user=v, idea=idea) for v in voters for _ in (1, 2)]
    results = all_at_once(clicks)

    assert unexpected(results) == []
    assert results.count(True) == 20  # one counted click per voter; the other says "already"
    assert results.count(False) == 20
    assert Vote.objects.filter(idea=idea).count() == 20
    assert set(Vote.objects.values_list("user", flat=True)) == {v.pk for v in voters}
    assert BoardEvent.objects.filter(kind="idea.votes").count() == 20
    assert_consistent(board)


def test_one_voter_on_many_ideas_at_once_stays_within_the_budget(board, group, owner, add_member):
    services.update_board(moderator=owner, board=board, votes_per_member=3)
    ideas = [
        services.create_idea(author=owner, board=board, title=f"Idee {n}", body="x")
        for n in range(12)
    ]
    voter = add_member(group).user

    clicks = [lambda i=i: services.cast_vote(user=voter, idea=i) for i in ideas for _ in (1, 2)]
    results = all_at_once(clicks)

    assert unexpected(results, allowed=services.IdeaActionError) == []
    assert results.count(True) == 3
    refused = [r for r in results if isinstance(r, services.IdeaActionError)]
    assert refused and all("3" in str(r) for r in refused)  # "all 3 votes used"
    assert Vote.objects.filter(user=voter).count() == 3
    assert_consistent(board)


def test_votes_and_retractions_at_once_keep_count_and_score_exact(board, group, owner, add_member):
    idea = services.create_idea(author=owner, board=board, title="Fietsdag", body="Samen")
    leaving = [add_member(group).user for _ in range(10)]
    for voter in leaving:
        services.cast_vote(user=voter, idea=idea)
    joining = [add_member(group).user for _ in range(10)]

    calls = [lambda v=v: services.retract_vote(user=v, idea=idea) for v in leaving]
    calls += [lambda v=v: services.cast_vote(user=v, idea=idea) for v in joining]
    results = all_at_once(calls)

    assert unexpected(results) == []
    assert results == [True] * 20
    assert set(Vote.objects.filter(idea=idea).values_list("user", flat=True)) == {
        v.pk for v in joining
    }
    assert_consistent(board)


def test_the_vote_buttons_path_stays_within_the_budget(board, group, owner, add_member):
    """vote_by_id reads and locks the idea in one query, then the voter: the same outcome as
    cast_vote's path, with a move to the original (which locks ideas, voter, board) mixed in."""
    services.update_board(moderator=owner, board=board, votes_per_member=3)
    original = services.create_idea(author=owner, board=board, title="Origineel", body="x")
    ideas = [
        services.create_idea(author=owner, board=board, title=f"Idee {n}", body="x")
        for n in range(8)
    ]
    voter = add_member(group).user
    services.cast_vote(user=voter, idea=ideas[0])
    services.change_status(
        actor=owner, idea=ideas[0], status=Idea.Status.DUPLICATE, duplicate_of=original
    )
    ideas[0].refresh_from_db()

    clicks = [
        lambda i=i: services.vote_by_id(user=voter, idea_id=i.pk, support=True)[1]
        for i in ideas[1:]
        for _ in (1, 2)
    ]
    clicks.append(lambda: services.move_vote(user=voter, from_idea=ideas[0], to_idea=original))
    results = all_at_once(clicks)

    assert unexpected(results, allowed=services.IdeaActionError) == [], results
    assert Vote.objects.filter(user=voter).count() == 3, results
    assert not Vote.objects.filter(user=voter, idea=ideas[0]).exists(), results
    assert Vote.objects.filter(user=voter, idea=original).exists()
    assert_consistent(board)


def test_a_budget_set_while_people_vote_holds_and_nobody_deadlocks(board, group, owner, add_member):
    """The budget is read from the locked idea's board, and every vote locks idea, voter,
    board in that order: a moderator setting a budget mid-vote neither deadlocks a vote
    nor lets anyone past it afterwards."""
    ideas = [
        services.create_idea(author=owner, board=board, title=f"Idee {n}", body="x")
        for n in range(6)
    ]
    voters = [add_member(group).user for _ in range(3)]

    calls = [
        lambda v=v, i=i: services.vote_by_id(user=v, idea_id=i.pk, support=True)[1]
        for v in voters
        for i in ideas
    ]
    calls.append(lambda: services.update_board(moderator=owner, board=board, votes_per_member=2))
    results = all_at_once(calls)

    assert unexpected(results, allowed=services.IdeaActionError) == []
    assert_consistent(board)
    board.refresh_from_db()
    assert board.votes_per_member == 2
    for voter in voters:  # votes cast before the budget stay; no new one past it
        mine = set(Vote.objects.filter(user=voter).values_list("idea", flat=True))
        unvoted = [idea for idea in ideas if idea.pk not in mine]
        if len(mine) >= 2 and unvoted:
            with pytest.raises(services.IdeaActionError):
                services.vote_by_id(user=voter, idea_id=unvoted[0].pk, support=True)
