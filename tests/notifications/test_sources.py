"""Every source of notifications tells the right people, once, and never the one who acted."""

import pytest
from django.urls import reverse
from django.utils import timezone

from discussions import services as discussions
from groups import services as groups
from hub.models import Notification
from ideas import services as ideas

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


def told(kind):
    """{recipient: notification} of one kind."""
    return {n.recipient: n for n in Notification.objects.filter(kind=kind)}


def test_a_mention_tells_the_member_mentioned(people):
    thread = discussions.create_thread(
        author=people.olga, group=people.group, title="Fietsenstalling", body="Wie helpt?"
    )
    post = discussions.create_post(
        author=people.anna, thread=thread, body=f"@{people.bram.username} weet dit vast"
    )
    mentions = told(Kind.MENTION)
    assert set(mentions) == {people.bram}
    mention = mentions[people.bram]
    assert mention.actor == people.anna and mention.group == people.group
    assert mention.url == reverse("discussions:post", args=[post.pk])
    assert "weet dit vast" in mention.excerpt


def test_mentioning_yourself_tells_nobody(people):
    thread = discussions.create_thread(
        author=people.anna, group=people.group, title="Notitie", body="Hoi"
    )
    discussions.create_post(author=people.anna, thread=thread, body=f"@{people.anna.username}")
    assert not Notification.objects.filter(recipient=people.anna).exists()


def test_a_reply_in_my_thread_tells_me(people):
    thread = discussions.create_thread(
        author=people.olga, group=people.group, title="Thuiswerken", body="Wie doet mee?"
    )
    discussions.create_post(author=people.anna, thread=thread, body="Ik!")
    replies = told(Kind.REPLY)
    assert set(replies) == {people.olga}
    assert replies[people.olga].actor == people.anna
    assert "Thuiswerken" in replies[people.olga].excerpt


def test_a_reply_to_my_message_tells_me_and_the_starter(people):
    thread = discussions.create_thread(
        author=people.olga, group=people.group, title="Thuiswerken", body="Wie doet mee?"
    )
    mine = discussions.create_post(author=people.bram, thread=thread, body="Op vrijdag")
    Notification.objects.all().delete()
    discussions.create_post(author=people.anna, thread=thread, body="Ik ook", reply_to=mine)
    assert set(told(Kind.REPLY)) == {people.olga, people.bram}


def test_replying_in_my_own_thread_tells_nobody(people):
    thread = discussions.create_thread(
        author=people.olga, group=people.group, title="Thuiswerken", body="Wie doet mee?"
    )
    discussions.create_post(author=people.olga, thread=thread, body="Nog iemand?")
    assert not Notification.objects.exists()


def test_a_mention_in_a_reply_tells_the_starter_once(people):
    thread = discussions.create_thread(
        author=people.olga, group=people.group, title="Thuiswerken", body="Wie doet mee?"
    )
    discussions.create_post(author=people.anna, thread=thread, body=f"@{people.olga.username}")
    assert list(Notification.objects.values_list("recipient", "kind")) == [
        (people.olga.pk, Kind.MENTION)
    ]


@pytest.mark.parametrize("approve", [True, False], ids=["approved", "declined"])
def test_the_answer_to_a_join_request_tells_who_asked(people, make_group, make_user, approve):
    closed = make_group(owner=people.olga, name="Snellere vergunningen", visibility="closed")
    asker = make_user(display_name="Vera Vraag", language="en")
    request = groups.request_to_join(user=asker, group=closed, message="Mag ik erbij?")
    groups.decide_join_request(
        moderator=people.olga, join_request=request, approve=approve, reason="Welkom"
    )
    answers = told(Kind.JOIN_DECISION)
    assert set(answers) == {asker}
    answer = answers[asker]
    assert answer.actor == people.olga and answer.group == closed
    assert answer.url == closed.get_absolute_url()
    # In the asker's language, whoever decided.
    expected = "You are now a member." if approve else "Your request was declined."
    assert expected in answer.excerpt


def test_an_invitation_tells_a_colleague_with_an_account(people, make_user):
    colleague = make_user(display_name="Kees Collega")
    invitation = groups.invite(inviter=people.olga, group=people.group, user=colleague)
    invitations = told(Kind.INVITATION)
    assert set(invitations) == {colleague}
    assert invitations[colleague].url == invitation.get_absolute_url()
    assert invitations[colleague].actor == people.olga


def test_an_invitation_to_an_address_without_an_account_makes_no_notification(people):
    groups.invite(inviter=people.olga, group=people.group, email="nieuw@provincie.example")
    assert not Notification.objects.exists()


@pytest.fixture
def idea(people):
    board = ideas.create_board(moderator=people.olga, group=people.group, title="Ideeën")
    idea = ideas.create_idea(author=people.anna, board=board, title="Meer fietsenrekken", body="x")
    ideas.follow(user=people.bram, idea=idea)
    ideas.follow(user=people.mo, idea=idea)
    return idea


def test_a_status_change_tells_the_followers_but_not_who_decided(people, idea):
    ideas.change_status(actor=people.mo, idea=idea, status="planned", response="Komt in mei")
    changes = told(Kind.IDEA_STATUS)
    assert set(changes) == {people.anna, people.bram}  # the author follows; mo decided
    assert changes[people.bram].url == idea.get_absolute_url()
    assert "Komt in mei" in changes[people.bram].excerpt


def test_a_response_without_a_new_status_tells_the_followers(people, idea):
    ideas.change_status(actor=people.mo, idea=idea, status="planned")
    Notification.objects.all().delete()
    ideas.change_status(actor=people.mo, idea=idea, status="planned", response="Nu in juni")
    responses = told(Kind.IDEA_RESPONSE)
    assert set(responses) == {people.anna, people.bram}
    assert not told(Kind.IDEA_STATUS)


def test_someone_who_unfollowed_hears_no_more(people, idea):
    ideas.unfollow(user=people.bram, idea=idea)
    ideas.change_status(actor=people.mo, idea=idea, status="declined", response="Geen budget")
    assert people.bram not in told(Kind.IDEA_STATUS)


def test_every_kind_goes_through_notify_alike(people, tell):
    """idea_owner (wired by the leadership review) and any later kind: a row for the
    recipient, never for the actor, none for an inactive or deleted account."""
    for kind in Kind.values:
        assert tell(people.anna, actor=people.olga, kind=kind, url="/ideeen/1/") is not None
        assert tell(people.olga, actor=people.olga, kind=kind) is None
    assert Notification.objects.filter(recipient=people.anna).count() == len(Kind.values)
    assert not Notification.objects.filter(recipient=people.olga).exists()


def test_inactive_and_deleted_accounts_are_not_told(people, tell):
    people.anna.is_active = False
    people.anna.save()
    people.bram.deleted_at = timezone.now()
    people.bram.save()
    assert tell(people.anna, actor=people.olga) is None
    assert tell(people.bram, actor=people.olga) is None
    assert not Notification.objects.exists()
