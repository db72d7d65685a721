"""Downloading one's own data: a JSON file with everything about the person, nothing else."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from discussions import services as discussions
from hub.notifications.services import set_preferences
from ideas import services as ideas

pytestmark = pytest.mark.django_db
URL = reverse("personal:export")


def download(client) -> dict:
    response = client.post(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(b"".join(response.streaming_content))


def test_the_page_explains_what_is_in_the_file(english, member):
    english.force_login(member)
    page = english.get(URL).content.decode()
    assert "It contains only your own data" in page
    assert 'method="post"' in page and "csrfmiddlewaretoken" in page


def test_the_download_is_a_named_attachment(client, history):
    client.force_login(history.anna)
    response = client.post(URL)
    assert response["Content-Disposition"] == 'attachment; filename="kring-gegevens-anna.json"'


def test_the_file_holds_the_persons_own_data(client, history):
    set_preferences(history.anna, {"reply": "off"})
    client.force_login(history.anna)
    data = download(client)
    assert data["format"] == "kring-export/1"
    assert data["profile"]["email"] == "anna@provincie.example"
    assert data["profile"]["display_name"] == "Anna de Vries"
    assert data["profile"]["department"] == "HR"
    assert [a["email"] for a in data["email_addresses"]] == ["anna@provincie.example"]
    assert {m["group_name"] for m in data["memberships"]} == {"Fietsen naar het werk"}
    assert [(r["group_name"], r["message"]) for r in data["join_requests"]] == [
        ("Snellere vergunningen", "Ik werk bij Vergunningen")
    ]
    assert [(i["group_name"], i["status"]) for i in data["invitations"]] == [
        ("Vertrouwelijk overleg", "pending")
    ]
    [post] = data["posts"]
    assert post["body"] == "Bij de hoofdingang"
    assert [r["body"] for r in post["revisions"]] == ["Bij de ingang"]
    assert post["thread_title"] == "Fietsenstalling"
    assert [(r["post_id"], r["emoji"]) for r in data["reactions"]] == [
        (history.other_post.pk, "heart")
    ]
    [idea] = data["ideas"]
    assert (idea["title"], idea["body"]) == ("Deelfietsen", "Twintig")
    assert [r["body"] for r in idea["revisions"]] == ["Tien"]
    [comment] = data["comments"]
    assert comment["body"] == "Graag heel snel"
    assert [r["body"] for r in comment["revisions"]] == ["Graag snel"]
    assert [(v["idea_id"], v["idea_title"]) for v in data["votes"]] == [
        (history.idea.pk, "Overdekte stalling")
    ]
    # Authors follow their own ideas from the start.
    assert [f["idea_id"] for f in data["follows"]] == [history.idea.pk, history.anna_idea.pk]
    assert {n["kind"] for n in data["notifications"]} >= {"mention", "invitation"}
    assert data["notification_preferences"] == [{"kind": "reply", "delivery": "off"}]
    assert data["threads"] == []


def test_the_file_holds_nothing_of_other_people(client, history):
    client.force_login(history.anna)
    data = download(client)
    # Notifications keep the short excerpt the person was shown, which may quote others.
    assert data.pop("notifications")
    text = json.dumps(data)
    assert "Piet's eigen woorden" not in text  # Piet's reply to Anna
    assert "Wie weet een plek?" not in text  # Olga's opening post
    assert "We kijken ernaar" not in text  # Olga's decision on an idea Anna follows
    assert history.olga.email not in text and history.piet.email not in text


def test_each_person_downloads_only_their_own(client, history):
    client.force_login(history.piet)
    data = download(client)
    assert data["profile"]["email"] == history.piet.email
    assert [p["body"] for p in data["posts"]] == ["@anna goed plan, Piet's eigen woorden"]
    assert data["ideas"] == [] and data["comments"] == []


def export_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        download(client)
    return len(queries)


def test_the_export_costs_the_same_queries_however_long_the_history(client, history):
    client.force_login(history.anna)
    few = export_queries(client)
    for n in range(15):
        post = discussions.create_post(author=history.anna, thread=history.thread, body=f"Nr {n}")
        discussions.edit_post(editor=history.anna, post=post, body=f"Nummer {n}")
        idea = ideas.create_idea(
            author=history.anna, board=history.idea.board, title=f"Idee {n}", body="x"
        )
        ideas.add_comment(author=history.anna, idea=idea, body="y")
    assert export_queries(client) == few
    assert few <= 30
