"""The public decision log: the page, its filters, the CSV export and the Atom feeds."""

import csv
import io
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ideas import services
from ideas.models import StatusChange
from tests.review.conftest import english, login

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def decision_titles(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<h2 class="decision-title"><a href="[^"]+">([^<]+)</a></h2>', html)


def test_the_log_lists_decisions_newest_first_with_their_response(client, world):
    services.assign_owner(
        actor=world.users["leader"], idea=world.ideas["answered"], owner=world.users["member"]
    )
    response = english(login(client, world, "member")).get(reverse("review:decisions"))
    assert decision_titles(response) == ["Besloten voorstel", "Treinkaart voor iedereen"]
    html = response.content.decode()
    assert "We doen het <strong>graag</strong>." in html  # the sanitised response
    assert "New → Accepted" in html and "by Olga Eigenaar" in html
    assert "Responsible: Mia Lid" in html
    assert f'href="{world.ideas["answered"].get_absolute_url()}#decision-' in html


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?groep=groep-open", ["Treinkaart voor iedereen"]),
        ("?status=under_review", ["Besloten voorstel"]),
        ("?periode=7", ["Besloten voorstel"]),
        ("?antwoord=on", ["Treinkaart voor iedereen"]),
        ("?groep=groep-private", ["Besloten voorstel", "Treinkaart voor iedereen"]),  # ignored
        ("?status=onzin&periode=x&pagina=abc", ["Besloten voorstel", "Treinkaart voor iedereen"]),
    ],
)
def test_filters(client, world, query, expected):
    StatusChange.objects.filter(idea=world.ideas["answered"]).update(
        created_at=timezone.now() - timedelta(days=10)
    )
    StatusChange.objects.filter(idea=world.ideas["closed"]).update(response="", response_html="")
    response = login(client, world, "member").get(reverse("review:decisions") + query)
    assert decision_titles(response) == expected


def test_the_log_is_paginated(client, world):
    idea = world.ideas["answered"]
    for number in range(30):
        services.change_status(
            actor=world.users["owner"], idea=idea, status="accepted", response=f"Stand {number}"
        )
    response = login(client, world, "member").get(reverse("review:decisions"))
    assert len(decision_titles(response)) == 25
    second = client.get(reverse("review:decisions") + "?pagina=2")
    assert len(decision_titles(second)) == 32 - 25


# --- CSV -----------------------------------------------------------------------------------


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # Excel reads UTF-8 with the byte order mark
    return list(csv.reader(io.StringIO(body[1:])))


def test_the_csv_has_the_same_decisions_with_plain_markdown(client, world):
    response = login(client, world, "member").get(reverse("review:decisions_csv"))
    assert response.streaming
    disposition = response["Content-Disposition"]
    assert (
        disposition.startswith('attachment; filename="kring-besluiten-') and ".csv" in disposition
    )
    header, *rows = csv_rows(response)
    assert len(header) == 9
    assert [row[2] for row in rows] == ["Besloten voorstel", "Treinkaart voor iedereen"]
    answered = rows[1]
    assert answered[1] == "Groep open"
    assert answered[3] == "http://testserver" + world.ideas["answered"].get_absolute_url()
    assert answered[6] == "We doen het **graag**."  # the text as written, not HTML
    assert answered[7] == "Olga Eigenaar"


def test_the_csv_takes_the_page_filters(client, world):
    response = login(client, world, "member").get(
        reverse("review:decisions_csv") + "?groep=groep-closed"
    )
    _header, *rows = csv_rows(response)
    assert [row[2] for row in rows] == ["Besloten voorstel"]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t"])
def test_cells_that_look_like_formulas_are_made_text(client, world, start):
    idea = world.ideas["popular"]
    idea.title = f'{start}HYPERLINK("https://evil.example","klik")'
    idea.save()
    services.change_status(
        actor=world.users["owner"], idea=idea, status="declined", response=f"{start}1+1"
    )
    response = login(client, world, "member").get(reverse("review:decisions_csv"))
    _header, *rows = csv_rows(response)
    assert rows[0][2] == "'" + idea.title
    assert rows[0][6] in {f"'{start}1+1", "1+1"}  # (a leading tab is trimmed on save)
    assert all(not cell.startswith(("=", "+", "-", "@", "\t")) for row in rows for cell in row)


# --- Atom -----------------------------------------------------------------------------------


def feed_entries(response) -> list[ET.Element]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def test_the_feed_is_atom_with_absolute_links(client, world):
    entries = feed_entries(login(client, world, "member").get(reverse("review:decisions_feed")))
    assert len(entries) == 2
    first = entries[0]
    assert first.find(f"{ATOM}title").text.startswith("Besloten voorstel: ")
    link = first.find(f"{ATOM}link").get("href")
    assert link.startswith("http://testserver/ideeen/") and "#decision-" in link
    assert first.find(f"{ATOM}summary").text == "<p>Besloten antwoord.</p>"
    assert first.find(f"{ATOM}author/{ATOM}name").text == "Olga Eigenaar"


def test_the_feed_holds_the_newest_fifty(client, world):
    for number in range(55):
        services.change_status(
            actor=world.users["owner"],
            idea=world.ideas["answered"],
            status="accepted",
            response=f"Stand {number}",
        )
    entries = feed_entries(login(client, world, "member").get(reverse("review:decisions_feed")))
    assert len(entries) == 50
    assert "Stand 54" in entries[0].find(f"{ATOM}summary").text


def test_a_personal_feed_link_made_reset_and_switched_off(client, world):
    insider = world.users["insider"]
    client.force_login(insider)
    assert "feed-url" not in client.get(reverse("review:decisions")).content.decode()
    assert client.post(reverse("review:feed_token")).status_code == 302
    insider.refresh_from_db()
    first = insider.feed_token
    assert first and len(first) >= 40
    page = client.get(reverse("review:decisions")).content.decode()
    url = f"http://testserver/besluiten/feed/{first}/"
    assert f'value="{url}"' in page

    reader = client.__class__()  # a feed reader: no session
    entries = feed_entries(reader.get(url))
    assert "Geheim plan: Nieuw → Gepland" in [e.find(f"{ATOM}title").text for e in entries]

    client.post(reverse("review:feed_token"), {"action": "reset"})
    insider.refresh_from_db()
    assert insider.feed_token != first
    assert reader.get(url).status_code == 404  # the old link stops working
    assert reader.get(f"/besluiten/feed/{insider.feed_token}/").status_code == 200

    client.post(reverse("review:feed_token"), {"action": "remove"})
    insider.refresh_from_db()
    assert insider.feed_token is None
    assert "feed-url" not in client.get(reverse("review:decisions")).content.decode()


def test_under_asgi_the_csv_streams_in_batches(world):
    """daphne serves Kring: the CSV is an async stream there, read a batch at a time."""
    from asgiref.sync import async_to_sync
    from django.test import AsyncClient

    client = AsyncClient()

    async def download():
        await client.aforce_login(world.users["member"])
        response = await client.get(reverse("review:decisions_csv"))
        return response, b"".join([chunk async for chunk in response.streaming_content])

    # Run from this (sync) thread, so the view's database work shares the test's transaction.
    response, body = async_to_sync(download)()
    assert response.status_code == 200 and response.is_async
    text = body.decode()
    header, *rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert text.startswith("\ufeff") and len(header) == 9
    assert [row[2] for row in rows] == ["Besloten voorstel", "Treinkaart voor iedereen"]
