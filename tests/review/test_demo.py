"""The demo province shows leadership review at work: ideas waiting too long for an answer,
and answered ones with someone responsible and a later update."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from hub.review import selectors
from hub.review.selectors import ReviewFilters
from ideas.models import Idea, StatusChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.KRING_RESPONSE_VOTE_THRESHOLD = 10
    settings.KRING_RESPONSE_DAYS = 14
    call_command("seed_demo", stdout=io.StringIO())
    return get_user_model().objects.get(username="marieke.vanderlinden")


def test_the_dashboard_has_ideas_awaiting_a_response(demo):
    assert selectors.awaiting_count(demo) >= 3
    waiting = selectors.review_ideas(demo, ReviewFilters(awaiting=True))
    for idea in waiting:
        assert idea.vote_count >= 10
        assert selectors.waited(idea)[0].days > 14


def test_some_ideas_are_answered_with_an_owner_and_a_follow_up(demo):
    owned = Idea.objects.exclude(owner=None)
    assert owned.count() >= 3
    for idea in owned:
        changes = list(StatusChange.objects.filter(idea=idea).order_by("created_at"))
        assert len(changes) >= 2 and changes[-1].from_status == changes[-1].to_status
        assert idea.responded_at == changes[-1].created_at
        assert not selectors.review_ideas(demo, ReviewFilters()).get(pk=idea.pk).awaiting


def test_every_answered_idea_has_its_response_time(demo):
    answered = Idea.objects.filter(status_changes__response__gt="").distinct()
    assert answered.exists() and not answered.filter(responded_at=None).exists()
    popular = Idea.objects.filter(vote_count__gte=10)
    assert popular.exists() and not popular.filter(threshold_reached_at=None).exists()


def test_running_it_again_keeps_the_review_data(demo):
    before = list(
        Idea.objects.order_by("pk").values_list("owner", "threshold_reached_at", "responded_at")
    )
    changes = StatusChange.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    after = list(
        Idea.objects.order_by("pk").values_list("owner", "threshold_reached_at", "responded_at")
    )
    assert after == before and StatusChange.objects.count() == changes


def test_the_review_pages_work_on_the_demo(client, demo):
    client.force_login(demo)
    for name in ("dashboard", "decisions", "charts", "open_data", "decisions_feed"):
        assert client.get(reverse(f"review:{name}")).status_code == 200, name
