"""Mijn Kring: my groups with unread counts, ideas I follow with their latest decision,
invitations and requests waiting, and unread notifications; never a private group's news
for someone who is not (or no longer) a member."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from discussions import services as discussions
from groups import services as groups
from groups.models import Invitation, Membership
from hub.models import Notification
from ideas import services as ideas
from ideas.models import Follow
from tests.helpers import queries_for

pytestmark = pytest.mark.django_db
URL = reverse("personal:dashboard")


def test_my_groups_show_their_unread_counts(english, history):
    english.force_login(history.anna)
    discussions.create_post(author=history.piet, thread=history.thread, body="Nog iets")
    response = english.get(URL)
    [group] = response.context["my_groups"]
    assert group == history.group
    # Piet's two replies after Anna's own (writing marks the thread read up to there).
    assert group.unread == 2
    assert "2 new messages" in response.content.decode()


def test_groups_i_am_not_in_are_not_mine(client, history, make_group):
    make_group(name="Andere groep")
    client.force_login(history.piet)
    assert [g.name for g in client.get(URL).context["my_groups"]] == ["Fietsen naar het werk"]


def test_ideas_i_follow_show_their_latest_decision(english, history):
    english.force_login(history.anna)
    response = english.get(URL)
    follows = response.context["follows"]
    # Newest news first: Anna's own idea (followed since she wrote it) came after the decision.
    assert [f.idea for f in follows] == [history.anna_idea, history.idea]
    assert follows[1].change_response == "We kijken ernaar met Facilitair."
    page = response.content.decode()
    assert "Status: Under review" in page
    assert "We kijken ernaar met Facilitair." in page
    assert "no decision yet" in page  # Anna's own idea


def test_a_new_decision_moves_an_idea_to_the_top(client, history):
    ideas.change_status(
        actor=history.olga, idea=history.idea, status="accepted", response="Doen we!"
    )
    client.force_login(history.anna)
    follows = client.get(URL).context["follows"]
    assert [f.idea for f in follows] == [history.idea, history.anna_idea]
    assert follows[0].change_response == "Doen we!"


def test_only_the_ten_most_recent_follows_are_shown_with_the_total(english, history):
    board = history.idea.board
    for n in range(11):
        ideas.create_idea(author=history.anna, board=board, title=f"Idee {n}", body="x")
    english.force_login(history.anna)
    response = english.get(URL)
    assert len(response.context["follows"]) == 10
    assert response.context["follow_count"] == 13
    assert "The 10 with the most recent news, of 13 ideas you follow." in (
        response.content.decode()
    )


def test_an_idea_in_a_private_group_i_left_is_no_longer_shown(client, history, make_group):
    secret = make_group(owner=history.olga, name="Geheim", visibility="private")
    Membership.objects.create(group=secret, user=history.piet)
    board = ideas.create_board(moderator=history.olga, group=secret, title="Plannen", brief="")
    idea = ideas.create_idea(author=history.olga, board=board, title="Geheim plan", body="x")
    ideas.follow(user=history.piet, idea=idea)
    client.force_login(history.piet)
    assert "Geheim plan" in client.get(URL).content.decode()
    groups.leave_group(user=history.piet, group=secret)
    page = client.get(URL).content.decode()
    assert "Geheim plan" not in page and "Geheim" not in page


def test_a_hidden_idea_is_not_shown(client, history):
    ideas.hide_idea(moderator=history.olga, idea=history.idea, reason="Dubbel")
    client.force_login(history.anna)
    assert [f.idea for f in client.get(URL).context["follows"]] == [history.anna_idea]


def test_open_invitations_are_shown_with_accept_and_decline(english, history):
    english.force_login(history.anna)
    response = english.get(URL)
    [invitation] = response.context["invitations"]
    page = response.content.decode()
    assert "invites you to join Vertrouwelijk overleg" in page
    assert f'action="{invitation.get_absolute_url()}"' in page
    assert 'name="answer" value="accept"' in page and 'name="answer" value="decline"' in page
    # Accepting from the dashboard goes through the groups' own invitation page.
    english.post(invitation.get_absolute_url(), {"answer": "accept"})
    assert Membership.objects.filter(group=invitation.group, user=history.anna).exists()
    assert english.get(URL).context["invitations"] == []


def test_expired_and_answered_invitations_are_not_shown(client, history):
    Invitation.objects.filter(user=history.anna).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(history.anna)
    assert client.get(URL).context["invitations"] == []


def test_the_private_group_of_an_invitation_is_seen_only_by_the_invited(client, history):
    client.force_login(history.piet)
    assert "Vertrouwelijk overleg" not in client.get(URL).content.decode()


def test_my_pending_join_requests_can_be_withdrawn(english, history):
    english.force_login(history.anna)
    response = english.get(URL)
    [join_request] = response.context["join_requests"]
    assert join_request.group.name == "Snellere vergunningen"
    withdraw = reverse("groups:withdraw_request", args=[join_request.group.slug])
    assert f'action="{withdraw}"' in response.content.decode()
    english.post(withdraw)
    assert english.get(URL).context["join_requests"] == []


def test_unread_notifications_are_counted_and_linked(english, history):
    english.force_login(history.anna)
    unread = Notification.objects.filter(recipient=history.anna, read_at__isnull=True).count()
    assert unread >= 2  # the mention and the invitation at least
    response = english.get(URL)
    assert response.context["unread_notifications"] == unread
    page = response.content.decode()
    assert f"You have {unread} unread notifications." in page
    assert f'href="{reverse("notifications:list")}"' in page
    Notification.objects.filter(recipient=history.anna).update(read_at=timezone.now())
    assert "You have no unread notifications." in english.get(URL).content.decode()


def test_a_newcomer_sees_how_to_start(english, member):
    english.force_login(member)
    page = english.get(URL).content.decode()
    assert "You are not a member of a group yet." in page
    assert "You do not follow any ideas yet." in page


def grow(history, make_group, start, count):
    """Groups with a post each and a followed idea in each, for Piet."""
    for n in range(start, start + count):
        group = make_group(owner=history.olga, name=f"Groep {n}", visibility="private")
        Membership.objects.create(group=group, user=history.piet)
        thread = discussions.create_thread(author=history.olga, group=group, title="T", body="x")
        discussions.create_post(author=history.olga, thread=thread, body="y")
        board = ideas.create_board(moderator=history.olga, group=group, title="B", brief="")
        idea = ideas.create_idea(author=history.olga, board=board, title=f"Idee {n}", body="x")
        Follow.objects.create(user=history.piet, idea=idea)
        ideas.change_status(actor=history.olga, idea=idea, status="accepted", response="Ja")
        other = make_group(owner=history.olga, name=f"Uitnodiging {n}")
        groups.invite(inviter=history.olga, group=other, user=history.piet)


def test_the_page_costs_the_same_queries_for_one_or_twenty_groups(client, history, make_group):
    client.force_login(history.piet)
    grow(history, make_group, 0, 1)
    one = queries_for(client, URL)
    grow(history, make_group, 1, 19)
    assert queries_for(client, URL) == one
