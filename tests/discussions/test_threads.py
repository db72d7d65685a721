"""Starting, listing, pinning, closing and moving discussions, as people do it in the browser."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from discussions.models import Post, Thread
from groups.models import Membership, ModerationLogEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user, make_group, add_member):
    """An open group with an owner, a moderator and a member (all reading in English)."""
    owner = make_user(display_name="Olga Eigenaar", language="en")
    group = make_group(owner=owner, name="Fietsen naar het werk")
    moderator = add_member(
        group, make_user(display_name="Mo Moderator", language="en"), Membership.Role.MODERATOR
    ).user
    member = add_member(group, make_user(display_name="Anna de Vries", language="en")).user
    return group, owner, moderator, member


def test_a_member_starts_a_discussion_and_lands_on_it(client, people):
    group, _owner, _moderator, member = people
    client.force_login(member)
    response = client.post(
        reverse("discussions:create", args=[group.slug]),
        {"title": "  Fietsenstalling   vol  ", "body": "Er is **geen** plek meer."},
    )
    thread = Thread.objects.get()
    assert response.status_code == 302 and response["Location"] == thread.get_absolute_url()
    assert thread.title == "Fietsenstalling vol" and thread.author == member
    assert thread.posts.get().body_html == "<p>Er is <strong>geen</strong> plek meer.</p>"
    page = client.get(response["Location"]).content.decode()
    assert "Fietsenstalling vol" in page and "<strong>geen</strong>" in page


def test_a_discussion_needs_a_title_and_a_message(client, people):
    group, *_rest, member = people
    client.force_login(member)
    response = client.post(
        reverse("discussions:create", args=[group.slug]), {"title": "", "body": "Tekst"}
    )
    assert response.status_code == 200 and response.context["form"].errors["title"]
    response = client.post(
        reverse("discussions:create", args=[group.slug]), {"title": "Titel", "body": "\x00 "}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert Thread.objects.count() == 0 and Post.objects.count() == 0


def test_the_list_shows_pinned_threads_first_with_counts_and_badges(
    client, people, make_thread, make_post
):
    group, owner, moderator, member = people
    old = make_thread(group, owner, title="Oud onderwerp")
    make_thread(group, owner, title="Nieuw onderwerp")
    make_post(old, owner)
    client.force_login(moderator)
    client.post(reverse("discussions:pin", args=[group.slug, old.pk]), {"value": "1"})
    client.post(reverse("discussions:lock", args=[group.slug, old.pk]), {"value": "1"})

    client.force_login(member)
    response = client.get(reverse("discussions:list", args=[group.slug]))
    threads = list(response.context["page"])
    assert [t.title for t in threads] == ["Oud onderwerp", "Nieuw onderwerp"]
    assert threads[0].post_count == 2 and threads[0].unread == 2
    page = response.content.decode()
    assert "badge-pinned" in page and "badge-locked" in page
    assert "2 new messages" in page


def test_pin_and_lock_follow_the_button_so_a_double_click_does_not_undo(
    client, people, make_thread
):
    group, owner, moderator, _member = people
    thread = make_thread(group, owner)
    client.force_login(moderator)
    url = reverse("discussions:lock", args=[group.slug, thread.pk])
    client.post(url, {"value": "1"})
    client.post(url, {"value": "1"})
    thread.refresh_from_db()
    assert thread.is_locked
    assert ModerationLogEntry.objects.filter(group=group, action="lock_thread").count() == 1
    client.post(url, {"value": "0"})
    thread.refresh_from_db()
    assert not thread.is_locked


def test_a_locked_thread_refuses_members_but_not_moderators(
    client, people, make_thread, django_app_client
):
    group, owner, moderator, member = people
    thread = make_thread(group, owner)
    client.force_login(moderator)
    client.post(reverse("discussions:lock", args=[group.slug, thread.pk]), {"value": "1"})
    url = reverse("discussions:reply", args=[group.slug, thread.pk])

    django_app_client.force_login(member)
    page = django_app_client.get(thread.get_absolute_url()).content.decode()
    assert 'id="reply-section" hidden' in page and 'id="locked-notice">' in page
    response = django_app_client.post(url, {"body": "Mag ik nog iets zeggen?"})
    assert response.status_code == 400
    assert "This discussion is closed" in response.content.decode()
    assert "Mag ik nog iets zeggen?" in response.content.decode()  # the text is kept
    response = django_app_client.post(url, {"body": "Toch?"}, headers={"X-Requested-With": "fetch"})
    assert response.status_code == 400 and "closed" in response.json()["error"]

    response = client.post(url, {"body": "Gesloten omdat het besluit genomen is."})
    assert response.status_code == 302
    assert list(thread.posts.values_list("author", flat=True)) == [owner.pk, moderator.pk]


def test_moving_a_thread_redirects_old_addresses_and_permalinks(
    client, people, make_group, make_thread
):
    group, owner, moderator, member = people
    elsewhere = make_group(owner=owner, name="Mobiliteit")
    Membership.objects.create(group=elsewhere, user=moderator, role=Membership.Role.MODERATOR)
    thread = make_thread(group, member)
    post = thread.posts.get()
    old_url = thread.get_absolute_url()

    client.force_login(moderator)
    move_page = client.get(reverse("discussions:move", args=[group.slug, thread.pk]))
    assert list(move_page.context["form"].fields["group"].queryset) == [elsewhere]
    response = client.post(
        reverse("discussions:move", args=[group.slug, thread.pk]), {"group": elsewhere.pk}
    )
    thread.refresh_from_db()
    new_url = thread.get_absolute_url()
    assert thread.group == elsewhere and response["Location"] == new_url
    assert old_url != new_url
    assert ModerationLogEntry.objects.filter(group=group, action="move_thread_out").exists()

    client.force_login(member)
    response = client.get(old_url + "?pagina=1")
    assert response.status_code == 302 and response["Location"] == new_url + "?pagina=1"
    response = client.get(reverse("discussions:post", args=[post.pk]))
    assert response["Location"] == f"{new_url}?pagina=1#post-{post.pk}"
    # The member is not in the new group: they may read it (open group) but not post there.
    old_reply_url = reverse("discussions:reply", args=[group.slug, thread.pk])
    assert client.post(old_reply_url, {"body": "Nog eentje"}).status_code == 403
    # A reply form that was open during the move still lands for who may post there.
    client.force_login(moderator)
    assert client.post(old_reply_url, {"body": "Verplaatst, zie hier."}).status_code == 302
    assert thread.posts.count() == 2


def test_a_moderator_of_one_group_only_has_nowhere_to_move_to(client, people, make_thread):
    group, owner, moderator, _member = people
    thread = make_thread(group, owner)
    client.force_login(moderator)
    response = client.get(reverse("discussions:move", args=[group.slug, thread.pk]))
    assert response.status_code == 200
    assert not response.context["form"].fields["group"].queryset.exists()
    response = client.post(
        reverse("discussions:move", args=[group.slug, thread.pk]), {"group": group.pk}
    )
    assert response.status_code == 200 and response.context["form"].errors["group"]
    thread.refresh_from_db()
    assert thread.group == group


def test_flag_forms_with_a_bad_value_say_so_and_change_nothing(client, people, make_thread):
    group, owner, moderator, _member = people
    thread = make_thread(group, owner)
    client.force_login(moderator)
    response = client.post(reverse("discussions:pin", args=[group.slug, thread.pk]), {"value": "x"})
    assert response.status_code == 302
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]
    thread.refresh_from_db()
    assert not thread.is_pinned and thread.last_seq == 1


def test_the_group_page_lists_latest_threads_with_unread_counts(
    client, people, make_thread, make_post
):
    group, owner, _moderator, member = people
    thread = make_thread(group, owner, title="Parkeren")
    make_post(thread, owner)
    client.force_login(member)
    response = client.get(group.get_absolute_url())
    page = response.content.decode()
    assert [t.unread for t in response.context["threads"]] == [2]
    assert thread.get_absolute_url() in page
    assert reverse("discussions:create", args=[group.slug]) in page  # a member may start one
    assert reverse("discussions:list", args=[group.slug]) in page
    assert 'id="group-activity" role="status"' in page
    assert f'data-ws-path="/ws/groups/{group.pk}/"' in page


def test_non_members_see_threads_but_no_new_discussion_button(client, people, make_user):
    group, *_rest = people
    client.force_login(make_user())
    page = client.get(group.get_absolute_url()).content.decode()
    assert reverse("discussions:create", args=[group.slug]) not in page
    page = client.get(reverse("discussions:list", args=[group.slug])).content.decode()
    assert reverse("discussions:create", args=[group.slug]) not in page


def test_home_shows_my_groups_with_unread_counts(
    client, people, make_group, make_thread, make_post
):
    group, owner, _moderator, member = people
    quiet = make_group(owner=owner, name="Stille groep")
    Membership.objects.create(group=quiet, user=member)
    thread = make_thread(group, owner)
    make_post(thread, member)  # replying marks what came before as read
    make_post(thread, owner)
    make_post(thread, owner)
    client.force_login(member)
    response = client.get(reverse("home"))
    unread = {g.name: g.unread for g in response.context["my_groups"]}
    assert unread == {"Fietsen naar het werk": 2, "Stille groep": 0}
    assert "2 new messages" in response.content.decode()
