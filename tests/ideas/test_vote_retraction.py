# ruff: noqa: F811  (pytest fixtures imported from the groups tests)
"""Taking a vote back leaves the idea's count and trending score as a recount would find
them, whichever vote goes and however old the others are (issue 7: a retraction no longer
reads every vote of the idea on PostgreSQL)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ideas import ranking, services
from ideas.models import Idea, Vote
from tests.groups.conftest import add_member, group, make_group, owner  # noqa: F401

pytestmark = pytest.mark.django_db
FETCH = {"X-Requested-With": "fetch"}


@pytest.fixture
def idea(group, owner):
    board = services.create_board(moderator=owner, group=group, title="Campagne 2027")
    return services.create_idea(author=owner, board=board, title="Fietsenstalling", body="x")


def supporters(idea, group, add_member, ages_in_half_lives):
    """Members whose votes were cast this many half-lives ago (stored as a recount would)."""
    people = []
    now = timezone.now()
    for age in ages_in_half_lives:
        person = add_member(group).user
        services.cast_vote(user=person, idea=idea)
        Vote.objects.filter(idea=idea, user=person).update(
            created_at=now - age * ranking.half_life()
        )
        people.append(person)
    services.recount_votes(Idea.objects.filter(pk=idea.pk))
    return people


def assert_as_recounted(idea):
    stored = Idea.objects.get(pk=idea.pk)
    times = list(Vote.objects.filter(idea=idea).values_list("created_at", flat=True))
    assert stored.vote_count == len(times)
    assert stored.trending == pytest.approx(ranking.from_votes(times), abs=1e-9)


@pytest.mark.parametrize(
    "ages",
    [
        [0, 0.5, 1, 3, 7.25, 0.01],
        [0, 60, 61, 62],  # the newest vote is nearly the whole score: counted from the votes
        [40, 0],
    ],
)
def test_taking_votes_back_keeps_the_score_a_recount_finds(client, idea, group, add_member, ages):
    people = supporters(idea, group, add_member, ages)
    for person in people:
        client.force_login(person)
        answer = client.post(reverse("ideas:unvote", args=[idea.pk]), headers=FETCH).json()
        assert answer["voted"] is False
        assert answer["votes"] == Vote.objects.filter(idea=idea).count()
        assert_as_recounted(idea)
    assert Idea.objects.get(pk=idea.pk).trending == 0


def test_taking_back_a_vote_twice_changes_nothing_the_second_time(client, idea, group, add_member):
    first, second = supporters(idea, group, add_member, [0, 2])
    client.force_login(first)
    done = client.post(reverse("ideas:unvote", args=[idea.pk]), headers=FETCH).json()
    again = client.post(reverse("ideas:unvote", args=[idea.pk]), headers=FETCH).json()

    assert (done["votes"], again["votes"], again["voted"]) == (1, 1, False)
    assert again["message"] != done["message"]
    assert_as_recounted(idea)
    assert Vote.objects.filter(idea=idea, user=second).exists()
