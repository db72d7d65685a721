"""Deciding from the dashboard: status, official response and owner in one form, one
transaction; followers and the new owner are told; bad input changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from groups.models import ModerationLogEntry
from hub.models import Notification
from hub.review import services as review_services
from ideas import services
from ideas.models import BoardEvent, Follow, StatusChange
from ideas.services import IdeaActionError
from tests.review.conftest import english, login, snapshot

pytestmark = pytest.mark.django_db


def decide_url(idea, next_url=""):
    url = reverse("review:decide", args=[idea.pk])
    return f"{url}?next={next_url}" if next_url else url


def followers(idea) -> set[int]:
    return set(Follow.objects.filter(idea=idea).values_list("user_id", flat=True))


def told(kind, idea=None) -> set[int]:
    rows = Notification.objects.filter(kind=kind)
    if idea is not None:
        rows = rows.filter(url=idea.get_absolute_url())
    return set(rows.values_list("recipient_id", flat=True))


def test_status_response_and_owner_in_one_post(client, world):
    idea, leader, owner = world.ideas["popular"], world.users["leader"], world.users["moderator"]
    watching = followers(idea)
    events = BoardEvent.objects.count()
    client.force_login(leader)
    response = client.post(
        decide_url(idea),
        {
            "status": "accepted",
            "response": "Goed idee: **we doen het**.",
            "owner": owner.pk,
            "next": "/leiding/?status=new&sortering=trending",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/leiding/?status=new&sortering=trending"

    idea = world.idea("popular")
    assert (idea.status, idea.owner) == ("accepted", owner)
    change = StatusChange.objects.get(idea=idea)
    assert (change.actor, change.from_status, change.to_status) == (leader, "new", "accepted")
    assert "<strong>we doen het</strong>" in change.response_html
    assert idea.responded_at == change.created_at
    # Followers hear the decision, and who follows it up; the owner hears it is theirs.
    assert told(Notification.Kind.IDEA_STATUS, idea) == watching
    assert told(Notification.Kind.IDEA_OWNER, idea) == {owner.pk}
    assert told(Notification.Kind.IDEA_RESPONSE, idea) == watching
    assert owner.pk in followers(idea)
    log = ModerationLogEntry.objects.filter(group=world.open, actor=leader)
    assert sorted(log.values_list("action", flat=True)) == [
        "assign_idea_owner",
        "change_idea_status",
    ]
    assert log.filter(
        action="assign_idea_owner", target_user=owner, detail__contains=owner.name
    ).exists()
    assert BoardEvent.objects.count() == events + 2  # open boards update live
    assert BoardEvent.objects.filter(idea=idea, kind="idea.updated").count() == 2


def test_a_follow_up_update_keeps_the_status_and_tells_followers(client, world):
    idea = world.ideas["answered"]
    Notification.objects.all().delete()  # what the first decision told
    client.force_login(world.users["leader"])
    response = client.post(
        decide_url(idea), {"status": "accepted", "response": "Update: de kaarten zijn besteld."}
    )
    assert response.status_code == 302
    latest = StatusChange.objects.filter(idea=idea).latest("id")
    assert (latest.from_status, latest.to_status) == ("accepted", "accepted")
    assert told(Notification.Kind.IDEA_RESPONSE, idea) == followers(idea)
    assert not told(Notification.Kind.IDEA_STATUS, idea)


def test_only_a_new_owner(client, world):
    idea, owner = world.ideas["popular"], world.users["member"]
    client.force_login(world.users["leader"])
    response = client.post(decide_url(idea), {"status": "new", "owner": owner.pk})
    assert response.status_code == 302
    assert world.idea("popular").owner == owner
    assert not StatusChange.objects.filter(idea=idea).exists()
    assert told(Notification.Kind.IDEA_OWNER, idea) == {owner.pk}
    assert owner.pk not in told(Notification.Kind.IDEA_RESPONSE, idea)

    # Nobody any more: logged, nobody told.
    before = Notification.objects.count()
    response = client.post(decide_url(idea), {"status": "new", "owner": ""})
    assert response.status_code == 302
    assert world.idea("popular").owner is None
    assert Notification.objects.count() == before


def test_the_idea_page_shows_who_is_responsible(client, world):
    services.assign_owner(
        actor=world.users["leader"], idea=world.ideas["popular"], owner=world.users["member"]
    )
    page = english(login(client, world, "member")).get(world.ideas["popular"].get_absolute_url())
    assert "Responsible: Mia Lid" in page.content.decode()


def test_marking_a_duplicate(client, world):
    idea, original = world.ideas["quiet"], world.ideas["popular"]
    client.force_login(world.users["leader"])
    response = client.post(
        decide_url(idea), {"status": "duplicate", "duplicate_of": original.pk, "response": "Zie"}
    )
    assert response.status_code == 302
    assert world.idea("quiet").duplicate_of_id == original.pk


def _form_error_for(client, world, data, idea_name="popular"):
    idea = world.ideas[idea_name]
    client.force_login(world.users["leader"])
    before = snapshot()
    response = client.post(decide_url(idea), data)
    assert response.status_code == 200  # the form again, with what went wrong
    assert snapshot() == before
    return response


@pytest.mark.parametrize(
    "data, field",
    [
        ({"status": "approved_by_magic"}, "status"),
        ({}, "status"),
        ({"status": "accepted", "response": "x" * 10_001}, "response"),
        ({"status": "duplicate"}, "duplicate_of"),
        ({"status": "duplicate", "duplicate_of": "abc"}, "duplicate_of"),
        ({"status": "accepted", "owner": "999999"}, "owner"),
        ({"status": "accepted", "owner": "1 OR 1=1"}, "owner"),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_written(client, world, data, field):
    response = _form_error_for(client, world, data)
    form = response.context["form"]
    assert field in form.errors
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html


def test_an_owner_from_outside_the_group_is_refused(client, world, make_user):
    outsider = make_user(display_name="Otto Buiten")
    response = _form_error_for(client, world, {"status": "accepted", "owner": outsider.pk})
    assert "owner" in response.context["form"].errors
    # Leadership may follow up ideas of open groups, not of private ones they cannot see.
    leader_outside = make_user(leadership=True)
    client.force_login(world.users["staff"])
    before = snapshot()
    response = client.post(
        decide_url(world.ideas["secret"]), {"status": "planned", "owner": leader_outside.pk}
    )
    assert response.status_code == 200 and "owner" in response.context["form"].errors
    assert snapshot() == before


@pytest.mark.parametrize(
    "data",
    [
        {"status": "duplicate", "duplicate_of": "OTHER_GROUP"},
        {"status": "new"},  # nothing changed at all
    ],
)
def test_refusals_from_the_services_are_form_errors(client, world, data):
    if data.get("duplicate_of") == "OTHER_GROUP":
        data = {**data, "duplicate_of": world.ideas["closed"].pk}
    response = _form_error_for(client, world, data)
    assert response.context["form"].errors


def test_nothing_is_half_written_when_one_part_is_refused(world, make_user):
    """The status change succeeds on its own, the owner is refused: neither is kept."""
    before = snapshot()
    stranger = make_user()
    stranger.is_active = False
    stranger.save()
    with pytest.raises(IdeaActionError):
        review_services.decide(
            actor=world.users["leader"],
            idea=world.idea("popular"),
            status="accepted",
            response="Ja",
            owner=stranger,
        )
    assert snapshot() == before


def test_assign_owner_asks_for_the_right_to_decide(world):
    with pytest.raises(PermissionDenied):
        services.assign_owner(
            actor=world.users["member"], idea=world.idea("popular"), owner=world.users["member"]
        )
    with pytest.raises(IdeaActionError):
        services.assign_owner(
            actor=world.users["staff"], idea=world.idea("secret"), owner=world.users["leader"]
        )


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/leiding/", "javascript:alert(1)", ""],
)
def test_next_must_be_a_page_of_this_site(client, world, next_url):
    client.force_login(world.users["leader"])
    response = client.post(
        decide_url(world.ideas["popular"]),
        {"status": "under_review", "response": "We kijken", "next": next_url},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("review:dashboard")


def test_the_form_offers_members_and_leadership_not_everyone(client, world, make_user):
    make_user(display_name="Otto Buiten")
    client.force_login(world.users["leader"])
    form = client.get(decide_url(world.ideas["popular"])).context["form"]
    offered = {label for _value, label in form.fields["owner"].widget.choices}
    assert {"Mia Lid", "Mo Moderator", "Lotte Leiding", "Olga Eigenaar"} <= offered
    assert "Otto Buiten" not in offered and "Ida Binnen" not in offered
