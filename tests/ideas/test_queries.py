"""Idea pages ask the database a fixed number of questions, however many ideas, votes,
comments or decisions there are (no query per card, tag, vote or comment)."""

import pytest
from django.urls import reverse

from groups.models import Membership
from hub import fragments
from ideas import services
from ideas.models import Idea
from tests.helpers import queries_for

pytestmark = pytest.mark.django_db

# A page of cards rendered for the first time is also stored in the cache: with the
# embedded database cache that is 5 more queries (none with Redis, as in production).
BOARD_PAGE_BOUND = 18
# Shown again, the cards come from the cache: issue 7's budget.
WARM_BOARD_PAGE_BOUND = 12
IDEA_PAGE_BOUND = 18


@pytest.fixture
def crowd(make_user, make_group, add_member):
    owner = make_user(display_name="Olga Eigenaar")
    group = make_group(owner=owner, name="Fietsen naar het werk")
    people = [add_member(group).user for _ in range(4)]
    moderator = add_member(group, make_user(), Membership.Role.MODERATOR).user
    reader = add_member(group, make_user(display_name="Rita Lezer")).user
    return group, owner, people, moderator, reader


def make_board(group, owner, title, count, people, budget=None):
    board = services.create_board(moderator=owner, group=group, title=title, tags=["Groen", "Snel"])
    tags = list(board.tags.all())
    for n in range(count):
        idea = services.create_idea(
            author=people[n % len(people)],
            board=board,
            title=f"Idee {n}",
            body="x",
            tag_ids=[tags[n % 2].pk],
        )
        services.cast_vote(user=people[(n + 1) % len(people)], idea=idea)
        if n % 7 == 3:
            services.hide_idea(moderator=owner, idea=idea, reason="Dubbel")
    if budget:  # a budget for the viewer's votes (the crowd's came first)
        services.update_board(moderator=owner, board=board, votes_per_member=budget)
    return board


def signed_in(client, user):
    client.force_login(user)
    client.get(reverse("home"))  # warm-up: first-request caches are not the page's
    fragments.current_version()  # made once per site, not per page
    return client


@pytest.mark.parametrize("who", ["reader", "moderator"])
@pytest.mark.parametrize("query", ["", "?sortering=trending", "?sortering=nieuw&pagina=2"])
def test_the_board_page_asks_the_same_queries_for_5_or_100_ideas(client, crowd, who, query):
    group, owner, people, moderator, reader = crowd
    viewer = {"reader": reader, "moderator": moderator}[who]
    small = make_board(group, owner, "Klein", 5, people, budget=10)
    big = make_board(group, owner, "Groot", 100, people, budget=10)
    for board in (small, big):  # the viewer supports some ideas on each board
        for idea in Idea.objects.filter(board=board, hidden_at__isnull=True)[:3]:
            if idea.author_id != viewer.pk:
                services.cast_vote(user=viewer, idea=idea)
    signed_in(client, viewer)
    small_url = small.get_absolute_url() + query.replace("pagina=2", "pagina=1")
    big_url = big.get_absolute_url() + query
    few, many = queries_for(client, small_url), queries_for(client, big_url)
    assert few == many
    assert few <= BOARD_PAGE_BOUND
    warm_few, warm_many = queries_for(client, small_url), queries_for(client, big_url)
    assert warm_few == warm_many <= WARM_BOARD_PAGE_BOUND


def warm_queries_for(client, url) -> int:
    """Queries of the page shown a second time (its cards cached by the first)."""
    queries_for(client, url)
    return queries_for(client, url)


def test_the_board_page_asks_the_same_queries_with_10_000_ideas(client, crowd):
    group, owner, people, moderator, reader = crowd
    board = make_board(group, owner, "Tienduizend", 5, people)
    signed_in(client, reader)
    url = board.get_absolute_url()
    few = {
        sort: warm_queries_for(client, f"{url}?sortering={sort}")
        for sort in ("top", "trending", "nieuw")
    }
    Idea.objects.bulk_create(
        Idea(board=board, author=people[n % 4], title=f"Massa {n}", body="x", vote_count=n % 50)
        for n in range(10_000)
    )
    for sort in ("top", "trending", "nieuw"):
        assert warm_queries_for(client, f"{url}?sortering={sort}&pagina=200") == few[sort]
        assert warm_queries_for(client, f"{url}?sortering={sort}&status=new&tag=1") <= few[sort] + 1


@pytest.mark.parametrize("who", ["reader", "moderator"])
def test_the_idea_page_asks_the_same_queries_for_few_or_many_comments_and_decisions(
    client, crowd, who
):
    group, owner, people, moderator, reader = crowd
    viewer = {"reader": reader, "moderator": moderator}[who]
    board = make_board(group, owner, "Bord", 3, people)
    quiet, busy, original = Idea.objects.filter(board=board).order_by("pk")
    for idea, count in ((quiet, 1), (busy, 15)):
        for n in range(count):
            comment = services.add_comment(author=people[n % 4], idea=idea, body=f"Reactie {n}")
            if n % 3 == 0:
                services.edit_comment(editor=people[n % 4], comment=comment, body=f"Beter {n}")
            if n % 5 == 4:
                services.hide_comment(moderator=owner, comment=comment, reason="Nee")
        for status in ["under_review", "accepted", "planned"][: 1 if count == 1 else 3]:
            services.change_status(actor=owner, idea=idea, status=status, response="Ok")
        services.change_status(
            actor=owner,
            idea=idea,
            status="duplicate",
            duplicate_of=original,
            response="Zelfde",
        )
    signed_in(client, viewer)
    few = queries_for(client, quiet.get_absolute_url())
    many = queries_for(client, busy.get_absolute_url())
    assert few == many
    assert few <= IDEA_PAGE_BOUND


def test_the_boards_list_and_group_page_ask_the_same_queries_for_1_or_8_boards(client, crowd):
    group, owner, people, moderator, reader = crowd
    make_board(group, owner, "Eerste", 2, people)
    signed_in(client, reader)
    urls = [reverse("ideas:boards", args=[group.slug]), group.get_absolute_url()]
    few = [queries_for(client, url) for url in urls]
    for n in range(7):
        make_board(group, owner, f"Bord {n}", 2, people)
    assert [queries_for(client, url) for url in urls] == few
