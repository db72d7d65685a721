"""Random forms to every main page that takes one: never a server error, never half a write.

Each example posts a dict of the real form's fields (some missing, some repeated, values
from a normal answer to NUL bytes, broken UTF-8, numbers and 100,000 characters) plus
random extra keys, as the person the page is for. The test client re-raises whatever a
view lets through, so "no 500" is checked twice. Afterwards the row counts of every table
have either not moved or moved exactly as one valid submission moves them, and no row is
left without its partner (a thread without its first post, an idea without its event…).

Each example runs in a savepoint that is rolled back, so every example meets the same world.
"""

from dataclasses import dataclass, field
from urllib.parse import quote_from_bytes

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hub.models import Delivery, Notification
from tests.fuzz.conftest import changes, counts, no_orphans
from tests.fuzz.strategies import (
    CONTENT_TYPES,
    multipart,
    raw_bodies,
    urlencoded,
    value,
)
from tests.fuzz.strategies import form as form_of

pytestmark = pytest.mark.django_db

ANY = object()  # a count that may change by any amount in this pattern
FETCH = {"X-Requested-With": "fetch"}

FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=20,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@dataclass
class Endpoint:
    role: str
    url: object  # world -> path
    fields: object  # world -> {name: strategy}
    patterns: list = field(default_factory=lambda: [{}])  # allowed changes, besides `free`
    free: set = field(default_factory=set)  # tables that may change by any amount
    method: str = "post"


def _pk(obj) -> str:
    return str(obj.pk)


NOTIFY = {"hub.Notification"}
ENDPOINTS = {
    "create group": Endpoint(
        "member",
        lambda w: reverse("groups:create"),
        lambda w: {
            "name": value("Nieuwe werkgroep", "Fietsen", w.group.name),
            "kind": value("improvement", "interest"),
            "visibility": value("open", "closed", "private"),
            "colour": value("blue", "green"),
            "description": value("Over **fietsen**"),
        },
        [{}, {"groups.Group": 1, "groups.Membership": 1, "groups.ModerationLogEntry": ANY}],
        NOTIFY,
    ),
    "group settings": Endpoint(
        "owner",
        lambda w: reverse("groups:settings", args=[w.group.slug]),
        lambda w: {
            "name": value("Andere naam", w.group.name),
            "visibility": value("open", "closed", "private"),
            "colour": value("blue", "green"),
            "description": value("Nieuw"),
        },
        [{}],
        {"groups.ModerationLogEntry", *NOTIFY},
    ),
    "invite": Endpoint(
        "owner",
        lambda w: reverse("groups:invite", args=[w.group.slug]),
        lambda w: {
            "who": value(
                w.users["nonmember"].username,
                w.users["nonmember"].email,
                "nieuw@provincie.example",
                w.users["member"].username,
            )
        },
        [{}, {"groups.Invitation": 1}],
        {"groups.ModerationLogEntry", *NOTIFY},
    ),
    "join request": Endpoint(
        "nonmember",
        lambda w: reverse("groups:request", args=[w.group.slug]),
        lambda w: {"message": value("Mag ik erbij?")},
        [{}, {"groups.JoinRequest": 1}],
        NOTIFY,
    ),
    "create thread": Endpoint(
        "member",
        lambda w: reverse("discussions:create", args=[w.group.slug]),
        lambda w: {"title": value("Koffie"), "body": value("Wie zet koffie?", "@Mo")},
        [{}, {"discussions.Thread": 1, "discussions.Post": 1, "discussions.ThreadEvent": 1}],
        {"discussions.Mention", "discussions.ReadMarker", *NOTIFY},
    ),
    "reply": Endpoint(
        "member",
        lambda w: reverse("discussions:reply", args=[w.group.slug, w.thread.pk]),
        lambda w: {
            "body": value("Eens!", "@Olga kijk"),
            "reply_to": value(_pk(w.post), _pk(w.thread.posts.first())),
        },
        [{}, {"discussions.Post": 1, "discussions.ThreadEvent": 1}],
        {"discussions.Mention", "discussions.ReadMarker", *NOTIFY},
    ),
    "edit post": Endpoint(
        "member",
        lambda w: reverse("discussions:edit", args=[w.post.pk]),
        lambda w: {"body": value("Toch anders", "Ja!")},
        [{}, {"discussions.PostRevision": 1, "discussions.ThreadEvent": 1}],
        {"discussions.Mention", *NOTIFY},
    ),
    "reaction": Endpoint(
        "member",
        lambda w: reverse("discussions:react", args=[w.post.pk]),
        lambda w: {"emoji": value("thumbs_up", "heart", "eyes")},
        [{}, {"discussions.Reaction": 1}, {"discussions.Reaction": -1}],
        {"discussions.ThreadEvent"},
    ),
    "create board": Endpoint(
        "moderator",
        lambda w: reverse("ideas:create_board", args=[w.group.slug]),
        lambda w: {
            "title": value("Nieuw bord"),
            "brief": value("Wat kan beter?"),
            "voting_opens_at": value("2027-01-01T10:00", "2020-01-01 10:00"),
            "voting_closes_at": value("2027-02-01T10:00"),
            "votes_per_member": value("1", "3", "0"),
            "tags": value("Fiets\nTrein", "a\n\nb\n a "),
        },
        [{}, {"ideas.Board": 1, "ideas.Tag": ANY, "groups.ModerationLogEntry": 1}],
        NOTIFY,
    ),
    "create idea": Endpoint(
        "member",
        lambda w: reverse("ideas:create_idea", args=[w.group.slug, w.board.pk]),
        lambda w: {
            "title": value("Meer bankjes"),
            "body": value("In de tuin"),
            "tags": value(_pk(w.tag), *(_pk(tag) for tag in w.board.tags.all())),
        },
        [
            {
                "ideas.Idea": 1,
                "ideas.BoardEvent": 1,
                "ideas.Follow": 1,
                "ideas.Idea_tags": ANY,
            },
            {},
        ],
        NOTIFY,
    ),
    "edit idea": Endpoint(
        "member",
        lambda w: reverse("ideas:edit_idea", args=[w.own.pk]),
        lambda w: {
            "title": value("Deelfietsen", "Deelauto's"),
            "body": value("Voor iedereen", "Voor sommigen"),
            "tags": value(_pk(w.tag)),
        },
        [{}, {"ideas.IdeaRevision": ANY, "ideas.BoardEvent": 1, "ideas.Idea_tags": ANY}],
        NOTIFY,
    ),
    "comment": Endpoint(
        "member",
        lambda w: reverse("ideas:comment", args=[w.idea.pk]),
        lambda w: {"body": value("Goed plan", "@Olga")},
        [{}, {"ideas.Comment": 1, "ideas.BoardEvent": ANY}],
        {"ideas.Follow", *NOTIFY},
    ),
    "vote": Endpoint(
        "member",
        lambda w: reverse("ideas:vote", args=[w.own.pk]),
        lambda w: {"idea": value(_pk(w.idea))},
        [{}, {"ideas.Vote": 1, "ideas.BoardEvent": 1}],
        {"ideas.Follow"},
    ),
    "change status": Endpoint(
        "moderator",
        lambda w: reverse("ideas:change_status", args=[w.idea.pk]),
        lambda w: {
            "status": value("accepted", "duplicate", "under_review", "new"),
            "response": value("We doen het."),
            "duplicate_of": value(_pk(w.other), _pk(w.idea), _pk(w.duplicate)),
        },
        [{}, {"ideas.StatusChange": 1, "ideas.BoardEvent": 1, "groups.ModerationLogEntry": 1}],
        {"ideas.Follow", *NOTIFY},
    ),
    "decide": Endpoint(
        "leader",
        lambda w: reverse("review:decide", args=[w.idea.pk]),
        lambda w: {
            "status": value("accepted", "duplicate", "planned"),
            "response": value("Besloten."),
            "duplicate_of": value(_pk(w.other)),
            "owner": value(_pk(w.users["member"]), _pk(w.users["leader"])),
            "next": value("/leiding/", "//elders.example/", "https://elders.example/"),
        },
        [
            {},
            {"ideas.StatusChange": ANY, "ideas.BoardEvent": ANY, "groups.ModerationLogEntry": ANY},
        ],
        {"ideas.Follow", *NOTIFY},
    ),
    "notification preferences": Endpoint(
        "member",
        lambda w: reverse("notifications:preferences"),
        lambda w: {kind: value(*Delivery.values) for kind in Notification.Kind.values},
        [{}],
        {"hub.NotificationPreference"},
    ),
    "mark read": Endpoint(
        "member",
        lambda w: reverse("notifications:mark_read"),
        lambda w: {
            "id": value(*(_pk(n) for n in Notification.objects.all()[:3]), "1"),
            "alleen": value("ongelezen"),
        },
    ),
    "feed link": Endpoint(
        "member",
        lambda w: reverse("review:feed_token"),
        lambda w: {"action": value("remove", "reset")},
    ),
    "search": Endpoint(
        "member",
        lambda w: reverse("search:results"),
        lambda w: {
            "q": value("fiets", "-fiets", '"fiets', "fiets -", "*"),
            "soort": value("alles", "groepen", "discussies", "berichten", "ideeen"),
            "pagina": value("1", "2", "last"),
        },
        method="get",
    ),
    "group directory": Endpoint(
        "member",
        lambda w: reverse("groups:directory"),
        lambda w: {
            "q": value("fiets"),
            "kind": value("interest"),
            "mine": value("on"),
            "sort": value("members", "name"),
            "page": value("1", "last"),
        },
        method="get",
    ),
    "leadership dashboard": Endpoint(
        "leader",
        lambda w: reverse("review:dashboard"),
        lambda w: {
            "periode": value("7", "30", "365"),
            "soort": value("interest", "improvement"),
            "groep": value(w.group.slug),
            "status": value("new", "accepted"),
            "tag": value("Fiets"),
            "wacht": value("on"),
            "sortering": value("stemmen", "trending"),
            "pagina": value("1", "last"),
        },
        method="get",
    ),
    "decision log": Endpoint(
        "member",
        lambda w: reverse("review:decisions"),
        lambda w: {
            "groep": value(w.group.slug),
            "status": value("accepted", "duplicate"),
            "periode": value("7", "90"),
            "antwoord": value("on"),
            "pagina": value("1", "last"),
        },
        method="get",
    ),
    "decision log csv": Endpoint(
        "member",
        lambda w: reverse("review:decisions_csv"),
        lambda w: {"groep": value(w.group.slug), "periode": value("30")},
        method="get",
    ),
}


def _matches(delta: dict, pattern: dict) -> bool:
    for label in delta.keys() | pattern.keys():
        expected = pattern.get(label, 0)
        if expected is not ANY and delta.get(label, 0) != expected:
            return False
    return True


def _send(client, endpoint, url, data, multipart_body, fetch):
    headers = FETCH if fetch else {}
    if endpoint.method == "get":
        query = urlencoded(data)
        return client.get(f"{url}?{query}" if query else url, headers=headers)
    if multipart_body:
        return client.post(url, multipart(data), headers=headers)
    return client.post(
        url, urlencoded(data), content_type="application/x-www-form-urlencoded", headers=headers
    )


def _check(response, endpoint, before):
    # 2xx, 3xx or 4xx: a clear answer, whatever it says.
    assert 200 <= response.status_code < 500, response.status_code
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)  # a streamed page fails while it streams
    delta = changes(before, counts())
    for label in endpoint.free:
        delta.pop(label, None)
    assert any(_matches(delta, pattern) for pattern in endpoint.patterns), delta
    no_orphans()


@pytest.mark.parametrize("name", ENDPOINTS)
def test_random_forms_get_an_answer_and_leave_whole_rows(acc_client, world, name):
    endpoint = ENDPOINTS[name]
    w = world("closed")
    acc_client.force_login(w.users[endpoint.role])
    url = endpoint.url(w)
    fields = endpoint.fields(w)

    @FUZZ
    @given(data=st.data())
    def fuzz(data):
        posted = data.draw(form_of(fields), label="form")
        multipart_body = data.draw(st.booleans(), label="multipart")
        fetch = data.draw(st.booleans(), label="fetch")
        with transaction.atomic():
            before = counts()
            response = _send(acc_client, endpoint, url, posted, multipart_body, fetch)
            _check(response, endpoint, before)
            transaction.set_rollback(True)

    fuzz()


RAW_TARGETS = ["create thread", "reply", "create idea", "comment", "decide", "mark read"]


@pytest.mark.parametrize("name", RAW_TARGETS)
def test_raw_bodies_of_any_content_type_get_an_answer(acc_client, world, name):
    """Bytes that are no form at all: broken UTF-8, a multipart body without its boundary,
    JSON where a form is expected, charsets that do not exist."""
    endpoint = ENDPOINTS[name]
    w = world("closed")
    acc_client.force_login(w.users[endpoint.role])
    url = endpoint.url(w)

    @FUZZ
    @given(body=raw_bodies, content_type=st.sampled_from(CONTENT_TYPES), fetch=st.booleans())
    def fuzz(body, content_type, fetch):
        with transaction.atomic():
            before = counts()
            # generic(): the bytes as they are (post() would re-encode them to the charset).
            response = acc_client.generic(
                "POST", url, body, content_type=content_type, headers=FETCH if fetch else {}
            )
            _check(response, endpoint, before)
            transaction.set_rollback(True)

    fuzz()


def test_random_feed_tokens_are_404(acc_client, world):
    """The feed link's secret is in the path: whatever stands there, no row is read for junk."""
    w = world("closed")
    feed_token_owner = w.users["member"]
    from hub.review import services

    services.reset_feed_token(feed_token_owner)
    feed_token_owner.refresh_from_db()

    @FUZZ
    @given(token=value(feed_token_owner.feed_token, "abc", "a" * 64, "a" * 65))
    def fuzz(token):
        raw = token.encode("utf-8", "surrogatepass")
        path = "/besluiten/feed/" + quote_from_bytes(raw, safe="") + "/"
        before = counts()
        response = acc_client.get(path)
        assert response.status_code in (200, 404), response.status_code
        if response.status_code == 200:
            assert token == feed_token_owner.feed_token
        assert counts() == before

    fuzz()


def test_random_delete_confirmations_delete_only_on_the_exact_address(acc_client, make_user):
    """Typing the address is the confirmation: anything else deletes nothing."""

    @FUZZ
    @given(data=st.data())
    def fuzz(data):
        with transaction.atomic():
            user = make_user()
            acc_client.force_login(user)
            email = user.email
            typed = data.draw(
                form_of({"email": value(email, email.upper(), f" {email} ", email + "\x00")}),
                label="form",
            )
            before = counts()
            response = _send(
                acc_client,
                Endpoint("", None, None),
                "/profiel/account-verwijderen/",
                typed,
                data.draw(st.booleans()),
                False,
            )
            assert response.status_code in (302, 400), response.status_code
            user.refresh_from_db()
            if response.status_code == 400:
                assert counts() == before
                assert user.is_active
            else:
                assert not user.is_active
            no_orphans()
            transaction.set_rollback(True)

    fuzz()


# --- Bugs fuzzing found, kept as examples ----------------------------------------------------


@pytest.mark.parametrize("page", ["create idea", "edit idea"])
def test_tag_ids_beyond_a_bigint_are_form_errors(acc_client, world, page):
    """Was a server error: a tag id over 2**63 - 1 went to ``pk__in`` (SQLite: OverflowError)."""
    endpoint = ENDPOINTS[page]
    w = world("closed")
    acc_client.force_login(w.users[endpoint.role])
    url = endpoint.url(w)

    @settings(FUZZ, max_examples=5)
    @given(
        tag=st.one_of(
            st.integers(min_value=2**63, max_value=10**40),
            st.integers(min_value=-(10**40), max_value=-(2**63) - 1),
        ).map(str)
    )
    @example(tag=str(2**63))
    def fuzz(tag):
        before = counts()
        response = acc_client.post(url, {"title": "Bankjes", "body": "In de tuin", "tags": [tag]})
        assert response.status_code == 200 and response.context["form"].errors["tags"]
        assert counts() == before

    fuzz()
