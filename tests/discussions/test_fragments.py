"""Cached post fragments: each reader still sees their own controls, and changes show.

The thread page renders a page of posts once and keeps it in the cache
(discussions/fragments.py); what differs per reader is filled in per request.
"""

import re

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from discussions import events, services
from discussions.models import Post
from hub import fragments
from ideas.models import Board

pytestmark = pytest.mark.django_db


def page(client, thread) -> str:
    response = client.get(thread.get_absolute_url() + "?pagina=1")
    assert response.status_code == 200
    return response.content.decode()


def post_block(html: str, post) -> str:
    start = html.index(f'<li id="post-{post.pk}"')
    return html[start : html.index("</article>", start)]


def shown(block: str, roles: str) -> bool:
    """Whether the control for ``roles`` is in the post and not hidden."""
    found = re.search(rf'data-for="{roles}"( hidden)?>', block)
    assert found, f"no control for {roles!r}"
    return found.group(1) is None


def as_(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_readers_of_one_cached_page_each_see_their_own_controls(world):
    w = world("open")
    member, moderator, outsider = (w.users[r] for r in ("member", "moderator", "nonmember"))
    services.toggle_reaction(user=member, post=w.post, emoji="heart")

    mine = post_block(page(as_(member), w.thread), w.post)  # renders and caches the page
    assert shown(mine, "author") and shown(mine, "member") and not shown(mine, "moderator")
    assert 'aria-pressed="true"' in mine and " disabled" not in mine

    theirs = post_block(page(as_(moderator), w.thread), w.post)  # from the cache
    assert not shown(theirs, "author") and shown(theirs, "moderator")
    assert 'aria-pressed="false"' in theirs and 'aria-pressed="true"' not in theirs

    outside = post_block(page(as_(outsider), w.thread), w.post)
    assert not shown(outside, "member") and not shown(outside, "author")
    assert not shown(outside, "moderator")
    assert " disabled" in outside  # an outsider cannot react
    assert fragments._prefix() not in outside  # no marker left over


def test_the_cached_forms_carry_this_reader_s_csrf_token(world):
    w = world("open")
    page(as_(w.users["moderator"]), w.thread)  # cached with someone else's session
    client = Client(enforce_csrf_checks=True)
    client.force_login(w.users["member"])
    block = post_block(page(client, w.thread), w.post)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', block).group(1)
    response = client.post(
        reverse("discussions:react", args=[w.post.pk]),
        {"emoji": "tada", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert w.post.reactions.filter(user=w.users["member"], emoji="tada").exists()


def test_a_new_name_shows_on_the_next_load_of_a_cached_page(
    world, django_capture_on_commit_callbacks
):
    w = world("open")
    member = w.users["member"]
    reader = as_(w.users["moderator"])
    assert "Mia Lid" in post_block(page(reader, w.thread), w.post)
    with django_capture_on_commit_callbacks(execute=True):  # the cache forgets after commit
        response = as_(member).post(
            reverse("profile"), {"display_name": "Mia van der Lid", "department": ""}
        )
    assert response.status_code == 302
    assert "Mia van der Lid" in post_block(page(reader, w.thread), w.post)


def test_a_post_and_a_reaction_show_on_the_next_load(world, make_post):
    w = world("open")
    reader = as_(w.users["moderator"])
    page(reader, w.thread)
    services.toggle_reaction(user=w.users["owner"], post=w.post, emoji="tada")
    new = make_post(w.thread, w.users["member"], body="Nog een bericht")
    html = page(reader, w.thread)
    assert "Nog een bericht" in post_block(html, new)
    assert 'title="Olga Eigenaar"' in post_block(html, w.post)


def test_an_edit_in_the_admin_shows_on_the_next_load(world, django_capture_on_commit_callbacks):
    w = world("open")
    reader = as_(w.users["moderator"])
    page(reader, w.thread)
    post = Post.objects.get(pk=w.post.pk)
    post.body = "Door beheer aangepast"
    request = RequestFactory().post("/")
    request.user = w.users["staff"]
    with django_capture_on_commit_callbacks(execute=True):
        admin.site._registry[Post].save_model(request, post, form=None, change=True)
    assert "Door beheer aangepast" in post_block(page(reader, w.thread), w.post)


def test_each_language_has_its_own_cached_page(world):
    w = world("open")
    reader = as_(w.users["member"])
    dutch = reader.get(w.thread.get_absolute_url(), headers={"accept-language": "nl"})
    reader.cookies["django_language"] = "en"
    english = reader.get(w.thread.get_absolute_url())
    assert ">Citeren<" in post_block(dutch.content.decode(), w.post)
    assert ">Quote<" in post_block(english.content.decode(), w.post)


def test_text_in_a_post_cannot_pose_as_a_marker(world, make_post):
    w = world("open")
    forged = "\ue000" + "0" * 16 + "csrf:\ue001 en \ue000" + "0" * 16 + "disabled:\ue001"
    post = make_post(w.thread, w.users["member"], body=f"Let op: {forged}")
    block = post_block(page(as_(w.users["moderator"]), w.thread), post)
    assert block.count("csrfmiddlewaretoken") == 1  # the reaction form's own token only
    assert forged.split(" en ")[0] in block


def test_live_posts_offer_turn_into_an_idea_when_the_group_has_an_open_board(world, make_post):
    w = world("open")
    post = make_post(w.thread, w.users["member"], body="Live bericht")
    promote = reverse("ideas:promote", args=[w.group.slug, w.thread.pk])
    frame = events.frames_after(w.thread.pk, post_seq(w.thread, post) - 1, "nl", limit=1)[0]
    assert promote not in frame["html"]
    Board.objects.create(group=w.group, title="Ideeën", state=Board.State.OPEN)
    frame = events.frames_after(w.thread.pk, post_seq(w.thread, post) - 1, "nl", limit=1)[0]
    assert promote in frame["html"]
    # Hidden until realtime.js shows it to the author or a moderator.
    assert re.search(r'data-for="promote" hidden><a href="' + re.escape(promote), frame["html"])


def post_seq(thread, post) -> int:
    return thread.events.get(post=post, kind="post.created").seq


def test_a_post_deleted_in_the_admin_is_gone_from_the_next_load(
    world, django_capture_on_commit_callbacks
):
    w = world("open")
    reader = as_(w.users["moderator"])
    assert f'id="post-{w.post.pk}"' in page(reader, w.thread)
    request = RequestFactory().post("/")
    request.user = w.users["staff"]
    with django_capture_on_commit_callbacks(execute=True):
        admin.site._registry[Post].delete_model(request, Post.objects.get(pk=w.post.pk))
    html = page(reader, w.thread)
    assert f'id="post-{w.post.pk}"' not in html
    w.thread.refresh_from_db()
    assert w.thread.post_count == w.thread.posts.count()  # pages are counted from it
