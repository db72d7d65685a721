"""Idea board pages, as people use them: boards, ideas, votes, rankings, decisions,
duplicates, promoting discussions, follows, comments and moderation."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import ModerationLogEntry
from ideas import services
from ideas.models import Board, Follow, Idea, Vote

pytestmark = pytest.mark.django_db
FETCH = {"X-Requested-With": "fetch"}


@pytest.fixture(autouse=True)
def _english(settings):
    """The pages' English msgids (the Dutch catalogue is the lead's)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def w(world):
    return world("open")


def as_role(client, world, role):
    client.force_login(world.users[role])
    return client


def card_order(response) -> list[int]:
    return [idea.pk for idea in response.context["ideas"]]


def test_a_moderator_creates_a_board_with_tags_window_and_budget(client, w):
    as_role(client, w, "moderator")
    response = client.post(
        reverse("ideas:create_board", args=[w.group.slug]),
        {
            "title": "Zomerplannen",
            "brief": "Wat doen we **deze zomer**?",
            "voting_opens_at": "2020-01-01T09:00",
            "voting_closes_at": "2099-01-01T09:00",
            "votes_per_member": "2",
            "tags": "Snel\n  Groen  \nsnel",
        },
    )
    board = Board.objects.get(title="Zomerplannen")
    assert response["Location"] == board.get_absolute_url()
    assert board.brief_html == "<p>Wat doen we <strong>deze zomer</strong>?</p>"
    assert board.votes_per_member == 2 and board.voting_is_open()
    assert sorted(board.tags.values_list("name", flat=True)) == ["Groen", "Snel"]
    as_role(client, w, "member")
    page = client.get(board.get_absolute_url()).content.decode()
    assert "<strong>deze zomer</strong>" in page
    assert "You have 2 votes left." in page
    group_page = client.get(w.group.get_absolute_url()).content.decode()
    assert board.get_absolute_url() in group_page and "0 ideas" in group_page


def test_a_member_adds_an_idea_with_a_tag(client, w):
    as_role(client, w, "member")
    url = reverse("ideas:create_idea", args=[w.group.slug, w.board.pk])
    assert 'type="checkbox"' in client.get(url).content.decode()
    response = client.post(
        url, {"title": "  Meer   bomen ", "body": "Groen *plein*", "tags": [w.tag.pk]}
    )
    idea = Idea.objects.get(title="Meer bomen")
    assert response["Location"] == idea.get_absolute_url()
    assert idea.author == w.users["member"] and list(idea.tags.all()) == [w.tag]
    assert Follow.objects.filter(idea=idea, user=w.users["member"]).exists()
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Groen <em>plein</em>" in page


def test_similar_ideas_are_suggested_as_json_and_without_javascript(client, w):
    as_role(client, w, "member")
    url = reverse("ideas:similar", args=[w.group.slug, w.board.pk])
    found = client.get(url, {"titel": "Overdekte fietsenstalling bij station"}).json()
    assert found == [
        {
            "id": w.idea.pk,
            "title": "Fietsenstalling overdekt",
            "url": w.idea.get_absolute_url(),
            "votes": 1,
            "status": "New",
        }
    ]
    assert client.get(url, {"titel": "fietsenstalling", "behalve": w.idea.pk}).json() == []
    assert client.get(url, {"titel": "Verborgen"}).json() == []  # hidden ideas are not suggested
    create = reverse("ideas:create_idea", args=[w.group.slug, w.board.pk])
    response = client.post(create, {"title": "Fietsenstalling groter", "body": ""})
    assert [idea.pk for idea in response.context["similar"]] == [w.idea.pk]


def _ideas(board, author, titles):
    return [
        services.create_idea(author=author, board=board, title=title, body="x") for title in titles
    ]


def test_rankings_order_top_trending_and_new_with_ties(client, w, add_member, settings):
    settings.KRING_TRENDING_HALF_LIFE_HOURS = 24
    boss = w.users["owner"]
    board = services.create_board(moderator=boss, group=w.group, title="Rangorde")
    old, middle, young = _ideas(board, boss, ["Oud", "Midden", "Jong"])
    now = timezone.now()
    Idea.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=3))
    Idea.objects.filter(pk=middle.pk).update(created_at=now - timedelta(days=2))
    voters = [add_member(w.group).user for _ in range(3)]
    for voter in voters:  # three old votes for "Oud"
        services.cast_vote(user=voter, idea=old)
    Vote.objects.filter(idea=old).update(created_at=now - timedelta(days=10))
    services.recount_votes(Idea.objects.filter(pk=old.pk))
    for voter in voters[:2]:  # two fresh votes for "Midden"
        services.cast_vote(user=voter, idea=middle)
    as_role(client, w, "member")
    url = board.get_absolute_url()
    assert card_order(client.get(url)) == [old.pk, middle.pk, young.pk]
    assert card_order(client.get(url, {"sortering": "trending"})) == [middle.pk, old.pk, young.pk]
    assert card_order(client.get(url, {"sortering": "nieuw"})) == [young.pk, middle.pk, old.pk]
    # Ties: the same votes, the newer idea first.
    services.cast_vote(user=voters[2], idea=young)
    services.cast_vote(user=voters[0], idea=young)
    services.cast_vote(user=voters[1], idea=young)
    assert card_order(client.get(url))[:2] == [young.pk, old.pk]
    page = client.get(url, {"sortering": "trending"}).content.decode()
    assert "How is Trending calculated?" in page and "24 hours" in page


def test_filters_by_status_and_tag_and_pages_of_24(client, w):
    boss = w.users["owner"]
    board = services.create_board(moderator=boss, group=w.group, title="Veel", tags=["Groen"])
    tag = board.tags.get()
    ideas = _ideas(board, boss, [f"Idee {n}" for n in range(30)])
    ideas[0].tags.add(tag)
    services.change_status(actor=boss, idea=ideas[1], status="planned")
    as_role(client, w, "member")
    url = board.get_absolute_url()
    first = client.get(url)
    assert len(first.context["ideas"]) == 24 and first.context["page"].paginator.num_pages == 2
    assert "sortering=top&amp;pagina=2" in first.content.decode()
    assert card_order(client.get(url, {"tag": tag.pk})) == [ideas[0].pk]
    assert card_order(client.get(url, {"status": "planned"})) == [ideas[1].pk]
    assert card_order(client.get(url, {"tag": w.tag.pk})) != []  # another board's tag: ignored


def test_votes_by_fetch_answer_json_with_the_budget(client, w):
    services.update_board(moderator=w.users["owner"], board=w.board, votes_per_member=2)
    as_role(client, w, "member")  # already supports `idea` and the duplicate: budget spent
    response = client.post(reverse("ideas:vote", args=[w.other.pk]), headers=FETCH)
    assert response.status_code == 409 and "used all 2 votes" in response.json()["error"]
    response = client.post(reverse("ideas:unvote", args=[w.idea.pk]), headers=FETCH)
    assert response.json() == {
        "votes": 0,
        "voted": False,
        "votes_left": 1,
        "message": "Your vote has been taken back.",
    }
    response = client.post(reverse("ideas:vote", args=[w.other.pk]), headers=FETCH)
    assert response.json()["votes"] == 1 and response.json()["voted"] is True
    own = client.post(reverse("ideas:vote", args=[w.own.pk]), headers=FETCH)
    assert own.status_code == 409 and "own idea" in own.json()["error"]
    as_role(client, w, "nonmember")
    denied = client.post(reverse("ideas:vote", args=[w.other.pk]), headers=FETCH)
    assert denied.status_code == 403 and denied.json()["error"]


def test_the_vote_button_says_what_it_supports(client, w):
    as_role(client, w, "member")
    page = client.get(w.board.get_absolute_url()).content.decode()
    assert (
        '<button type="submit" class="vote-button" aria-pressed="true">Support'
        '<span class="visually-hidden"> “Fietsenstalling overdekt”</span></button>'
    ) in page
    assert f'action="{reverse("ideas:unvote", args=[w.idea.pk])}"' in page


def test_voting_closed_says_so(client, w):
    services.update_board(
        moderator=w.users["owner"],
        board=w.board,
        voting_closes_at=timezone.now() - timedelta(hours=1),
    )
    as_role(client, w, "member")
    response = client.post(reverse("ideas:vote", args=[w.other.pk]), follow=True)
    assert "Voting on this board is closed." in response.content.decode()
    assert not Vote.objects.filter(idea=w.other, user=w.users["member"]).exists()


def test_a_status_change_with_a_response_shows_on_the_idea_page(client, w):
    as_role(client, w, "leader")
    url = reverse("ideas:change_status", args=[w.idea.pk])
    response = client.post(url, {"status": "planned", "response": "In **2027** gepland."})
    assert response["Location"] == w.idea.get_absolute_url()
    page = client.get(w.idea.get_absolute_url()).content.decode()
    assert "Lotte Leiding on" in page and "New → Planned" in page
    assert "In <strong>2027</strong> gepland." in page
    assert w.users["member"].notifications.filter(kind="idea_status").exists()


def test_duplicates_link_to_the_original_and_supporters_move_their_vote(client, w):
    as_role(client, w, "member")
    page = client.get(w.duplicate.get_absolute_url()).content.decode()
    assert w.other.get_absolute_url() in page and "Move my vote to the original" in page
    response = client.post(reverse("ideas:move_vote", args=[w.duplicate.pk]))
    assert response["Location"] == w.other.get_absolute_url()
    assert Idea.objects.get(pk=w.duplicate.pk).vote_count == 0
    assert Idea.objects.get(pk=w.other.pk).vote_count == 1
    page = client.get(w.duplicate.get_absolute_url()).content.decode()
    assert "Move my vote to the original" not in page
    as_role(client, w, "moderator")  # never voted: no button
    assert "Move my vote" not in client.get(w.duplicate.get_absolute_url()).content.decode()


def test_marking_a_duplicate_through_the_form(client, w):
    as_role(client, w, "moderator")
    url = reverse("ideas:change_status", args=[w.own.pk])
    form_page = client.get(url).content.decode()
    assert f'value="{w.idea.pk}"' in form_page and f'value="{w.own.pk}"' not in form_page
    client.post(url, {"status": "duplicate", "duplicate_of": w.idea.pk, "response": "Zelfde"})
    own = Idea.objects.get(pk=w.own.pk)
    assert own.status == "duplicate" and own.duplicate_of == w.idea


def test_promoting_a_thread_links_idea_and_thread(client, w):
    as_role(client, w, "moderator")
    thread_page = client.get(w.thread.get_absolute_url()).content.decode()
    promote = reverse("ideas:promote", args=[w.group.slug, w.thread.pk])
    assert f'href="{promote}"' in thread_page
    assert f'href="{promote}?bericht={w.post.pk}"' in thread_page
    response = client.post(promote, {"board": w.board.pk, "title": "Meer parkeerplek"})
    idea = Idea.objects.get(thread=w.thread)
    assert response["Location"] == idea.get_absolute_url()
    assert idea.author == w.users["owner"] and idea.body == "Te weinig plek" and idea.post is None
    assert w.thread.get_absolute_url() in client.get(idea.get_absolute_url()).content.decode()
    thread_page = client.get(w.thread.get_absolute_url()).content.decode()
    assert f'data-linked-idea="{idea.pk}"' in thread_page and 'class="vote-count">0<' in thread_page
    assert ModerationLogEntry.objects.filter(action="promote_thread").exists()


def test_a_member_promotes_their_own_post(client, w):
    as_role(client, w, "member")
    thread_page = client.get(w.thread.get_absolute_url()).content.decode()
    promote = reverse("ideas:promote", args=[w.group.slug, w.thread.pk])
    assert f'href="{promote}"' not in thread_page  # not their thread
    assert f"{promote}?bericht={w.post.pk}" in thread_page
    form = client.get(promote, {"bericht": w.post.pk})
    assert form.status_code == 200 and 'type="radio"' in form.content.decode()
    client.post(promote, {"board": w.board.pk, "title": "Ja-idee", "post": w.post.pk})
    idea = Idea.objects.get(title="Ja-idee")
    assert idea.post == w.post and idea.author == w.users["member"] and idea.body == "Ja!"


def test_no_promote_link_without_an_open_board(client, w):
    services.update_board(moderator=w.users["owner"], board=w.board, state="closed")
    as_role(client, w, "moderator")
    page = client.get(w.thread.get_absolute_url()).content.decode()
    assert reverse("ideas:promote", args=[w.group.slug, w.thread.pk]) not in page


def test_follow_and_unfollow(client, w):
    as_role(client, w, "nonmember")
    url = reverse("ideas:follow", args=[w.other.pk])
    assert "Follow this idea" in client.get(w.other.get_absolute_url()).content.decode()
    client.post(url, {"follow": "1"})
    client.post(url, {"follow": "1"})  # a double click changes nothing
    assert Follow.objects.filter(idea=w.other, user=w.users["nonmember"]).count() == 1
    assert "Stop following" in client.get(w.other.get_absolute_url()).content.decode()
    response = client.post(url, {"follow": "0"}, headers=FETCH)
    assert response.json()["following"] is False
    assert not Follow.objects.filter(idea=w.other, user=w.users["nonmember"]).exists()


def test_comments_with_edit_history(client, w):
    as_role(client, w, "member")
    response = client.post(reverse("ideas:comment", args=[w.other.pk]), {"body": "Eerst"})
    comment = w.other.comments.get()
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    client.post(reverse("ideas:edit_comment", args=[comment.pk]), {"body": "Daarna *beter*"})
    page = client.get(w.other.get_absolute_url()).content.decode()
    assert "Daarna <em>beter</em>" in page and "show earlier versions" in page and "Eerst" in page
    response = client.post(
        reverse("ideas:comment", args=[w.other.pk]), {"body": "Via JS"}, headers=FETCH
    )
    assert response.status_code == 201 and "Via JS" in response.json()["html"]


def test_locked_comments_refuse_members_but_not_moderators(client, w):
    as_role(client, w, "moderator")
    client.post(reverse("ideas:lock_comments", args=[w.idea.pk]), {"value": "1"})
    assert (
        client.post(reverse("ideas:comment", args=[w.idea.pk]), {"body": "Uitleg"}).status_code
        == 302
    )
    as_role(client, w, "member")
    page = client.get(w.idea.get_absolute_url()).content.decode()
    assert "Comments on this idea are closed." in page and 'id="comment-form"' not in page
    assert (
        client.post(reverse("ideas:comment", args=[w.idea.pk]), {"body": "Nee"}).status_code == 403
    )


def test_hiding_an_idea_shows_the_reason_and_keeps_the_text_for_moderators(client, w):
    as_role(client, w, "moderator")
    client.post(reverse("ideas:hide_idea", args=[w.own.pk]), {"reason": "Namen genoemd"})
    assert "Voor iedereen" in client.get(w.own.get_absolute_url()).content.decode()
    assert ModerationLogEntry.objects.filter(action="hide_idea", reason="Namen genoemd").exists()
    as_role(client, w, "nonmember")
    page = client.get(w.own.get_absolute_url()).content.decode()
    assert "Reason: Namen genoemd" in page and "Voor iedereen" not in page
    board = client.get(w.board.get_absolute_url()).content.decode()
    assert "Reason: Namen genoemd" in board and "Deelfietsen" not in board


def test_hiding_a_comment_shows_the_reason(client, w):
    as_role(client, w, "moderator")
    client.post(reverse("ideas:hide_comment", args=[w.comment.pk]), {"reason": "Off-topic"})
    as_role(client, w, "member")
    page = client.get(w.idea.get_absolute_url()).content.decode()
    assert "Reason: Off-topic" in page and "Goed plan" not in page


def test_the_group_page_and_home_link_to_boards_and_ideas(client, w):
    as_role(client, w, "moderator")
    page = client.get(w.group.get_absolute_url()).content.decode()
    assert w.board.get_absolute_url() in page and "4 ideas" in page  # the hidden one not counted
    assert reverse("ideas:create_board", args=[w.group.slug]) in page
    assert reverse("ideas:boards", args=[w.group.slug]) in page  # the group tab
    home = client.get(reverse("home")).content.decode()
    assert f'href="{w.idea.get_absolute_url()}"' in home
    as_role(client, w, "member")
    page = client.get(w.group.get_absolute_url()).content.decode()
    assert reverse("ideas:create_board", args=[w.group.slug]) not in page


def test_the_card_rendered_for_live_events_has_no_viewer_state(w):
    from ideas import events

    w.idea.refresh_from_db()
    html = events.render_card(w.idea, w.board)
    assert f'id="idea-{w.idea.pk}" class="idea-card"' in html
    assert 'data-votes="1"' in html and 'class="vote-count">1<' in html
    assert 'aria-pressed="false"' in html
    assert re.search(r'class="vote-form" data-for="voter"[^>]* hidden>', html)
    assert "csrfmiddlewaretoken" not in html
