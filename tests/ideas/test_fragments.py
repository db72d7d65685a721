"""Cached idea cards: each reader still gets their own vote button, and changes show.

The board page renders a page of cards once and keeps it in the cache
(ideas/fragments.py); the vote form's per-reader bits are filled in per request.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from hub import fragments
from ideas import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(world):
    return world("open")


def as_(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def card(client, idea) -> str:
    response = client.get(idea.board.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index(f'<li id="idea-{idea.pk}"')
    return html[start : html.index("</li>", html.index("</article>", start))]


def vote_form(block: str) -> tuple[str, bool, str]:
    """(where the form posts, whether it is hidden, aria-pressed)."""
    form = re.search(
        r'<form method="post" action="([^"]+)" class="vote-form"[^>]*?( hidden)?>', block
    )
    pressed = re.search(r'class="vote-button" aria-pressed="(\w+)"', block).group(1)
    return form.group(1), form.group(2) is not None, pressed


def test_readers_of_one_cached_board_each_get_their_own_vote_button(w):
    member, moderator, outsider = (w.users[r] for r in ("member", "moderator", "nonmember"))
    vote, unvote = (reverse(name, args=[w.idea.pk]) for name in ("ideas:vote", "ideas:unvote"))

    # The member supports the idea (the world's vote): the form takes the vote back.
    assert vote_form(card(as_(member), w.idea)) == (unvote, False, "true")
    # From the cache, for a moderator who has not voted.
    assert vote_form(card(as_(moderator), w.idea)) == (vote, False, "false")
    # Outsiders cannot vote; the author cannot vote on their own idea.
    assert vote_form(card(as_(outsider), w.idea))[1:] == (True, "false")
    assert vote_form(card(as_(w.users["owner"]), w.idea))[1]
    assert fragments._prefix() not in card(as_(moderator), w.idea)


def test_the_cached_vote_form_works_with_this_reader_s_csrf_token(w):
    card(as_(w.users["member"]), w.idea)  # cached with someone else's session
    client = as_(w.users["moderator"], enforce_csrf_checks=True)
    block = card(client, w.idea)
    action, _hidden, _pressed = vote_form(block)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', block).group(1)
    assert client.post(action, {"csrfmiddlewaretoken": token}).status_code == 302
    assert w.idea.votes.filter(user=w.users["moderator"]).exists()


def test_a_vote_and_a_new_name_show_on_the_next_load(w, django_capture_on_commit_callbacks):
    reader = as_(w.users["moderator"])
    assert 'class="vote-count">1<' in card(reader, w.idea)
    services.cast_vote(user=w.users["moderator"], idea=w.idea)
    assert 'class="vote-count">2<' in card(reader, w.idea)
    with django_capture_on_commit_callbacks(execute=True):
        w.users["owner"].display_name = "Olga van Dam"
        w.users["owner"].save()
    assert "Olga van Dam" in card(reader, w.idea)
