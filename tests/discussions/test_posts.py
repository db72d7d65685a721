"""Replying, quoting, editing, removing, hiding and reacting, through the real pages."""

import pytest
from django.contrib.messages import get_messages
from django.test import override_settings
from django.urls import reverse

from discussions.models import Mention, Post, Reaction
from groups.models import Membership, ModerationLogEntry
from hub.models import Notification

pytestmark = pytest.mark.django_db

FETCH = {"X-Requested-With": "fetch"}


@pytest.fixture
def people(make_user, make_group, add_member):
    """An open group with an owner, a moderator and two members (all reading in English)."""
    owner = make_user("olga@provincie.example", display_name="Olga Eigenaar", language="en")
    group = make_group(owner=owner, name="Fietsen naar het werk")
    moderator = add_member(
        group,
        make_user("mo@provincie.example", display_name="Mo Moderator", language="en"),
        Membership.Role.MODERATOR,
    ).user
    anna = add_member(
        group, make_user("anna@provincie.example", display_name="Anna de Vries", language="en")
    ).user
    bram = add_member(
        group, make_user("bram@provincie.example", display_name="Bram Bakker", language="en")
    ).user
    return group, owner, moderator, anna, bram


@pytest.fixture
def thread(people, make_thread):
    group, owner, *_rest = people
    return make_thread(group, owner, title="Thuiswerken", body="Wie werkt er vrijdag thuis?")


def reply_url(thread):
    return reverse("discussions:reply", args=[thread.group.slug, thread.pk])


# --- Replying ----------------------------------------------------------------------------


def test_a_reply_without_javascript_goes_back_to_the_post(client, people, thread):
    *_rest, anna, _bram = people
    client.force_login(anna)
    response = client.post(reply_url(thread), {"body": "Ik!"})
    post = Post.objects.get(author=anna)
    assert response.status_code == 302
    assert response["Location"] == f"{thread.get_absolute_url()}?pagina=1#post-{post.pk}"


def test_a_reply_with_fetch_gets_the_post_back_as_json(client, people, thread):
    *_rest, anna, _bram = people
    client.force_login(anna)
    response = client.post(reply_url(thread), {"body": "Ik *ook*"}, headers=FETCH)
    post = Post.objects.get(author=anna)
    assert response.status_code == 201
    body = response.json()
    assert body["post"] == post.pk and body["url"].endswith(f"#post-{post.pk}")
    assert f'id="post-{post.pk}"' in body["html"] and "<em>ook</em>" in body["html"]
    assert 'name="csrfmiddlewaretoken"' in body["html"]  # rendered for this request


def test_a_failed_fetch_reply_explains_and_writes_nothing(client, people, thread):
    *_rest, anna, _bram = people
    client.force_login(anna)
    response = client.post(reply_url(thread), {"body": "   "}, headers=FETCH)
    assert response.status_code == 400 and response.json()["error"]
    assert thread.posts.count() == 1


@override_settings(KRING_POSTS_PER_MINUTE=2)
def test_posting_too_fast_gets_a_message_and_keeps_the_text(client, people, thread):
    *_rest, anna, _bram = people
    client.force_login(anna)
    for n in range(2):
        assert client.post(reply_url(thread), {"body": f"Bericht {n}"}).status_code == 302
    response = client.post(reply_url(thread), {"body": "Nog een gedachte"}, headers=FETCH)
    assert response.status_code == 429
    assert "You are posting very quickly" in response.json()["error"]
    response = client.post(reply_url(thread), {"body": "Nog een gedachte"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "You are posting very quickly" in page and "Nog een gedachte</textarea>" in page
    assert thread.posts.count() == 3


def test_reply_to_a_post_of_another_thread_is_no_reply(client, people, thread, make_thread):
    group, owner, _moderator, anna, _bram = people
    elsewhere = make_thread(group, owner, title="Ander onderwerp").posts.get()
    own = thread.posts.get()
    client.force_login(anna)
    client.post(reply_url(thread), {"body": "Eén", "reply_to": elsewhere.pk})
    client.post(reply_url(thread), {"body": "Twee", "reply_to": own.pk})
    replies = dict(Post.objects.filter(author=anna).values_list("body", "reply_to"))
    assert replies == {"Eén": None, "Twee": own.pk}


# --- Quoting -----------------------------------------------------------------------------


def test_citeer_prefills_the_reply_with_a_quote_and_the_reply_to(client, people, thread):
    *_rest, anna, _bram = people
    quoted = thread.posts.get()
    client.force_login(anna)
    response = client.get(f"{thread.get_absolute_url()}?citeer={quoted.pk}")
    form = response.context["form"]
    assert form["body"].value() == "> Olga Eigenaar wrote:\n> Wie werkt er vrijdag thuis?\n\n"
    assert form["reply_to"].value() == quoted.pk
    assert 'id="antwoord"' in response.content.decode()

    as_json = client.get(f"{thread.get_absolute_url()}?citeer={quoted.pk}", headers=FETCH)
    assert as_json.json() == {"body": form["body"].value(), "reply_to": quoted.pk}


@pytest.mark.parametrize("citeer", ["abc", "-1", "0", "9" * 40, "\x00", "", "٣"])
def test_a_bad_citeer_just_leaves_the_reply_empty(client, people, thread, citeer):
    *_rest, anna, _bram = people
    client.force_login(anna)
    response = client.get(thread.get_absolute_url(), {"citeer": citeer})
    assert response.status_code == 200 and not response.context["form"]["body"].value()


def test_hidden_and_foreign_posts_cannot_be_quoted(client, people, thread, make_thread, make_post):
    group, owner, moderator, anna, _bram = people
    hidden = make_post(thread, owner, body="Geheim")
    client.force_login(moderator)
    client.post(reverse("discussions:hide", args=[hidden.pk]), {"reason": "Privé"})
    foreign = make_thread(group, owner, title="Ander").posts.get()
    client.force_login(anna)
    for post in (hidden, foreign):
        url = f"{thread.get_absolute_url()}?citeer={post.pk}"
        assert not client.get(url).context["form"]["body"].value()
        assert client.get(url, headers=FETCH).status_code == 404


# --- Editing and its history ----------------------------------------------------------


def test_editing_keeps_the_earlier_version_on_the_history_page(
    client, people, thread, make_post, make_user
):
    *_rest, anna, bram = people
    post = make_post(thread, anna, body="Eerste versie")
    client.force_login(anna)
    assert client.get(reverse("discussions:edit", args=[post.pk])).status_code == 200
    response = client.post(reverse("discussions:edit", args=[post.pk]), {"body": "Tweede versie"})
    assert response.status_code == 302 and response["Location"].endswith(f"#post-{post.pk}")
    post.refresh_from_db()
    assert post.body == "Tweede versie" and post.edited_at
    assert list(post.revisions.values_list("body", flat=True)) == ["Eerste versie"]

    client.force_login(bram)  # anyone who can read the thread reads the history
    page = client.get(reverse("discussions:history", args=[post.pk])).content.decode()
    assert "Eerste versie" in page and "Tweede versie" in page
    thread_page = client.get(thread.get_absolute_url()).content.decode()
    assert reverse("discussions:history", args=[post.pk]) in thread_page


def test_an_empty_edit_is_a_form_error(client, people, thread, make_post):
    *_rest, anna, _bram = people
    post = make_post(thread, anna, body="Blijft")
    client.force_login(anna)
    response = client.post(reverse("discussions:edit", args=[post.pk]), {"body": " \x00 "})
    assert response.status_code == 200 and response.context["form"].errors
    post.refresh_from_db()
    assert post.body == "Blijft" and not post.revisions.exists()


def test_a_hidden_post_s_history_is_for_moderators_only(client, people, thread, make_post):
    *_rest, moderator, anna, bram = people
    post = make_post(thread, anna, body="Eerste")
    client.force_login(anna)
    client.post(reverse("discussions:edit", args=[post.pk]), {"body": "Tweede"})
    client.force_login(moderator)
    client.post(reverse("discussions:hide", args=[post.pk]), {"reason": "Persoonlijk"})
    page = client.get(reverse("discussions:history", args=[post.pk])).content.decode()
    assert "Eerste" in page
    client.force_login(bram)
    page = client.get(reverse("discussions:history", args=[post.pk])).content.decode()
    assert "Eerste" not in page and "Tweede" not in page and "Persoonlijk" in page


def test_the_author_cannot_edit_a_hidden_post(client, people, thread, make_post):
    *_rest, moderator, anna, _bram = people
    post = make_post(thread, anna)
    client.force_login(moderator)
    client.post(reverse("discussions:hide", args=[post.pk]), {"reason": "Nee"})
    client.force_login(anna)
    assert client.get(reverse("discussions:edit", args=[post.pk])).status_code == 403


# --- Removing and hiding ---------------------------------------------------------------


def test_deleting_leaves_a_placeholder_in_the_thread(client, people, thread, make_post):
    *_rest, anna, bram = people
    post = make_post(thread, anna, body="Spijt van")
    client.force_login(anna)
    assert client.get(reverse("discussions:delete", args=[post.pk])).status_code == 200
    response = client.post(reverse("discussions:delete", args=[post.pk]))
    assert response.status_code == 302
    client.force_login(bram)
    page = client.get(thread.get_absolute_url() + "?pagina=1").content.decode()
    assert "Spijt van" not in page
    assert f'id="post-{post.pk}" class="post post--removed"' in page
    assert "This message was removed by its author." in page
    # Twice is no error: it is gone already.
    client.force_login(anna)
    assert client.post(reverse("discussions:delete", args=[post.pk])).status_code == 302


def test_staff_deleting_someone_else_s_post_is_logged(client, people, thread, make_post, staff):
    group, *_rest, anna, _bram = people
    post = make_post(thread, anna)
    client.force_login(staff)
    client.post(reverse("discussions:delete", args=[post.pk]))
    entry = ModerationLogEntry.objects.get(group=group, action="delete_post")
    assert entry.actor == staff and entry.target_user == anna


def test_hiding_shows_the_reason_and_writes_the_moderation_log(client, people, thread, make_post):
    group, _owner, moderator, anna, bram = people
    post = make_post(thread, anna, body="Iets ongepasts")
    client.force_login(moderator)
    response = client.post(reverse("discussions:hide", args=[post.pk]), {"reason": "Op de man"})
    assert response.status_code == 302
    entry = ModerationLogEntry.objects.get(group=group, action="hide_post")
    assert entry.actor == moderator and entry.target_user == anna and entry.reason == "Op de man"

    client.force_login(bram)
    page = client.get(thread.get_absolute_url() + "?pagina=1").content.decode()
    assert "Iets ongepasts" not in page
    assert "Hidden by a moderator. Reason: Op de man" in page

    client.force_login(moderator)
    assert client.post(reverse("discussions:unhide", args=[post.pk])).status_code == 302
    post.refresh_from_db()
    assert post.is_visible
    assert ModerationLogEntry.objects.filter(group=group, action="unhide_post").count() == 1


def test_hiding_needs_a_reason_and_cannot_happen_twice(client, people, thread, make_post):
    *_rest, moderator, anna, _bram = people
    post = make_post(thread, anna)
    client.force_login(moderator)
    response = client.post(reverse("discussions:hide", args=[post.pk]), {"reason": "  "})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    client.post(reverse("discussions:hide", args=[post.pk]), {"reason": "Eén keer"})
    response = client.post(reverse("discussions:hide", args=[post.pk]), {"reason": "Twee keer"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    post.refresh_from_db()
    assert post.hidden_reason == "Eén keer"
    response = client.post(reverse("discussions:unhide", args=[thread.posts.first().pk]))
    assert [m.level_tag for m in get_messages(response.wsgi_request)][-1] == "error"


# --- Reactions ---------------------------------------------------------------------------


def test_reacting_with_fetch_toggles_and_returns_the_post(client, people, thread):
    *_rest, anna, _bram = people
    post = thread.posts.get()
    client.force_login(anna)
    url = reverse("discussions:react", args=[post.pk])
    response = client.post(url, {"emoji": "heart"}, headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.json()["added"] is True
    assert 'value="heart" class="reaction" aria-pressed="true"' in response.json()["html"]
    response = client.post(url, {"emoji": "heart"}, headers=FETCH)
    assert response.json()["added"] is False and not Reaction.objects.exists()


def test_reacting_without_javascript_goes_back_to_the_post(client, people, thread):
    *_rest, anna, _bram = people
    post = thread.posts.get()
    client.force_login(anna)
    response = client.post(reverse("discussions:react", args=[post.pk]), {"emoji": "tada"})
    assert response["Location"].endswith(f"#post-{post.pk}")
    assert Reaction.objects.get().emoji == "tada"


@pytest.mark.parametrize("emoji", ["", "fire", "🔥", "x" * 5000, "heart\x00", "HEART"])
def test_unknown_reactions_are_refused_plainly(client, people, thread, emoji):
    *_rest, anna, _bram = people
    post = thread.posts.get()
    client.force_login(anna)
    url = reverse("discussions:react", args=[post.pk])
    assert client.post(url, {"emoji": emoji}, headers=FETCH).status_code == 400
    response = client.post(url, {"emoji": emoji})
    assert response.status_code == 302
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]
    assert not Reaction.objects.exists()


# --- Mentions ----------------------------------------------------------------------------


def test_a_mention_notifies_the_member_once(client, people, thread, make_user):
    group, *_rest, anna, bram = people
    outsider = make_user("olaf@provincie.example", display_name="Olaf Buiten")
    client.force_login(anna)
    client.post(reply_url(thread), {"body": "@bram en @olaf, kijken jullie mee?"})
    post = Post.objects.get(author=anna)
    client.post(
        reverse("discussions:edit", args=[post.pk]), {"body": "@bram en @olaf, graag vóór vrijdag"}
    )
    notification = Notification.objects.get(kind=Notification.Kind.MENTION)
    assert notification.recipient == bram and notification.actor == anna
    assert notification.url == reverse("discussions:post", args=[post.pk])
    assert not Notification.objects.filter(recipient=outsider).exists()
    assert Mention.objects.count() == 1
    assert notification.group == group


def test_mention_suggestions_are_members_matching_the_start(client, people, make_user):
    group, owner, moderator, anna, bram = people
    make_user("bert@provincie.example", display_name="Bert Buiten")  # not a member
    for n in range(12):
        Membership.objects.create(
            group=group, user=make_user(f"bea{n:02d}@provincie.example", display_name=f"Bea {n}")
        )
    client.force_login(anna)
    url = reverse("discussions:mention_suggestions", args=[group.slug])
    assert client.get(url, {"q": "bram"}).json() == [{"username": "bram", "name": "Bram Bakker"}]
    assert client.get(url, {"q": "akker"}).json() == []  # the start of a word, not the middle
    assert client.get(url, {"q": "@Bakk"}).json() == [
        {"username": "bram", "name": "Bram Bakker"}
    ]  # a word of the display name
    found = client.get(url, {"q": "b"}).json()
    assert len(found) == 8 and all(person["username"].startswith("b") for person in found)
    assert "bert" not in {person["username"] for person in found}
    assert client.get(url, {"q": "anna"}).json() == []  # not oneself
    assert client.get(url, {"q": ""}).json() == []


@pytest.mark.parametrize("query", ["\x00", "%", "_", "x" * 10_000, "'; DROP TABLE", "@"])
def test_mention_suggestions_take_any_query(client, people, query):
    group, *_rest, anna, _bram = people
    client.force_login(anna)
    response = client.get(
        reverse("discussions:mention_suggestions", args=[group.slug]), {"q": query}
    )
    assert response.status_code == 200 and response.json() == []


def test_muted_members_get_no_suggestions(client, people, make_user):
    from datetime import timedelta

    from django.utils import timezone

    group, *_rest, anna, _bram = people
    Membership.objects.filter(group=group, user=anna).update(
        muted_until=timezone.now() + timedelta(hours=1)
    )
    client.force_login(anna)
    url = reverse("discussions:mention_suggestions", args=[group.slug])
    assert client.get(url, {"q": "b"}).status_code == 403
