"""What is new to whom: unread counts, where the thread page opens, the divider, mark-read."""

import pytest
from django.urls import reverse

from discussions import selectors, services
from discussions.models import Post, ReadMarker, Thread
from groups.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user, make_group, add_member):
    owner = make_user(display_name="Olga Eigenaar", language="en")
    group = make_group(owner=owner, name="Fietsen naar het werk")
    reader = add_member(group, make_user(display_name="Rita Lezer", language="en")).user
    moderator = add_member(group, make_user(), Membership.Role.MODERATOR).user
    return group, owner, reader, moderator


def posts(thread, author, count):
    return [
        services.create_post(author=author, thread=thread, body=f"Bericht {n}")
        for n in range(count)
    ]


def unread(group, user) -> dict:
    return {t.title: t.unread for t in selectors.threads_for(group, user)}


def test_unread_counts_visible_posts_by_others_after_the_marker(people, make_thread):
    group, owner, reader, moderator = people
    thread = make_thread(group, owner, title="Onderwerp")
    assert unread(group, reader) == {"Onderwerp": 1}  # never opened: everything by others
    assert unread(group, owner) == {"Onderwerp": 0}  # one's own posts are never new

    services.mark_read(user=reader, thread=thread)
    first, second, third = posts(thread, owner, 3)
    services.create_post(author=reader, thread=thread, body="Mijn eigen")
    services.delete_post(actor=owner, post=first)
    services.hide_post(moderator=moderator, post=second, reason="Nee")
    assert unread(group, reader) == {"Onderwerp": 0}  # replying marked everything read

    later = posts(thread, owner, 2)
    services.delete_post(actor=owner, post=later[0])
    assert unread(group, reader) == {"Onderwerp": 1}
    assert third.pk < later[1].pk


def test_group_unread_counts_add_up_the_threads(people, make_thread, make_group):
    group, owner, reader, _moderator = people
    other = make_group(owner=owner, name="Andere groep")
    Membership.objects.create(group=other, user=reader)
    one = make_thread(group, owner, title="Een")
    two = make_thread(group, owner, title="Twee")
    posts(one, owner, 2)
    posts(two, owner, 1)
    services.mark_read(user=reader, thread=two)
    counts = {g.name: g.unread for g in selectors.my_groups_with_unread(reader)}
    assert counts == {"Fietsen naar het werk": 3, "Andere groep": 0}


def test_the_first_visit_opens_page_one_without_a_divider(client, people, make_thread):
    group, owner, reader, _moderator = people
    thread = make_thread(group, owner)
    posts(thread, owner, 60)
    client.force_login(reader)
    response = client.get(thread.get_absolute_url())
    assert response.context["page"].number == 1
    assert response.context["first_unread"] is None
    assert 'class="unread-divider"' not in response.content.decode()
    marker = ReadMarker.objects.get(user=reader, thread=thread)
    assert marker.last_read_post_id == response.context["post_ids"][-1]  # what was on screen


def test_a_return_visit_opens_the_page_of_the_first_new_post_with_a_divider(
    client, people, make_thread
):
    group, owner, reader, _moderator = people
    thread = make_thread(group, owner)
    earlier = posts(thread, owner, 59)  # with the first post, 60: earlier[n] is post n + 2
    services.mark_read(user=reader, thread=thread, post_id=earlier[38].pk)  # read up to #40
    client.force_login(reader)
    response = client.get(thread.get_absolute_url())
    first_new = earlier[39]
    assert response.context["first_unread"] == first_new.pk
    assert response.context["page"].number == 1
    page = response.content.decode()
    divider = page.index('class="unread-divider"')
    last_read = page.index(f'id="post-{earlier[38].pk}"')
    assert last_read < divider < page.index(f'id="post-{first_new.pk}"')
    assert "New since your last visit" in page

    # Page 1 is read now; the rest waits on page 2, where the next visit opens.
    response = client.get(thread.get_absolute_url())
    assert response.context["page"].number == 2
    assert response.context["first_unread"] == response.context["post_ids"][0]


def test_all_read_opens_the_last_page(client, people, make_thread):
    group, owner, reader, _moderator = people
    thread = make_thread(group, owner)
    posts(thread, owner, 120)
    services.mark_read(user=reader, thread=thread)
    client.force_login(reader)
    response = client.get(thread.get_absolute_url())
    assert response.context["page"].number == 3 and response.context["first_unread"] is None
    assert 'data-last-page="true"' in response.content.decode()


@pytest.mark.parametrize("pagina", ["abc", "0", "-1", "9" * 30, "\x00", "2.5", "last"])
def test_any_page_number_shows_a_page(client, people, make_thread, pagina):
    group, owner, reader, _moderator = people
    thread = make_thread(group, owner)
    posts(thread, owner, 55)
    client.force_login(reader)
    response = client.get(thread.get_absolute_url(), {"pagina": pagina})
    assert response.status_code == 200 and response.context["page"].number in {1, 2}


def test_reading_an_early_page_never_moves_the_marker_back(client, people, make_thread):
    group, owner, reader, _moderator = people
    thread = make_thread(group, owner)
    posts(thread, owner, 60)
    services.mark_read(user=reader, thread=thread)
    newest = Thread.objects.get(pk=thread.pk).last_post_id
    client.force_login(reader)
    client.get(thread.get_absolute_url(), {"pagina": 1})
    url = reverse("discussions:mark_read", args=[group.slug, thread.pk])
    assert client.post(url, {"post": thread.posts.first().pk}).status_code == 204
    assert ReadMarker.objects.get(user=reader, thread=thread).last_read_post_id == newest


def test_mark_read_moves_forward_to_the_post_or_the_end(client, people, make_thread):
    group, owner, reader, _moderator = people
    thread = make_thread(group, owner)
    made = posts(thread, owner, 3)
    client.force_login(reader)
    url = reverse("discussions:mark_read", args=[group.slug, thread.pk])
    assert (
        client.post(url, {"post": made[0].pk}, headers={"X-Requested-With": "fetch"}).status_code
        == 204
    )
    assert ReadMarker.objects.get(user=reader).last_read_post_id == made[0].pk
    assert client.post(url, {"post": 10**17}).status_code == 204  # no further than the newest
    assert ReadMarker.objects.get(user=reader).last_read_post_id == made[-1].pk
    assert client.post(url).status_code == 204


@pytest.mark.parametrize("value", ["abc", "-5", "0", str(2**63), "\x00", "1e3"])
def test_mark_read_refuses_nonsense(client, people, make_thread, value):
    group, owner, reader, _moderator = people
    thread = make_thread(group, owner)
    client.force_login(reader)
    url = reverse("discussions:mark_read", args=[group.slug, thread.pk])
    response = client.post(url, {"post": value})
    assert response.status_code == 400 and response.json()["error"]
    assert not ReadMarker.objects.filter(user=reader).exists()


def test_a_permalink_finds_the_page_of_the_post(client, people, make_thread):
    group, owner, reader, _moderator = people
    thread = make_thread(group, owner)
    made = posts(thread, owner, 120)
    client.force_login(reader)
    target = made[100]  # the 102nd post
    response = client.get(reverse("discussions:post", args=[target.pk]))
    assert response["Location"] == f"{thread.get_absolute_url()}?pagina=3#post-{target.pk}"
    page = client.get(response["Location"])
    assert target.pk in page.context["post_ids"]
    assert Post.objects.filter(thread=thread).count() == 121
