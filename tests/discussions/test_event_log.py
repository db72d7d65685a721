# ruff: noqa: F811  (pytest fixtures imported from the groups tests)
"""Every change to a thread appends exactly one event with the next sequence number.

The event log is what catch-up replays, so these tests pin down which action
writes which event, that refused actions write none, and that the replayed
frames show the post as it is now.
"""

import pytest
from django.core.exceptions import PermissionDenied

from discussions import events, services
from discussions.models import Thread, ThreadEvent
from groups.models import Membership, ModerationLogEntry
from tests.groups.conftest import add_member, group, make_group, moderator, owner  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.KRING_POSTS_PER_MINUTE = 0


@pytest.fixture
def thread(group, owner):
    return services.create_thread(author=owner, group=group, title="Thuiswerken", body="Eerste")


def log(thread) -> list[tuple[int, str]]:
    return list(ThreadEvent.objects.filter(thread=thread).values_list("seq", "kind"))


def test_each_action_appends_one_event_with_the_next_seq(thread, owner, group, add_member):
    mod = add_member(group, role=Membership.Role.MODERATOR).user
    post = services.create_post(author=owner, thread=thread, body="Tweede")
    services.edit_post(editor=owner, post=post, body="Tweede, verbeterd")
    services.toggle_reaction(user=mod, post=post, emoji="heart")
    services.hide_post(moderator=mod, post=post, reason="Off-topic")
    services.unhide_post(moderator=mod, post=post)
    services.set_pinned(moderator=mod, thread=thread, pinned=True)
    services.set_locked(moderator=mod, thread=thread, locked=True)
    services.delete_post(actor=owner, post=post)
    assert log(thread) == [
        (1, "post.created"),
        (2, "post.created"),
        (3, "post.edited"),
        (4, "post.reactions"),
        (5, "post.hidden"),
        (6, "post.unhidden"),
        (7, "thread.updated"),
        (8, "thread.updated"),
        (9, "post.deleted"),
    ]
    assert Thread.objects.get(pk=thread.pk).last_seq == 9


def test_refused_and_unchanged_actions_write_no_event(thread, owner, group, add_member):
    stranger = add_member(group).user
    post = thread.posts.get()
    with pytest.raises(PermissionDenied):
        services.edit_post(editor=stranger, post=post, body="Gekaapt")
    with pytest.raises(services.DiscussionError):
        services.create_post(author=owner, thread=thread, body="   ")
    services.edit_post(editor=owner, post=post, body="Eerste")  # same text: nothing to tell
    services.set_pinned(moderator=owner, thread=thread, pinned=False)  # already unpinned
    assert log(thread) == [(1, "post.created")]


def test_replayed_frames_show_the_post_as_it_is_now(thread, owner):
    post = services.create_post(author=owner, thread=thread, body="Oude tekst")
    services.edit_post(editor=owner, post=post, body="Nieuwe tekst")
    frames = events.frames_after(thread.pk, 1, "nl")
    assert [(f["seq"], f["type"], f["post"]) for f in frames] == [
        (2, "post.created", post.pk),
        (3, "post.edited", post.pk),
    ]
    assert all("Nieuwe tekst" in f["html"] and "Oude tekst" not in f["html"] for f in frames)


def test_frames_are_rendered_in_the_viewers_language(thread, owner):
    post = services.create_post(author=owner, thread=thread, body="Tekst")
    services.delete_post(actor=owner, post=post)
    dutch, english = (
        events.frames_after(thread.pk, 2, "nl"),
        events.frames_after(thread.pk, 2, "en"),
    )
    assert "verwijderd" in dutch[0]["html"]
    assert "removed by its author" in english[0]["html"]


def test_a_deleted_post_loses_its_text_and_its_history(thread, owner):
    post = services.create_post(author=owner, thread=thread, body="Geheim plan")
    services.edit_post(editor=owner, post=post, body="Geheim plan v2")
    services.delete_post(actor=owner, post=post)
    post.refresh_from_db()
    assert post.body == "" and post.body_html == ""
    assert not post.revisions.exists()
    assert "Geheim" not in events.frames_after(thread.pk, 0, "nl")[-1]["html"]


def test_moving_a_thread_logs_it_in_both_groups(thread, owner, make_group):
    other = make_group(owner=owner, name="Andere groep")
    services.move_thread(moderator=owner, thread=thread, to_group=other)
    assert log(thread)[-1] == (2, "thread.moved")
    actions = set(
        ModerationLogEntry.objects.filter(action__startswith="move_thread").values_list(
            "group__name", "action"
        )
    )
    assert actions == {(thread.group.name, "move_thread_out"), ("Andere groep", "move_thread_in")}


def test_a_moderator_cannot_move_into_a_group_they_do_not_run(thread, owner, make_group):
    elsewhere = make_group(name="Niet van mij")
    with pytest.raises(PermissionDenied):
        services.move_thread(moderator=owner, thread=thread, to_group=elsewhere)
    assert log(thread) == [(1, "post.created")]


def test_counters_follow_the_posts(thread, owner):
    second = services.create_post(author=owner, thread=thread, body="Twee")
    thread.refresh_from_db()
    assert (thread.post_count, thread.last_post_id) == (2, second.pk)
    Thread.objects.filter(pk=thread.pk).update(post_count=99, last_post_id=0)
    assert services.recount_thread(thread).post_count == 2


def test_a_mention_notifies_once_even_after_edits(thread, owner, group, add_member, make_user):
    anna = add_member(group, make_user(display_name="Anna")).user
    outsider = make_user(display_name="Buiten")
    body = f"Wat vind jij, @{anna.username}? En @{outsider.username}?"
    post = services.create_post(author=owner, thread=thread, body=body)
    services.edit_post(editor=owner, post=post, body=body + " Graag voor vrijdag.")
    assert list(anna.notifications.values_list("kind", "url")) == [
        ("mention", f"/discussies/berichten/{post.pk}/")
    ]
    assert not outsider.notifications.exists()  # not a member: no notification, no leak


def test_posting_too_fast_is_refused_with_a_clear_message(thread, owner, settings):
    settings.KRING_POSTS_PER_MINUTE = 3
    for n in range(3):
        services.create_post(author=owner, thread=thread, body=f"Bericht {n}")
    with pytest.raises(services.PostingTooFast, match=r"Wacht \d+ seconden?"):
        services.create_post(author=owner, thread=thread, body="Nog een")
    assert thread.posts.count() == 4  # the first post and three replies, nothing half-written


def test_quoting_a_mention_does_not_notify_again(thread, owner, group, add_member, make_user):
    anna = add_member(group, make_user(display_name="Anna")).user
    services.create_post(author=owner, thread=thread, body=f"@{anna.username} kijk even")
    services.create_post(author=owner, thread=thread, body=f"> @{anna.username} kijk even\n\nJa!")
    assert anna.notifications.count() == 1
