"""People who can no longer see a private group hear nothing more of what happens in it."""

import pytest

from discussions import services as discussions
from groups import services as groups
from hub.models import Notification
from ideas import services as ideas

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


@pytest.fixture
def private(people, make_group, add_member):
    group = make_group(owner=people.olga, name="Reorganisatie", visibility="private")
    add_member(group, people.anna)
    add_member(group, people.bram)
    return group


def test_a_starter_who_left_a_private_group_hears_no_more_replies(people, private):
    thread = discussions.create_thread(
        author=people.anna, group=private, title="Geheime plannen", body="Wat vinden jullie?"
    )
    mine = discussions.create_post(author=people.bram, thread=thread, body="Eerste reactie")
    groups.leave_group(user=people.anna, group=private)
    groups.leave_group(user=people.bram, group=private)
    Notification.objects.all().delete()
    discussions.create_post(
        author=people.olga, thread=thread, body="Afdeling X verdwijnt", reply_to=mine
    )
    assert not Notification.objects.exists()


def test_a_follower_who_left_a_private_group_hears_no_more_decisions(people, private):
    board = ideas.create_board(moderator=people.olga, group=private, title="Ideeën")
    idea = ideas.create_idea(author=people.anna, board=board, title="Fuseren", body="x")
    ideas.follow(user=people.bram, idea=idea)
    groups.leave_group(user=people.anna, group=private)
    groups.leave_group(user=people.bram, group=private)
    ideas.change_status(actor=people.olga, idea=idea, status="planned", response="Per 1 mei")
    assert not Notification.objects.exists()


def test_members_still_hear_of_replies_and_decisions(people, private):
    thread = discussions.create_thread(
        author=people.anna, group=private, title="Plannen", body="Wat vinden jullie?"
    )
    discussions.create_post(author=people.olga, thread=thread, body="Goed plan")
    board = ideas.create_board(moderator=people.olga, group=private, title="Ideeën")
    idea = ideas.create_idea(author=people.bram, board=board, title="Fuseren", body="x")
    ideas.change_status(actor=people.olga, idea=idea, status="planned", response="Per 1 mei")
    assert set(Notification.objects.values_list("recipient", "kind")) == {
        (people.anna.pk, Kind.REPLY),
        (people.bram.pk, Kind.IDEA_STATUS),
    }


def test_removal_from_a_private_group_takes_its_excerpts_out_of_list_and_digest(
    people, private, client, mailoutbox
):
    from django.core.management import call_command

    from groups.models import Membership
    from hub.notifications import services

    services.set_preferences(people.bram, {Kind.REPLY: "digest"})
    thread = discussions.create_thread(
        author=people.bram, group=private, title="Geheime plannen", body="Wat vinden jullie?"
    )
    discussions.create_post(author=people.olga, thread=thread, body="Afdeling X verdwijnt")
    invited = groups.invite(inviter=people.olga, group=private, user=people.mo)
    assert Notification.objects.filter(recipient=people.bram, kind=Kind.REPLY).exists()
    membership = Membership.objects.get(group=private, user=people.bram)
    groups.remove_member(actor=people.olga, membership=membership)
    groups.leave_group(user=people.anna, group=private)

    client.force_login(people.bram)
    page = client.get("/meldingen/").content.decode()
    assert "Afdeling X" not in page and "Reorganisatie" not in page
    call_command("send_digests")
    assert not mailoutbox
    # What is about joining the group stays with someone outside it.
    assert Notification.objects.filter(recipient=people.mo, url=invited.get_absolute_url())
