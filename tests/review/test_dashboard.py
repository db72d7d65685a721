"""The leadership dashboard: which ideas, filtered and sorted how, and which await an answer."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import Membership
from hub.review import selectors
from hub.review.selectors import ReviewFilters
from ideas import services
from ideas.models import Idea, StatusChange, Vote
from tests.review.conftest import age, english, login

pytestmark = pytest.mark.django_db

URL = reverse("review:dashboard")


def titles(response) -> list[str]:
    """The idea titles in the table, in order."""
    html = response.content.decode()
    return re.findall(r'<th scope="row"><a href="/ideeen/\d+/">([^<]+)</a>', html)


def dashboard(client, world, role="leader", query=""):
    response = login(client, world, role).get(URL + query)
    assert response.status_code == 200
    return response


def test_leadership_sees_ideas_of_open_and_closed_groups_not_private_or_hidden(client, world):
    shown = titles(dashboard(client, world))
    assert set(shown) == {
        "Overdekte fietsenstalling",
        "Treinkaart voor iedereen",
        "Stille ruimte",
        "Besloten voorstel",
    }
    page = dashboard(client, world).content.decode()
    assert "Geheim" not in page and "groep-private" not in page
    assert "Verborgen" not in page


def test_private_groups_show_for_their_members_and_staff(client, world):
    assert "Geheim plan" in titles(dashboard(client, world, "staff"))
    Membership.objects.create(group=world.private, user=world.users["leader"])
    assert "Geheim plan" in titles(dashboard(client, world))


def test_sorted_by_votes_or_by_trending(client, world):
    services.cast_vote(user=world.users["member"], idea=world.ideas["quiet"])
    # Old support counts for less in Trending: the popular idea's votes are a month old.
    Vote.objects.filter(idea=world.ideas["popular"]).update(
        created_at=timezone.now() - timedelta(days=30)
    )
    services.recount_votes()
    by_votes = titles(dashboard(client, world))
    assert by_votes.index("Stille ruimte") == len(by_votes) - 1
    trending = titles(dashboard(client, world, query="?sortering=trending"))
    assert trending.index("Stille ruimte") < trending.index("Overdekte fietsenstalling")
    html = dashboard(client, world, query="?sortering=trending").content.decode()
    assert re.search(r'<a href="\?sortering=trending" aria-current="page">', html)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?status=accepted", {"Treinkaart voor iedereen"}),
        ("?soort=interest", {"Besloten voorstel"}),
        ("?groep=groep-closed", {"Besloten voorstel"}),
        ("?tag=Fiets", {"Overdekte fietsenstalling"}),
        ("?tag=Fiets&status=accepted", set()),
        ("?periode=7", {"Overdekte fietsenstalling", "Treinkaart voor iedereen"}),
    ],
)
def test_filters(client, world, query, expected):
    age(world.ideas["quiet"], created_days_ago=8)
    age(world.ideas["closed"], created_days_ago=100)
    assert set(titles(dashboard(client, world, query=query))) == expected


@pytest.mark.parametrize(
    "query",
    [
        "?periode=abc&status=onzin&soort=x&sortering=x&tag=Onbekend&pagina=99",
        "?groep=groep-private",  # a group the viewer may not see is no filter at all
        "?periode=\x00&groep=%00&pagina=-1&sortering=%00",
    ],
)
def test_odd_filter_values_are_ignored_not_errors(client, world, query):
    shown = titles(dashboard(client, world, query=query))
    assert "Geheim plan" not in shown
    assert "Overdekte fietsenstalling" in shown


def test_the_filter_form_is_labelled(client, world):
    html = dashboard(client, world).content.decode()
    for name in ("periode", "soort", "groep", "status", "tag", "wacht"):
        assert f'<label for="id_{name}">' in html
        assert f'id="id_{name}"' in html
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html


# --- Awaiting a response ----------------------------------------------------------------


def awaiting(world) -> set[str]:
    ideas = selectors.review_ideas(world.users["leader"], ReviewFilters())
    return {idea.title for idea in ideas if idea.awaiting}


def test_cast_vote_starts_the_clock_at_the_threshold(world):
    popular = world.idea("popular")
    first_votes = Vote.objects.filter(idea=popular).order_by("created_at")
    assert popular.threshold_reached_at == first_votes[1].created_at  # the second vote
    assert world.idea("quiet").threshold_reached_at is None


def test_an_idea_over_the_threshold_for_too_long_awaits_a_response(world):
    age(world.ideas["popular"], reached_days_ago=13)
    assert awaiting(world) == set()
    age(world.ideas["popular"], reached_days_ago=15)
    assert awaiting(world) == {"Overdekte fietsenstalling"}


def test_a_response_after_the_threshold_stops_the_wait(world):
    age(world.ideas["answered"], reached_days_ago=30, responded_days_ago=20)
    assert "Treinkaart voor iedereen" not in awaiting(world)
    # An answer from before the idea took off does not count.
    age(world.ideas["answered"], reached_days_ago=20, responded_days_ago=30)
    Idea.objects.filter(pk=world.ideas["answered"].pk).update(status="under_review")
    assert "Treinkaart voor iedereen" in awaiting(world)


@pytest.mark.parametrize("status", ["declined", "duplicate", "implemented"])
def test_decided_ideas_await_nothing(world, status):
    age(world.ideas["popular"], reached_days_ago=30)
    Idea.objects.filter(pk=world.ideas["popular"].pk).update(status=status)
    assert awaiting(world) == set()


def test_below_the_threshold_nothing_is_awaited(world):
    age(world.ideas["popular"], reached_days_ago=30)
    Idea.objects.filter(pk=world.ideas["popular"].pk).update(vote_count=1)
    assert awaiting(world) == set()


def test_private_ideas_are_never_counted_for_outsiders(world):
    for name in ("popular", "secret"):
        age(world.ideas[name], reached_days_ago=30, responded_days_ago=40)
    assert selectors.awaiting_count(world.users["leader"]) == 1
    assert selectors.awaiting_count(world.users["staff"]) == 2


def test_the_page_shows_the_overall_count_the_flag_and_a_link_to_filter(client, world):
    age(world.ideas["popular"], reached_days_ago=21)
    english(client)
    html = dashboard(client, world, query="?status=accepted").content.decode()
    assert re.search(r'class="awaiting-count">1</span>\s*idea awaits a response', html)
    assert '<a href="?wacht=1">' in html
    full = dashboard(client, world).content.decode()
    row = re.search(r'<tr class="row-awaiting">(.*?)</tr>', full, re.S).group(1)
    assert "Overdekte fietsenstalling" in row
    assert "Awaiting response" in row and "21 days" in row  # text, not only colour
    assert full.count('class="row-awaiting"') == 1
    assert titles(dashboard(client, world, query="?wacht=1")) == ["Overdekte fietsenstalling"]


def test_waited_runs_from_the_threshold_to_the_response_or_now(world):
    now = timezone.now()
    idea = Idea(created_at=now - timedelta(days=40), threshold_reached_at=now - timedelta(days=30))
    assert selectors.waited(idea, now) == (timedelta(days=30), False)
    idea.responded_at = now - timedelta(days=26)
    assert selectors.waited(idea, now) == (timedelta(days=4), True)
    idea.responded_at = now - timedelta(days=35)  # before the threshold: still waiting
    assert selectors.waited(idea, now) == (timedelta(days=30), False)
    idea.threshold_reached_at = None  # below the threshold: since it was posted
    assert selectors.waited(idea, now) == (timedelta(days=5), True)
    idea.responded_at = None
    assert selectors.waited(idea, now) == (timedelta(days=40), False)


# --- Sparklines ---------------------------------------------------------------------------


def test_vote_trends_are_cumulative_per_local_day(world, make_user):
    idea = world.idea("quiet")
    now = timezone.now()
    times = [now - timedelta(days=45), now - timedelta(days=10), now - timedelta(days=10), now]
    for when in times:
        Vote.objects.create(idea=idea, user=make_user(), created_at=when)
    Idea.objects.filter(pk=idea.pk).update(vote_count=len(times))
    idea.refresh_from_db()
    dates, trends = selectors.vote_trends([idea])
    assert len(dates) == 30 and dates[-1] == timezone.localdate()
    series = trends[idea.pk]
    ten_days_ago = dates.index(timezone.localdate(now - timedelta(days=10)))
    assert series[0] == 1  # the vote from before the window
    assert series[ten_days_ago - 1] == 1 and series[ten_days_ago] == 3
    assert series[-1] == 4
    assert series == sorted(series)


def test_the_dashboard_draws_a_named_sparkline_per_row(client, world):
    html = dashboard(english(client), world).content.decode()
    assert html.count('class="chart sparkline"') == 4
    assert "Votes in the last 30 days: from 0 to 3" in html


def test_waited_ends_at_the_first_answer_not_a_later_update(world):
    idea = world.ideas["answered"]
    now = timezone.now()
    age(idea, reached_days_ago=30)
    StatusChange.objects.filter(idea=idea).update(created_at=now - timedelta(days=26))
    services.change_status(
        actor=world.users["owner"], idea=idea, status="accepted", response="Update"
    )
    row = selectors.review_ideas(world.users["leader"], ReviewFilters()).get(pk=idea.pk)
    waited, answered = selectors.waited(row, now)
    assert answered and abs(waited - timedelta(days=4)) < timedelta(minutes=1)
    assert not row.awaiting
