# ruff: noqa: F811  (pytest fixtures imported from the groups tests)
"""A vote through HTTP asks the database a small, fixed number of questions (issue 7: votes
are the most frequent write), however many votes the idea or the board already has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ideas import services
from ideas.models import BoardEvent, Follow, Idea, Vote
from tests.groups.conftest import add_member, group, make_group, owner  # noqa: F401

pytestmark = pytest.mark.django_db

# Session and user; then in one transaction: the idea with its board, group and the voter's
# membership, its row locked (one query); insert the vote (a second one breaks the unique
# constraint), update the counts, follow, the board's next seq and the event. PostgreSQL
# writes those five in one statement; a retraction deletes the vote, returning when it was
# cast, then writes the rest in one statement (SQLite reads the other votes' times for the
# trending score). SAVEPOINT and RELEASE count here (the test's own transaction; BEGIN and
# COMMIT in production). Before issue 7 a vote took 26 queries and an unvote 21; a board
# with a vote budget adds its checks.
VOTE_QUERIES = {"postgresql": 6, "sqlite": 10}
UNVOTE_QUERIES = {"postgresql": 7, "sqlite": 10}
FETCH = {"X-Requested-With": "fetch"}


@pytest.fixture
def ideas(group, owner):
    board = services.create_board(moderator=owner, group=group, title="Campagne 2027")
    return [
        services.create_idea(author=owner, board=board, title=f"Idee {n}", body="x")
        for n in range(3)
    ]


def post_counting(client, name, idea) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse(name, args=[idea.pk]), headers=FETCH)
    assert response.status_code == 200, response.content
    return len(queries), response.json()


def test_a_vote_and_its_retraction_take_a_fixed_number_of_queries(client, ideas, group, add_member):
    busy, quiet, warm = ideas
    crowd = [add_member(group).user for _ in range(30)]
    for person in crowd:  # the busy idea already has many supporters
        services.cast_vote(user=person, idea=busy)
    voter = add_member(group).user
    client.force_login(voter)
    client.post(reverse("ideas:vote", args=[warm.pk]), headers=FETCH)  # first-request caches

    counts = {}
    for idea in (quiet, busy):
        counts[idea.pk, "vote"], answer = post_counting(client, "ideas:vote", idea)
        assert answer["voted"] is True
        assert answer["votes"] == Vote.objects.filter(idea=idea).count()
        counts[idea.pk, "unvote"], answer = post_counting(client, "ideas:unvote", idea)
        assert answer["voted"] is False
        assert answer["votes"] == Vote.objects.filter(idea=idea).count()

    assert counts[quiet.pk, "vote"] == counts[busy.pk, "vote"] <= VOTE_QUERIES[connection.vendor]
    assert (
        counts[quiet.pk, "unvote"] == counts[busy.pk, "unvote"] <= UNVOTE_QUERIES[connection.vendor]
    )


def test_the_fast_vote_path_keeps_counts_follows_and_events(client, ideas, group, add_member):
    idea = ideas[0]
    voter = add_member(group).user
    client.force_login(voter)
    Follow.objects.filter(user=voter).delete()

    _, answer = post_counting(client, "ideas:vote", idea)
    _, again = post_counting(client, "ideas:vote", idea)  # a double click

    assert (answer["votes"], again["votes"], again["voted"]) == (1, 1, True)
    assert again["message"] != answer["message"]
    assert Idea.objects.get(pk=idea.pk).vote_count == 1
    assert Follow.objects.filter(user=voter, idea=idea).exists()
    kinds = list(BoardEvent.objects.filter(board=idea.board).values_list("kind", "idea_id"))
    assert kinds.count(("idea.votes", idea.pk)) == 1  # the double click recorded nothing

    _, back = post_counting(client, "ideas:unvote", idea)
    _, twice = post_counting(client, "ideas:unvote", idea)

    assert (back["votes"], back["voted"], twice["votes"], twice["voted"]) == (0, False, 0, False)
    assert Idea.objects.get(pk=idea.pk).vote_count == 0
    assert not Vote.objects.filter(idea=idea).exists()


@pytest.fixture
def prepared_statements():
    """Production commits and rolls back for real in these tests (no test transaction
    around them). A rollback makes psycopg drop every prepared statement of the connection,
    and the next requests on it are parsed and planned again. Returns a function that
    warms the vote statements up on ``idea`` and one that counts the prepared ones."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's: run with DATABASE_URL=postgres://...")

    def warm_up(client, idea) -> None:
        for _ in range(4):  # psycopg prepares a statement once it has run 5 times (settings)
            post_counting(client, "ideas:vote", idea)
            post_counting(client, "ideas:unvote", idea)

    def count() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            return cursor.fetchone()[0]

    return warm_up, count


@pytest.mark.django_db(transaction=True)
def test_a_double_click_writes_nothing_and_keeps_the_prepared_statements(
    client, ideas, group, add_member, prepared_statements
):
    """The second vote of a double click must not roll back."""
    warm_up, prepared = prepared_statements
    idea, other, _ = ideas
    voter = add_member(group).user
    client.force_login(voter)
    warm_up(client, other)
    _, first = post_counting(client, "ideas:vote", idea)
    before = prepared()

    _, again = post_counting(client, "ideas:vote", idea)  # the double click

    assert before > 0
    assert prepared() >= before  # a rollback would have dropped them all
    assert (first["voted"], first["votes"], again["voted"], again["votes"]) == (True, 1, True, 1)
    assert again["message"] != first["message"]  # "You already support this idea."
    assert Idea.objects.get(pk=idea.pk).vote_count == 1
    assert Vote.objects.filter(idea=idea, user=voter).count() == 1
    kinds = list(BoardEvent.objects.filter(board=idea.board).values_list("kind", "idea_id"))
    assert kinds.count(("idea.votes", idea.pk)) == 1


@pytest.mark.django_db(transaction=True)
def test_a_refused_vote_writes_nothing_and_keeps_the_prepared_statements(
    client, ideas, group, owner, add_member, prepared_statements
):
    """A vote over the budget is refused (409) without a rollback: nothing was written."""
    warm_up, prepared = prepared_statements
    first, second, other = ideas
    services.update_board(moderator=owner, board=first.board, votes_per_member=1)
    voter = add_member(group).user
    client.force_login(voter)
    warm_up(client, other)
    post_counting(client, "ideas:vote", first)  # the one vote of the budget
    before = prepared()
    events = BoardEvent.objects.count()

    refused = client.post(reverse("ideas:vote", args=[second.pk]), headers=FETCH)

    assert refused.status_code == 409 and refused.json()["error"]  # the budget is spent
    assert before > 0 and prepared() >= before  # a rollback would have dropped them all
    assert not Vote.objects.filter(idea=second).exists()
    assert Idea.objects.get(pk=second.pk).vote_count == 0
    assert BoardEvent.objects.count() == events
