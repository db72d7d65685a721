"""Kept HTML never costs correctness: regressions found by a review of the caches.

Rate limits survive the churn of kept pages; a lost version never brings back old pages;
a new page size never serves pages cut the old way; live posts offer "Turn into an idea"
to the same people the page does.
"""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from discussions import events, selectors, services
from hub import fragments
from ideas.models import Board
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def as_(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client, thread, number=1) -> str:
    response = client.get(thread.get_absolute_url() + f"?pagina={number}")
    assert response.status_code == 200
    return response.content.decode()


def post_block(html: str, post) -> str:
    start = html.index(f'<li id="post-{post.pk}"')
    return html[start : html.index("</article>", start)]


# --- 1. realtime.js and fragments.personalise disagree on "Turn into an idea" ------------


def js_allowed(tokens: list[str], author_id: int, viewer: dict) -> bool:
    """A line-for-line port of allowed() in static/js/realtime.js."""
    can_reply = viewer["canPost"] and (not viewer["locked"] or viewer["canModerate"])
    is_author = author_id == viewer["id"]
    if tokens == ["author"]:
        return is_author and can_reply
    if tokens == ["promote"]:
        return viewer["canModerate"] or (is_author and viewer["canPost"])
    return any(
        (t == "member" and can_reply)
        or (t == "author" and is_author)
        or (t == "moderator" and viewer["canModerate"])
        or (t == "staff" and viewer["isStaff"])
        for t in tokens
    )


def test_live_post_offers_turn_into_an_idea_to_a_muted_author(world, make_post):
    """The page never shows a muted member "Turn into an idea" (promote_rights: not a
    poster), and the promote view refuses them; but the same post arriving live carries
    the link with data-for="promote", which realtime.js shows to the same people."""
    w = world("open")
    Board.objects.create(group=w.group, title="Ideeën", state=Board.State.OPEN)
    muted = w.users["muted"]
    mine = w.thread.posts.get(author=muted)
    promote = reverse("ideas:promote", args=[w.group.slug, w.thread.pk])

    # The page: no link for the muted author (the server's rule).
    assert promote not in post_block(page(as_(muted), w.thread), mine)

    # A live edit of that post (any event re-sends the fragment): realtime.js' rule.
    services.toggle_reaction(user=w.users["member"], post=mine, emoji="heart")
    seq = w.thread.events.order_by("-seq").first().seq
    frame = events.frames_after(w.thread.pk, seq - 1, "nl", limit=1)[0]
    found = re.search(
        r'<li data-for="([^"]+)"( hidden)?><a href="' + re.escape(promote), frame["html"]
    )
    assert found, "the live fragment carries the link"
    viewer = {  # #realtime-root of the muted author's page
        "id": muted.pk,
        "canPost": False,
        "canModerate": False,
        "isStaff": False,
        "locked": False,
    }
    shown_live = js_allowed(found.group(1).split(), mine.author_id, viewer)
    assert not shown_live, "realtime.js shows the muted author a link the page never shows"


# --- 2. A lost version key brings back pages rendered before a change ---------------------


def test_a_lost_fragment_version_serves_a_page_from_before_a_rename(
    world, django_capture_on_commit_callbacks
):
    """hub.fragments.cached treats a missing VERSION_KEY as "0", the version of everything
    cached before the first bump. The key goes missing whenever the cache drops it: the
    DatabaseCache (the SQLite default) culls the first third of its keys in key order
    once it holds more than 300 entries, and ":1:kring:fragments:version" sorts before
    every ":1:kring:posts:..." entry; an emptied or evicting Redis likewise. Every entry
    still stored under "0" is then served again: here a name the person changed."""
    w = world("open")
    reader = as_(w.users["moderator"])
    assert "Mia Lid" in post_block(page(reader, w.thread), w.post)  # cached, version "0"
    with django_capture_on_commit_callbacks(execute=True):
        as_(w.users["member"]).post(
            reverse("profile"), {"display_name": "Mia van der Lid", "department": ""}
        )
    cache.delete(fragments.VERSION_KEY)  # culled / evicted
    block = post_block(page(reader, w.thread), w.post)
    assert "Mia van der Lid" in block, "the old name is back"


# --- 3. Fragments fill the 300-entry DatabaseCache and cull the login limit ---------------


def test_viewing_thread_pages_does_not_reset_the_failed_login_limit(member, world, make_thread):
    """On SQLite the cache is Django's DatabaseCache with its default MAX_ENTRIES (300).
    Every thread page view now leaves a 24-hour entry; past 300, every set culls the
    first third of the keys in key order, and allauth's failed-login counters
    (":1:allauth:rl:...") always sort first. So ordinary reading wipes the brute-force
    limit (and the post rate limit's keys are culled just as easily)."""
    login = Client()
    for _ in range(5):
        login.post(reverse("account_login"), {"login": member.email, "password": "fout"})
    refused = login.post(reverse("account_login"), {"login": member.email, "password": "fout"})
    assert "te veel" in refused.content.decode().lower()  # the limit holds

    w = world("open")
    reader = as_(w.users["moderator"])
    max_entries = cache._max_entries
    for n in range(max_entries // 2 + 2):  # two languages' worth per thread
        thread = make_thread(w.group, w.users["member"], title=f"Onderwerp {n}")
        page(reader, thread)
        reader.cookies["django_language"] = "en"
        page(reader, thread)
        del reader.cookies["django_language"]

    login.post(reverse("account_login"), {"login": member.email, "password": DEMO_PASSWORD})
    assert "_auth_user_id" not in login.session, "the limit was culled: the guess got in"


# --- 4. The page key leaves out the page size ---------------------------------------------


def test_a_new_page_size_does_not_serve_pages_cut_the_old_way(world, make_post, monkeypatch):
    """cached_page keys a page by its number, not by how many posts a page holds: after
    a deploy that changes THREAD_PAGE_SIZE (not in hub.fragments.SOURCES either), page 1
    keeps showing the old cut for up to 24 hours (until the thread's next event)."""
    w = world("open")
    for n in range(12):
        make_post(w.thread, w.users["member"], body=f"Bericht {n}")
    reader = as_(w.users["moderator"])
    before = page(reader, w.thread).count('<li id="post-')
    monkeypatch.setattr(selectors, "THREAD_PAGE_SIZE", 5)
    after = page(reader, w.thread)
    assert after.count('<li id="post-') == 5, "page 1 still has the old page size's posts"
    assert before  # (the first view rendered and cached the 50-post cut)
