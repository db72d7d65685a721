"""The board socket: every change to a board reaches its viewers once, in order, live or caught
up; only people who may see the board get it. And a promoted idea's votes reach its thread."""

import pytest
from django.db.models import F
from django.utils import translation

from discussions import consumers
from groups import services as group_services
from groups.models import Membership
from hub.consumers import CLOSE_FORBIDDEN, CLOSE_NOT_FOUND, CLOSE_UNAUTHENTICATED
from ideas import ranking, services
from ideas.models import Board, BoardEvent, Idea
from tests.realtime.conftest import run, thread_path

pytestmark = pytest.mark.django_db(transaction=True)

Kind = BoardEvent.Kind


def board_path(board, after=None) -> str:
    return f"/ws/boards/{board.pk}/" + ("" if after is None else f"?after={after}")


@pytest.fixture
def board(group, owner):
    return services.create_board(moderator=owner, group=group, title="Campagne 2027")


@pytest.fixture
def idea(board, member):
    return services.create_idea(
        author=member, board=board, title="Fietsdag", body="Eens per jaar samen fietsen"
    )


@pytest.fixture
def private_board(private_group, owner, add_member, make_user):
    insider = make_user(display_name="Ingrid Intern")
    add_member(private_group, insider)
    board = services.create_board(moderator=owner, group=private_group, title="Begroting")
    return board, insider


def _voters(group, add_member, count: int) -> list:
    return [add_member(group).user for _ in range(count)]


def _lost_idea(board, author) -> Idea:
    """An idea committed whose event the channel layer lost: in the log, never published."""
    idea = Idea.objects.create(board=board, author=author, title="Verloren idee", body="x")
    Board.objects.filter(pk=board.pk).update(last_seq=F("last_seq") + 1)
    seq = Board.objects.values_list("last_seq", flat=True).get(pk=board.pk)
    BoardEvent.objects.create(board=board, seq=seq, kind=Kind.IDEA_CREATED, idea=idea)
    return idea


def _old_events(board, idea, count: int) -> int:
    """``count`` vote events in the log at once (a busy board), unpublished; the new last seq."""
    last = Board.objects.values_list("last_seq", flat=True).get(pk=board.pk)
    BoardEvent.objects.bulk_create(
        BoardEvent(board=board, seq=last + n, kind=Kind.IDEA_VOTES, idea=idea)
        for n in range(1, count + 1)
    )
    Board.objects.filter(pk=board.pk).update(last_seq=last + count)
    return last + count


# --- Who gets in --------------------------------------------------------------------------


async def test_anonymous_sockets_are_closed_with_4401(open_socket, board):
    socket = await open_socket(board_path(board))
    assert socket.connected  # accepted first, so the browser sees the code
    assert await socket.close_code() == CLOSE_UNAUTHENTICATED


async def test_a_board_that_does_not_exist_closes_with_4404(open_socket, member):
    socket = await open_socket("/ws/boards/987654321/", member)
    assert await socket.close_code() == CLOSE_NOT_FOUND


async def test_a_malformed_board_id_closes_with_4404(open_socket, member):
    socket = await open_socket("/ws/boards/1234567890123456789012/", member)
    assert await socket.close_code() == CLOSE_NOT_FOUND


async def test_outsiders_of_a_private_group_are_refused(open_socket, private_board, make_user):
    board, _insider = private_board
    outsider = await run(make_user)
    socket = await open_socket(board_path(board), outsider)
    assert await socket.close_code() == CLOSE_FORBIDDEN


async def test_members_of_a_private_group_and_readers_of_an_open_one_get_in(
    open_socket, private_board, board, make_user
):
    private, insider = private_board
    assert await (await open_socket(board_path(private), insider)).next() == {
        "type": "ready",
        "seq": 0,
    }
    reader = await run(make_user)  # not a member: open groups are read by everyone
    assert await (await open_socket(board_path(board), reader)).next() == {
        "type": "ready",
        "seq": 0,
    }


async def test_a_removed_member_is_closed_at_once(open_socket, private_board, owner):
    board, insider = private_board
    socket = await open_socket(board_path(board), insider)
    await socket.ready()
    membership = await run(Membership.objects.get, user=insider, group_id=board.group_id)

    await run(group_services.remove_member, actor=owner, membership=membership)

    assert await socket.close_code() == CLOSE_FORBIDDEN


async def test_a_stale_answer_is_checked_again_before_an_event_goes_out(
    open_socket, private_board, owner, monkeypatch
):
    board, insider = private_board
    socket = await open_socket(board_path(board), insider)
    await socket.ready()
    # Removed behind the socket's back (no access.changed): the 60 s re-check catches it.
    await run(Membership.objects.filter(user=insider, group_id=board.group_id).delete)
    monkeypatch.setattr(consumers, "RECHECK_AFTER", 0)

    await run(services.create_idea, author=owner, board=board, title="Geheim", body="Plan")

    assert await socket.close_code() == CLOSE_FORBIDDEN  # and the idea was not sent


# --- Every kind of frame -------------------------------------------------------------------


async def test_a_new_idea_arrives_with_its_card(open_socket, board, member, colleague):
    socket = await open_socket(board_path(board), colleague)
    await socket.ready()

    idea = await run(
        services.create_idea, author=member, board=board, title="Fietsdag", body="Samen"
    )

    frame = await socket.next()
    assert {k: v for k, v in frame.items() if k != "html"} == {
        "type": "idea.created",
        "seq": 1,
        "board": board.pk,
        "idea": idea.pk,
        "votes": 0,
        "trending": 0.0,
    }
    assert f'id="idea-{idea.pk}"' in frame["html"]
    assert 'data-votes="0"' in frame["html"]
    assert "Fietsdag" in frame["html"]


async def test_votes_arrive_without_html(open_socket, board, idea, colleague):
    socket = await open_socket(board_path(board), colleague)
    assert (await socket.ready())["seq"] == 1

    await run(services.cast_vote, user=colleague, idea=idea)
    frame = await socket.next()
    voted_at = await run(lambda: idea.votes.get().created_at)
    assert frame == {
        "type": "idea.votes",
        "seq": 2,
        "board": board.pk,
        "idea": idea.pk,
        "votes": 1,
        "trending": pytest.approx(ranking.exponent(voted_at)),
    }

    await run(services.retract_vote, user=colleague, idea=idea)
    frame = await socket.next()
    assert (frame["type"], frame["seq"], frame["votes"], frame["trending"]) == (
        "idea.votes",
        3,
        0,
        0.0,
    )
    assert "html" not in frame


async def test_status_changes_and_hiding_arrive_as_updates(
    open_socket, board, idea, colleague, group_moderator
):
    socket = await open_socket(board_path(board), colleague)
    await socket.ready()

    await run(
        services.change_status,
        actor=group_moderator,
        idea=idea,
        status="under_review",
        response="We kijken ernaar.",
    )
    await run(services.hide_idea, moderator=group_moderator, idea=idea, reason="Dubbel geplaatst")
    await run(services.unhide_idea, moderator=group_moderator, idea=idea)

    frames = [await socket.next() for _ in range(3)]
    assert [f["type"] for f in frames] == ["idea.updated"] * 3
    assert [f["seq"] for f in frames] == [2, 3, 4]
    assert all(f["idea"] == idea.pk and f["status"] == "under_review" for f in frames)
    assert all(f'id="idea-{idea.pk}"' in f["html"] for f in frames)
    assert 'data-status="under_review"' in frames[0]["html"]
    # Live, the card shows what it shows on the page; a hidden idea's text is not in it.
    assert "Dubbel geplaatst" in frames[1]["html"]
    assert "Eens per jaar" not in frames[1]["html"]
    assert "Dubbel geplaatst" not in frames[2]["html"]


async def test_board_settings_arrive(open_socket, board, owner, colleague):
    socket = await open_socket(board_path(board), colleague)
    await socket.ready()

    await run(services.update_board, moderator=owner, board=board, votes_per_member=3)
    await run(services.update_board, moderator=owner, board=board, state="closed")

    assert await socket.next() == {
        "type": "board.updated",
        "seq": 1,
        "board": board.pk,
        "state": "open",
        "voting_open": True,
        "votes_per_member": 3,
    }
    assert await socket.next() == {
        "type": "board.updated",
        "seq": 2,
        "board": board.pk,
        "state": "closed",
        "voting_open": False,
        "votes_per_member": 3,
    }


async def test_frames_are_in_the_viewers_language(open_socket, board, idea, colleague):
    dutch = await open_socket(board_path(board, after=0), colleague, language_cookie="nl")
    english = await open_socket(board_path(board, after=0), colleague, language_cookie="en")
    nl, en = (await dutch.next())["html"], (await english.next())["html"]
    with translation.override("nl"):
        assert str(Idea.Status.NEW.label) in nl
    with translation.override("en"):
        assert str(Idea.Status.NEW.label) in en


async def test_live_cards_are_in_each_viewers_language_and_votes_alike_for_all(
    open_socket, board, member, colleague
):
    dutch = await open_socket(board_path(board), colleague, language_cookie="nl")
    english = await open_socket(board_path(board), colleague, language_cookie="en")
    await dutch.ready()
    await english.ready()

    idea = await run(services.create_idea, author=member, board=board, title="Fiets", body="Ja")
    nl, en = (await dutch.next())["html"], (await english.next())["html"]
    with translation.override("nl"):
        assert str(Idea.Status.NEW.label) in nl
    with translation.override("en"):
        assert str(Idea.Status.NEW.label) in en

    await run(services.cast_vote, user=colleague, idea=idea)
    vote_nl, vote_en = await dutch.next(), await english.next()
    assert vote_nl == vote_en
    assert (vote_nl["type"], vote_nl["idea"], vote_nl["votes"]) == ("idea.votes", idea.pk, 1)


# --- Catch-up --------------------------------------------------------------------------------


async def test_a_reconnecting_client_gets_exactly_the_votes_it_missed(
    open_socket, board, idea, colleague, group, add_member
):
    socket = await open_socket(board_path(board), colleague)
    last = (await socket.ready())["seq"]
    await socket.communicator.disconnect()

    voters = await run(_voters, group, add_member, 20)
    for voter in voters:
        await run(services.cast_vote, user=voter, idea=idea)

    again = await open_socket(board_path(board, after=last), colleague)
    frames = []
    while (frame := await again.next())["type"] != "ready":
        frames.append(frame)
    assert [f["type"] for f in frames] == ["idea.votes"] * 20
    assert [f["seq"] for f in frames] == list(range(last + 1, last + 21))
    assert {f["idea"] for f in frames} == {idea.pk}
    assert frames[-1]["votes"] == 20  # as the idea is now
    assert frame == {"type": "ready", "seq": last + 20}
    await again.nothing()  # no live copies of what was replayed


async def test_a_lost_event_is_filled_in_before_the_next_one(
    open_socket, board, idea, member, colleague
):
    socket = await open_socket(board_path(board), colleague)
    await socket.ready()

    lost = await run(_lost_idea, board, member)
    await run(services.cast_vote, user=colleague, idea=idea)

    first, second = await socket.next(), await socket.next()
    assert (first["type"], first["seq"], first["idea"]) == ("idea.created", 2, lost.pk)
    assert (second["type"], second["seq"], second["idea"]) == ("idea.votes", 3, idea.pk)
    await socket.nothing()


async def test_too_far_behind_means_reload(open_socket, board, idea, colleague):
    last = await run(_old_events, board, idea, 501)
    socket = await open_socket(board_path(board, after=0), colleague)
    assert await socket.next() == {"type": "reload"}
    assert await socket.next() == {"type": "ready", "seq": last}


@pytest.mark.parametrize("after", ["abc", "-1", "999"])
async def test_a_malformed_or_future_after_counts_as_now(
    open_socket, board, idea, colleague, after
):
    socket = await open_socket(f"/ws/boards/{board.pk}/?after={after}", colleague)
    assert await socket.next() == {"type": "ready", "seq": 1}


# --- What the client sends -------------------------------------------------------------------


async def test_garbage_from_the_client_gets_an_error_and_the_socket_stays(
    open_socket, board, colleague
):
    socket = await open_socket(board_path(board), colleague)
    await socket.ready()
    await socket.send("{not json")
    assert await socket.next() == {"type": "error", "code": "invalid_json"}
    await socket.send({"type": "typing"})  # thread sockets only
    assert await socket.next() == {"type": "error", "code": "unknown_type"}
    await socket.send([1, 2])
    assert await socket.next() == {"type": "error", "code": "unknown_type"}
    await socket.send_bytes(b"\x00\x01")
    assert await socket.next() == {"type": "error", "code": "binary"}
    await socket.send({"type": "ping"})
    assert await socket.next() == {"type": "pong"}


async def test_an_oversized_frame_closes_with_1009(open_socket, board, colleague):
    socket = await open_socket(board_path(board), colleague)
    await socket.ready()
    await socket.send({"type": "ping", "padding": "x" * 5000})
    assert await socket.close_code() == consumers.CLOSE_TOO_BIG


# --- The linked thread ------------------------------------------------------------------------


@pytest.fixture
def promoted(thread, board, member):
    return services.promote(actor=member, thread=thread, board=board)


async def test_votes_and_status_of_a_promoted_idea_reach_its_thread(
    open_socket, thread, promoted, colleague, group_moderator
):
    socket = await open_socket(thread_path(thread), colleague, language_cookie="en")
    seq = (await socket.ready())["seq"]

    await run(services.cast_vote, user=colleague, idea=promoted)
    assert await socket.next() == {
        "type": "thread.idea",
        "idea": promoted.pk,
        "votes": 1,
        "status": "new",
        "status_label": "New",
    }
    await run(services.change_status, actor=group_moderator, idea=promoted, status="accepted")
    frame = await socket.next()
    assert (frame["votes"], frame["status"], frame["status_label"]) == (1, "accepted", "Accepted")
    assert "seq" not in frame
    await socket.ping()
    assert (await run(lambda: type(thread).objects.get(pk=thread.pk).last_seq)) == seq


async def test_ideas_without_a_thread_send_nothing_to_threads(open_socket, thread, idea, colleague):
    socket = await open_socket(thread_path(thread), colleague)
    await socket.ready()
    await run(services.cast_vote, user=colleague, idea=idea)
    await socket.nothing()
