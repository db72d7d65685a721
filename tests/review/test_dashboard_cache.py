"""The dashboard keeps its counts, its page of ideas and its HTML in the cache (issue 7):
whatever changes, the next view shows it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ideas import services
from ideas.models import Idea, Vote
from tests.helpers import queries_for
from tests.review.conftest import age, english, login
from tests.review.test_dashboard import titles

pytestmark = pytest.mark.django_db

URL = reverse("review:dashboard")


def page(client, query="") -> str:
    response = client.get(URL + query)
    assert response.status_code == 200
    return response.content.decode()


def sparkline_of(html, title) -> str:
    row = re.search(rf"<tr[^>]*>\s*<th scope=\"row\"><a [^>]+>{title}</a>.*?</tr>", html, re.S)
    return re.search(r'<polyline points="([^"]+)"', row.group(0)).group(1)


@pytest.fixture
def leader(client, world):
    return english(login(client, world, "leader"))


def test_a_vote_shows_on_the_next_view(leader, world):
    assert "Votes in the last 30 days: from 0 to 3" in page(leader)
    services.cast_vote(user=world.users["member"], idea=world.ideas["popular"])
    html = page(leader)
    assert "Votes in the last 30 days: from 0 to 4" in html
    assert titles(leader.get(URL))[0] == "Overdekte fietsenstalling"  # now the most votes


def test_votes_moved_in_time_redraw_the_sparkline(leader, world):
    before = sparkline_of(page(leader), "Overdekte fietsenstalling")
    Vote.objects.filter(idea=world.ideas["popular"]).update(
        created_at=timezone.now() - timedelta(days=10)
    )
    services.recount_votes()  # the same number of votes, a different trending score
    after = sparkline_of(page(leader), "Overdekte fietsenstalling")
    assert after != before


def test_a_new_idea_counts_and_shows_at_once(leader, world):
    assert "4 ideas" in page(leader)
    services.create_idea(
        author=world.users["member"], board=world.boards["open"], title="Nieuw plan", body="x"
    )
    html = page(leader)
    assert "5 ideas" in html and "Nieuw plan" in html


def test_a_hidden_idea_leaves_at_once(leader, world):
    assert "Stille ruimte" in page(leader)
    services.hide_idea(moderator=world.users["owner"], idea=world.ideas["quiet"], reason="Weg")
    html = page(leader)
    assert "Stille ruimte" not in html and "3 ideas" in html


def test_a_changed_name_shows_although_no_idea_changed(leader, world):
    services.assign_owner(
        actor=world.users["owner"], idea=world.ideas["popular"], owner=world.users["moderator"]
    )
    assert "Mo Moderator" in page(leader)
    person = world.users["moderator"]
    person.display_name = "Mo Nieuwenaam"
    person.save()  # a profile change: no board event
    html = page(leader)
    assert "Mo Nieuwenaam" in html and "Mo Moderator" not in html


def test_the_page_follows_the_language(client, world):
    login(client, world, "leader")
    assert "Votes in the last 30 days" not in page(client)  # Dutch by default
    assert "Votes in the last 30 days" in page(english(client))


def test_time_alone_makes_an_idea_await_within_a_minute(leader, world, monkeypatch):
    age(world.ideas["popular"], reached_days_ago=13)
    assert 'class="row-awaiting"' not in page(leader)
    # A day passes without any write: the cached counts and page last a minute at most.
    later = timezone.now() + timedelta(days=1, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    html = page(leader)
    assert re.search(r'class="awaiting-count">1</span>', html)
    assert html.count('class="row-awaiting"') == 1


def test_an_admin_edit_shows_within_a_minute(leader, world, monkeypatch):
    assert "Stille ruimte" in page(leader)
    Idea.objects.filter(pk=world.ideas["quiet"].pk).update(hidden_at=timezone.now())
    later = timezone.now() + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "Stille ruimte" not in page(leader)


def test_a_second_view_asks_fewer_queries(leader, world):
    first = queries_for(leader, URL + "?sortering=trending")
    second = queries_for(leader, URL + "?sortering=trending")
    assert second < first
    assert second <= 12


# --- The decision log keeps its count, page and list the same way -----------------------

DECISIONS = reverse("review:decisions")


def test_a_new_decision_shows_at_once_in_the_log(client, world):
    login(english(client), world, "member")
    assert "2 decisions" in client.get(DECISIONS).content.decode()
    services.change_status(
        actor=world.users["owner"], idea=world.ideas["quiet"], status="declined", response="Nee"
    )
    html = client.get(DECISIONS).content.decode()
    assert "3 decisions" in html and "Stille ruimte" in html


def test_a_renamed_decider_shows_in_the_log_at_once(client, world):
    login(english(client), world, "member")
    assert "by Olga Eigenaar" in client.get(DECISIONS).content.decode()
    boss = world.users["owner"]
    boss.display_name = "Olga Andersnaam"
    boss.save()  # no board event: the list is checked against the decisions it shows
    html = client.get(DECISIONS).content.decode()
    assert "by Olga Andersnaam" in html and "by Olga Eigenaar" not in html


def test_the_log_asks_fewer_queries_the_second_time(client, world):
    login(client, world, "member")
    first = queries_for(client, DECISIONS)
    second = queries_for(client, DECISIONS)
    assert second < first
