"""Private groups never show to outsiders: not on the dashboard, in the decision log, the
CSV, either feed, the charts or the open data (which also leaves out closed groups)."""

import json

import pytest
from django.urls import reverse

from groups.models import ModerationLogEntry
from hub.models import Notification
from ideas import services
from ideas.models import Idea
from tests.review.conftest import age, login

pytestmark = pytest.mark.django_db

SECRETS = ("Geheim", "Groep private", "groep-private")


def body(response) -> str:
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def outputs(client, world, role) -> dict[str, str]:
    """Everything the review pages show this person (dashboard only for leadership)."""
    login(client, world, role)
    urls = ["decisions", "decisions_csv", "decisions_feed", "charts", "open_data"]
    if role in {"leader", "staff"}:
        urls.append("dashboard")
    shown = {name: body(client.get(reverse(f"review:{name}"))) for name in urls}
    person = world.users[role]
    person.feed_token = f"token-{role}-0123456789abcdef"
    person.save()
    shown["decisions_feed_token"] = body(
        client.__class__().get(reverse("review:decisions_feed_token", args=[person.feed_token]))
    )
    return shown


@pytest.mark.parametrize("role", ["member", "moderator", "leader"])
def test_outsiders_never_see_a_private_group(client, world, role):
    # The private idea is as loud as it gets: over the threshold, unanswered, owned.
    secret = world.ideas["secret"]
    Idea.objects.filter(pk=secret.pk).update(status="under_review")
    age(secret, reached_days_ago=30, responded_days_ago=40)
    services.assign_owner(actor=world.users["staff"], idea=secret, owner=world.users["insider"])
    for name, page in outputs(client, world, role).items():
        for secret in SECRETS:
            assert secret not in page, (name, secret)


def test_members_of_the_private_group_see_it_except_in_open_data(client, world):
    shown = outputs(client, world, "insider")
    for name in ("decisions", "decisions_csv", "decisions_feed", "decisions_feed_token"):
        assert "Geheim plan" in shown[name], name
    assert "Groep private" in shown["charts"]
    assert "Geheim" not in shown["open_data"]


@pytest.mark.parametrize("role", ["member", "leader", "staff", "insider"])
def test_open_data_has_only_open_groups_whoever_asks(client, world, role):
    data = json.loads(body(login(client, world, role).get(reverse("review:open_data"))))
    assert [group["slug"] for group in data["groups"]] == ["groep-open"]
    text = json.dumps(data, ensure_ascii=False)
    for absent in ("Geheim", "Besloten", "Verborgen"):  # private, closed, hidden
        assert absent not in text


def test_hidden_ideas_stay_out_of_the_log_and_exports(client, world):
    for name, page in outputs(client, world, "staff").items():
        assert "Verborgen" not in page, name
    assert "Geheim plan" in outputs(client, world, "staff")["decisions"]  # staff see all


def test_reading_changes_nothing(client, world):
    before = (Notification.objects.count(), ModerationLogEntry.objects.count())
    outputs(client, world, "leader")
    assert (Notification.objects.count(), ModerationLogEntry.objects.count()) == before
