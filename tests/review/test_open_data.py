"""/open-data/ideeen.json: boards, ideas and totals of open groups, nothing personal
(the format is in docs/open-data.md)."""

import json
from datetime import datetime

import pytest
from django.urls import reverse

from ideas import services
from tests.review.conftest import login

pytestmark = pytest.mark.django_db

URL = reverse("review:open_data")


def fetch(client, world, role="member") -> dict:
    response = login(client, world, role).get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_the_format(client, world):
    services.add_comment(author=world.users["member"], idea=world.ideas["popular"], body="Ja!")
    data = fetch(client, world)
    assert data["version"] == 1
    assert datetime.fromisoformat(data["generated_at"])
    assert data["statuses"] == [
        "new",
        "under_review",
        "accepted",
        "planned",
        "implemented",
        "declined",
        "duplicate",
    ]
    (group,) = data["groups"]
    assert group["name"] == "Groep open" and group["kind"] == "improvement"
    assert group["url"] == "http://testserver/groepen/groep-open/"
    (board,) = group["boards"]
    assert board["title"] == "Bord open" and board["state"] == "open"
    assert board["url"] == f"http://testserver/groepen/groep-open/borden/{board['id']}/"
    assert board["idea_count"] == 3  # the hidden idea is left out
    assert board["vote_total"] == 6
    assert board["ideas_by_status"] == {
        "new": 2,
        "under_review": 0,
        "accepted": 1,
        "planned": 0,
        "implemented": 0,
        "declined": 0,
        "duplicate": 0,
    }
    ideas = {idea["title"]: idea for idea in board["ideas"]}
    assert set(ideas) == {"Overdekte fietsenstalling", "Treinkaart voor iedereen", "Stille ruimte"}
    popular = ideas["Overdekte fietsenstalling"]
    assert set(popular) == {
        "id",
        "title",
        "status",
        "votes",
        "comments",
        "created",
        "url",
        "official_responses",
    }
    assert (popular["votes"], popular["comments"], popular["official_responses"]) == (3, 1, 0)
    assert popular["url"] == f"http://testserver/ideeen/{popular['id']}/"
    assert datetime.fromisoformat(popular["created"])
    assert ideas["Treinkaart voor iedereen"]["official_responses"] == 1


def test_nothing_personal(client, world):
    text = json.dumps(fetch(client, world), ensure_ascii=False)
    for user in world.users.values():
        assert user.name not in text
        assert user.email not in text
    assert "@" not in text


def test_the_same_for_everyone(client, world):
    first = fetch(client, world, "member")
    client.logout()
    second = fetch(client, world, "staff")
    first.pop("generated_at"), second.pop("generated_at")
    assert first == second


def test_archived_and_waiting_groups_are_left_out(client, world, make_group):
    from django.utils import timezone

    make_group(name="Wachtend", status="pending")
    world.open.archived_at = timezone.now()
    world.open.save()
    assert fetch(client, world)["groups"] == []


def _shape(value):
    """The keys of a document, recursively (lists by their first element)."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value and isinstance(value[0], dict | list) else []
    return type(value).__name__


def test_the_documented_example_has_the_real_shape(client, world):
    from pathlib import Path

    from django.conf import settings

    text = (Path(settings.BASE_DIR) / "docs" / "open-data.md").read_text()
    example = json.loads(text.split("```json", 1)[1].split("```", 1)[0])
    assert _shape(example) == _shape(fetch(client, world))
