"""The group pages ask the database a fixed number of questions, however big the site gets.

Each test measures a page with a small world (10 groups, or 10 members), grows the world
tenfold and asserts the page then needs exactly as many queries: no query per group or
per member (no N+1). Every page also stays under a small absolute bound.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from discussions.models import Thread
from groups.models import Group, Invitation, JoinRequest, Membership
from ideas.models import Board
from tests.helpers import queries_for

pytestmark = pytest.mark.django_db

Role = Membership.Role
# Session and user, then the page's own queries, with a little room to spare.
DIRECTORY_BOUND = 6  # count and one page of rows
GROUP_PAGE_BOUND = 12
VISIBILITIES = ["open", "closed", "private"]


def make_people(prefix, count) -> list:
    User = get_user_model()
    User.objects.bulk_create(
        User(
            username=f"{prefix}{n}",
            email=f"{prefix}{n}@provincie.example",
            display_name=f"{prefix.title()} {n}",
            department="Mobiliteit" if n % 2 else "",
            password="!",
        )
        for n in range(count)
    )
    return list(User.objects.filter(username__startswith=prefix).order_by("id"))


def add_groups(viewer, people, start, stop) -> None:
    """Groups start..stop-1, each with three members; the viewer is in every third group
    (owner, moderator or member in turn) and waits on a request in some closed ones."""
    now = timezone.now()
    Group.objects.bulk_create(
        Group(
            name=f"Groep {n:03d}",
            slug=f"groep-{n:03d}",
            kind="improvement" if n % 2 else "interest",
            visibility=VISIBILITIES[n % 3],
            description="Samen fietsen naar kantoor" if n % 2 else "Minder papier",
            last_activity_at=now - timedelta(minutes=n),
            created_at=now - timedelta(days=n),
        )
        for n in range(start, stop)
    )
    groups = Group.objects.filter(slug__in=[f"groep-{n:03d}" for n in range(start, stop)])
    memberships, requests = [], []
    for group in groups:
        n = int(group.slug.rsplit("-", 1)[1])
        roles = [Role.OWNER, Role.MODERATOR, Role.MEMBER]
        for offset, role in enumerate(roles):
            memberships.append(
                Membership(group=group, user=people[(n + offset) % len(people)], role=role)
            )
        if n % 3 == 0:
            memberships.append(Membership(group=group, user=viewer, role=roles[(n // 3) % 3]))
        elif group.visibility == "closed" and n % 2:
            requests.append(JoinRequest(group=group, user=viewer))
    Membership.objects.bulk_create(memberships)
    JoinRequest.objects.bulk_create(requests)


def add_members(group, people) -> None:
    Membership.objects.bulk_create(Membership(group=group, user=person) for person in people)


@pytest.fixture
def people(db):
    return make_people("collega", 12)


@pytest.fixture
def viewer(make_user):
    return make_user(display_name="Vera Kijker")


def signed_in(client, user):
    client.force_login(user)
    client.get(reverse("groups:directory"))  # warm-up: first-request caches are not the page's
    return client


# --- The directory ------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["", "?mine=on", "?q=fiets", "?q=fiets&mine=on", "?sort=members", "?kind=improvement&page=2"],
)
def test_the_directory_asks_the_same_few_queries_for_10_or_100_groups(
    client, viewer, people, django_assert_num_queries, django_assert_max_num_queries, query
):
    url = reverse("groups:directory") + query
    add_groups(viewer, people, 0, 10)
    signed_in(client, viewer)
    with django_assert_max_num_queries(DIRECTORY_BOUND):
        few = queries_for(client, url)

    add_groups(viewer, people, 10, 100)
    with django_assert_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["page"].object_list  # the page really lists groups


def test_the_directory_shows_each_group_s_count_and_the_viewer_s_place_in_it(
    client, viewer, people
):
    add_groups(viewer, people, 0, 100)
    response = signed_in(client, viewer).get(reverse("groups:directory") + "?sort=name")
    shown = {group.slug: group for group in response.context["page"].object_list}
    assert len(shown) == 24
    assert shown["groep-000"].member_count == 4 and shown["groep-000"].my_role == Role.OWNER
    assert shown["groep-003"].my_role == Role.MODERATOR
    assert shown["groep-001"].member_count == 3 and shown["groep-001"].my_role is None
    assert shown["groep-001"].has_pending_request  # closed, odd: the viewer asked to join
    assert "groep-002" not in shown  # private, and the viewer is not in it


def test_staff_see_every_group_in_the_directory_with_the_same_few_queries(
    client, staff, viewer, people, django_assert_num_queries
):
    url = reverse("groups:directory")
    add_groups(viewer, people, 0, 10)
    signed_in(client, staff)
    few = queries_for(client, url)
    add_groups(viewer, people, 10, 100)
    with django_assert_num_queries(few):
        response = client.get(url)
    assert response.context["page"].paginator.count == 100
    assert few <= DIRECTORY_BOUND


# --- A group's own pages --------------------------------------------------------------


@pytest.fixture
def big_group(db, people):
    group = Group.objects.create(name="Fietsen naar het werk", slug="fietsen", kind="interest")
    Membership.objects.create(group=group, user=people[0], role=Role.OWNER)
    Membership.objects.create(group=group, user=people[1], role=Role.MODERATOR)
    return group


def grow_group(group, prefix, count) -> None:
    """More members, threads, boards, requests and invitations: everything the pages list."""
    newcomers = make_people(prefix, count)
    add_members(group, newcomers[: count // 2])
    Thread.objects.bulk_create(
        Thread(group=group, title=f"Onderwerp {prefix} {n}", author=person)
        for n, person in enumerate(newcomers[:6])
    )
    Board.objects.bulk_create(Board(group=group, title=f"Bord {prefix} {n}") for n in range(3))
    JoinRequest.objects.bulk_create(
        JoinRequest(group=group, user=person, message="Graag!")
        for person in newcomers[count // 2 : count // 2 + count // 4]
    )
    expires = timezone.now() + timedelta(days=14)
    Invitation.objects.bulk_create(
        [
            *(
                Invitation(group=group, user=person, token=f"{prefix}-u{n}", expires_at=expires)
                for n, person in enumerate(newcomers[count // 2 + count // 4 :])
            ),
            *(
                Invitation(
                    group=group,
                    email=f"{prefix}.gast{n}@provincie.example",
                    token=f"{prefix}-e{n}",
                    expires_at=expires,
                )
                for n in range(count // 4)
            ),
        ]
    )
    Membership.objects.filter(group=group, user__in=newcomers[:2]).update(
        muted_until=timezone.now() + timedelta(days=1)
    )


@pytest.mark.parametrize("page", ["groups:detail", "groups:members"])
@pytest.mark.parametrize("who", ["member", "moderator", "staff"])
def test_a_group_page_asks_the_same_few_queries_for_10_or_100_members(
    client, big_group, people, staff, who, page, django_assert_num_queries
):
    viewer = {"member": people[2], "moderator": people[1], "staff": staff}[who]
    if who == "member":
        Membership.objects.create(group=big_group, user=viewer)
    url = reverse(page, args=[big_group.slug])
    grow_group(big_group, "klein", 16)
    signed_in(client, viewer)
    few = queries_for(client, url)
    assert few <= GROUP_PAGE_BOUND

    grow_group(big_group, "groot", 200)
    with django_assert_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200
    assert big_group.memberships.count() > 100


def test_the_members_page_lists_requests_and_invitations_for_moderators(client, big_group, people):
    grow_group(big_group, "klein", 16)
    response = signed_in(client, people[1]).get(reverse("groups:members", args=[big_group.slug]))
    page = response.content.decode()
    assert len(response.context["requests"]) == 4
    assert len(response.context["invitations"]) == 8
    assert "klein.gast0@provincie.example" in page
    assert response.context["members"].paginator.count == 10
