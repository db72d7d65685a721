"""Deleting one's account: confirmed by typing the address, refused while a group would be
left without an owner, and then: anonymous everywhere, logged out for good, every vote
still counted."""

import asyncio

import pytest
from allauth.account.models import EmailAddress
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from discussions.models import Mention, Reaction, ReadMarker, ThreadEvent
from discussions.selectors import mention_candidates
from groups.models import Invitation, JoinRequest, Membership
from hub.models import Notification, NotificationPreference
from hub.notifications.services import notify, set_preferences
from hub.personal import services
from ideas.models import Follow, Idea, Vote
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db
URL = reverse("personal:delete")
User = get_user_model()


def snapshot(user) -> dict:
    user = User.objects.get(pk=user.pk)
    return {
        "user": (user.username, user.email, user.display_name, user.is_active, user.deleted_at),
        "password": user.password,
        "addresses": EmailAddress.objects.filter(user=user).count(),
        "memberships": Membership.objects.filter(user=user).count(),
        "requests": JoinRequest.objects.filter(user=user).count(),
        "invitations": Invitation.objects.filter(user=user).count(),
        "follows": Follow.objects.filter(user=user).count(),
        "reactions": Reaction.objects.filter(user=user).count(),
        "notifications": Notification.objects.filter(recipient=user).count(),
        "votes": Vote.objects.filter(user=user).count(),
    }


def test_the_page_explains_the_consequences(english, history):
    english.force_login(history.anna)
    page = english.get(URL).content.decode()
    assert "This cannot be undone." in page
    assert "show “Deleted account” instead of your name" in page
    assert "Your votes keep counting, as anonymous votes." in page
    assert 'for="id_email"' in page
    assert reverse("personal:export") in page


@pytest.mark.parametrize("typed", ["", "anna@provincie.exampl", "piet@provincie.example"])
def test_a_wrong_address_is_a_form_error_and_changes_nothing(english, history, typed):
    english.force_login(history.anna)
    before = snapshot(history.anna)
    response = english.post(URL, {"email": typed})
    assert response.status_code == 400
    assert "email" in response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()
    assert snapshot(history.anna) == before
    assert english.get(reverse("personal:dashboard")).status_code == 200  # still signed in


def test_the_only_owner_of_a_group_with_members_must_hand_it_over_first(english, history):
    english.force_login(history.olga)
    page = english.get(URL).content.decode()
    assert "First make someone else owner" in page
    assert reverse("groups:members", args=[history.group.slug]) in page
    before = snapshot(history.olga)
    response = english.post(URL, {"email": history.olga.email})
    assert response.status_code == 409
    assert "Members of Fietsen naar het werk" in response.content.decode()
    assert snapshot(history.olga) == before
    with pytest.raises(services.HandOverFirst) as refused:
        services.delete_account(user=history.olga)
    assert refused.value.groups == [history.group]


def test_a_group_with_another_owner_or_no_other_members_does_not_stop_it(client, history):
    Membership.objects.filter(group=history.group, user=history.piet).update(role="owner")
    # Olga's other groups (closed, private) have nobody else in them.
    client.force_login(history.olga)
    response = client.post(URL, {"email": history.olga.email})
    assert response.status_code == 302
    assert User.objects.get(pk=history.olga.pk).deleted_at is not None


def delete_anna(client, history):
    client.force_login(history.anna)
    response = client.post(URL, {"email": "  ANNA@provincie.example "}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    return response


def test_the_account_is_anonymised_in_place(english, history):
    set_preferences(history.anna, {"mention": "off"})
    history.anna.feed_token = "geheim"
    history.anna.save()
    response = delete_anna(english, history)
    assert "Your account has been deleted." in response.content.decode()
    anna = User.objects.get(pk=history.anna.pk)
    assert anna.username == f"verwijderd-{anna.pk}"
    assert anna.email == f"verwijderd-{anna.pk}@invalid"
    assert (anna.display_name, anna.first_name, anna.last_name, anna.department) == ("",) * 4
    assert not anna.has_usable_password()
    assert not (anna.is_active or anna.is_staff or anna.is_superuser)
    assert anna.deleted_at is not None and anna.feed_token is None
    assert not EmailAddress.objects.filter(user=anna).exists()
    assert not Membership.objects.filter(user=anna).exists()
    assert not JoinRequest.objects.filter(user=anna).exists()
    assert not Invitation.objects.filter(user=anna).exists()  # the open one
    assert not Follow.objects.filter(user=anna).exists()
    assert not ReadMarker.objects.filter(user=anna).exists()
    assert not Mention.objects.filter(user=anna).exists()
    assert not Notification.objects.filter(recipient=anna).exists()
    assert not NotificationPreference.objects.filter(user=anna).exists()
    assert not Reaction.objects.filter(user=anna).exists()


def test_the_person_is_logged_out_and_cannot_log_in_again(client, history):
    delete_anna(client, history)
    assert client.get(reverse("personal:dashboard")).status_code == 302
    assert not client.login(username="anna@provincie.example", password=DEMO_PASSWORD)
    response = client.post(
        reverse("account_login"),
        {"login": "anna@provincie.example", "password": DEMO_PASSWORD},
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200  # the login form again, with its error


def test_other_sessions_of_the_person_end_too(client, django_app_client, history):
    django_app_client.force_login(history.anna)
    delete_anna(client, history)
    assert django_app_client.get(reverse("personal:dashboard")).status_code == 302


def test_their_words_stay_under_deleted_account(english, history):
    delete_anna(english, history)
    english.force_login(history.piet)
    page = english.get(history.thread.get_absolute_url()).content.decode()
    assert "Bij de hoofdingang" in page
    assert "Deleted account" in page
    assert "Anna de Vries" not in page
    page = english.get(history.anna_idea.get_absolute_url()).content.decode()
    assert "Deelfietsen" in page and "Anna de Vries" not in page


def test_votes_keep_counting_without_drift(client, history):
    delete_anna(client, history)
    idea = Idea.objects.get(pk=history.idea.pk)
    assert idea.vote_count == 2
    assert Vote.objects.filter(idea=idea).count() == 2
    call_command("recount_votes", "--check")  # raises CommandError on any drift


def test_their_reactions_go_and_open_pages_hear_of_it(client, history):
    before = ThreadEvent.objects.filter(thread=history.thread).count()
    delete_anna(client, history)
    reactions = Reaction.objects.filter(post=history.other_post)
    assert list(reactions.values_list("user", flat=True)) == [history.piet.pk]
    event = ThreadEvent.objects.filter(thread=history.thread).order_by("-seq").first()
    assert (event.kind, event.post_id) == ("post.reactions", history.other_post.pk)
    assert ThreadEvent.objects.filter(thread=history.thread).count() == before + 1


def test_nobody_can_mention_or_notify_a_deleted_account(client, history):
    assert history.anna in mention_candidates(history.group, "ann")
    delete_anna(client, history)
    assert mention_candidates(history.group, "ann") == []
    assert mention_candidates(history.group, "verwijderd") == []
    assert notify([history.anna.pk], kind="reply", url="/", excerpt="x") == []


def test_their_open_group_sockets_are_told_to_check_again(
    client, history, django_capture_on_commit_callbacks
):
    def delete():
        with django_capture_on_commit_callbacks(execute=True):
            delete_anna(client, history)

    async def told() -> dict:
        # One event loop throughout: the pubsub layer's channels belong to the loop.
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(f"access.{history.group.pk}", channel)
        await sync_to_async(delete)()
        return await asyncio.wait_for(layer.receive(channel), 10)

    assert async_to_sync(told)() == {"type": "access.changed", "user_id": history.anna.pk}


def test_the_other_members_and_the_group_are_untouched(client, history):
    delete_anna(client, history)
    assert set(Membership.objects.filter(group=history.group).values_list("user", flat=True)) == {
        history.olga.pk,
        history.piet.pk,
    }
    assert User.objects.get(pk=history.piet.pk).is_active
