"""Review pages ask the database a fixed number of questions, however many groups, ideas,
votes and decisions there are: counts are aggregate queries, never one per group or row."""

import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from discussions import services as discussion_services
from groups.models import Membership
from ideas import services
from ideas.models import Idea
from tests.helpers import queries_for
from tests.review.conftest import age

pytestmark = pytest.mark.django_db

_numbers = itertools.count()


@pytest.fixture
def crowd(make_user, make_group):
    owner = make_user(display_name="Olga Eigenaar")
    voters = [make_user(), make_user()]
    viewer = make_user(display_name="Lotte Leiding", leadership=True)

    def grow(count):
        for _n in range(count):
            number = next(_numbers)
            visibility = ("open", "closed", "private")[number % 3]
            group = make_group(owner=owner, name=f"Groep {number}", visibility=visibility)
            for person in (*voters, viewer):
                Membership.objects.create(group=group, user=person)
            board = services.create_board(moderator=owner, group=group, title="Bord", tags=["T"])
            thread = discussion_services.create_thread(
                author=owner, group=group, title="Praat", body="Wat vinden jullie?"
            )
            discussion_services.create_post(author=voters[0], thread=thread, body="Goed!")
            for letter in "ab":
                idea = services.create_idea(
                    author=owner,
                    board=board,
                    title=f"Idee {number}{letter}",
                    body="x",
                    tag_ids=[board.tags.get().pk],
                )
                for voter in voters:
                    services.cast_vote(user=voter, idea=idea)
                services.add_comment(author=voters[0], idea=idea, body="Mee eens")
                services.change_status(
                    actor=owner, idea=idea, status="under_review", response="We kijken"
                )
                services.assign_owner(actor=owner, idea=idea, owner=voters[1])
                age(idea, reached_days_ago=30, responded_days_ago=40)
        Idea.objects.update(status_changed_at=timezone.now())

    return grow, viewer


URLS = [
    reverse("review:dashboard"),
    reverse("review:dashboard") + "?sortering=trending&tag=T&wacht=1",
    reverse("review:dashboard") + "?periode=30&soort=interest&pagina=2",
    reverse("review:decisions"),
    reverse("review:decisions") + "?antwoord=on&status=under_review&pagina=2",
    reverse("review:decisions_feed"),
    reverse("review:charts"),
    reverse("review:open_data"),
]


@pytest.mark.parametrize("url", URLS)
def test_the_same_queries_for_2_or_30_groups(client, crowd, url):
    grow, viewer = crowd
    grow(2)
    client.force_login(viewer)
    client.get(reverse("home"))  # warm-up: first-request caches are not the page's
    small = queries_for(client, url)
    grow(28)
    big = queries_for(client, url)
    assert big == small, url


def test_the_csv_streams_in_a_fixed_number_of_queries(client, crowd, django_assert_max_num_queries):
    grow, viewer = crowd
    grow(30)
    client.force_login(viewer)
    response = client.get(reverse("review:decisions_csv"))
    with django_assert_max_num_queries(3):
        lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 1 + 60


def test_the_decide_page_does_not_grow_with_the_group(client, crowd, make_user):
    grow, viewer = crowd
    grow(1)
    client.force_login(viewer)
    client.get(reverse("home"))
    idea = Idea.objects.order_by("pk").first()
    url = reverse("review:decide", args=[idea.pk])
    small = queries_for(client, url)
    for n in range(20):  # more members to choose from, more ideas to duplicate
        person = Membership.objects.create(group=idea.board.group, user=make_user()).user
        services.create_idea(author=person, board=idea.board, title=f"Nog een idee {n}", body="x")
    assert queries_for(client, url) == small
