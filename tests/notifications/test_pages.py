"""The notification centre's pages: who may use them, what they show, what they change."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from hub.models import Delivery, Notification, NotificationPreference
from hub.notifications import services
from tests.helpers import queries_for

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
LIST = reverse("notifications:list")
MARK_READ = reverse("notifications:mark_read")
PREFERENCES = reverse("notifications:preferences")
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch", "HTTP_ACCEPT": "application/json"}


def open_url(notification) -> str:
    return reverse("notifications:open", args=[notification.pk])


def page_text(response) -> str:
    return response.content.decode()


# --- Who may use them -------------------------------------------------------------------


@pytest.mark.parametrize("method,url", [("get", LIST), ("get", PREFERENCES), ("post", MARK_READ)])
def test_anonymous_visitors_are_sent_to_log_in(acc_client, method, url):
    response = getattr(acc_client, method)(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_anonymous_visitors_opening_a_notification_log_in_first(acc_client, people, tell):
    notification = tell(people.anna, actor=people.olga, url="/groepen/")
    response = acc_client.get(open_url(notification))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    notification.refresh_from_db()
    assert notification.read_at is None


def test_someone_elses_notification_is_not_found(acc_client, people, tell):
    notification = tell(people.anna, actor=people.olga, url="/groepen/")
    acc_client.force_login(people.bram)
    assert acc_client.get(open_url(notification)).status_code == 404
    assert acc_client.get(reverse("notifications:open", args=[999999])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_nobody_sees_someone_elses_notifications_in_their_list(acc_client, people, tell):
    tell(people.anna, actor=people.olga, excerpt="Alleen voor Anna")
    acc_client.force_login(people.bram)
    response = acc_client.get(LIST)
    assert response.status_code == 200
    assert "Alleen voor Anna" not in page_text(response)


def test_staff_see_only_their_own_too(acc_client, people, tell, staff):
    tell(people.anna, actor=people.olga, excerpt="Alleen voor Anna")
    acc_client.force_login(staff)
    assert "Alleen voor Anna" not in page_text(acc_client.get(LIST))
    assert acc_client.get(open_url(Notification.objects.get())).status_code == 404


@pytest.mark.parametrize("url", [MARK_READ])
def test_marking_read_takes_a_post_only(acc_client, people, url):
    acc_client.force_login(people.anna)
    assert acc_client.get(url).status_code == 405


@pytest.mark.parametrize("url", [LIST])
def test_the_list_takes_no_post(acc_client, people, url):
    acc_client.force_login(people.anna)
    assert acc_client.post(url).status_code == 405


# --- The list ---------------------------------------------------------------------------


def test_the_list_shows_newest_first_with_who_what_where_and_when(client, people, tell):
    first = tell(people.anna, actor=people.olga, group=people.group, excerpt="Eerste")
    second = tell(people.anna, actor=people.bram, kind=Kind.REPLY, excerpt="Tweede <b>vet</b>")
    services.mark_read(people.anna, [first.pk])
    client.force_login(people.anna)
    with translation.override("en"):
        page = page_text(client.get(LIST))
    assert page.index("Tweede") < page.index("Eerste")
    assert "Olga Eigenaar</span> mentioned you" in page
    assert "Bram Bakker</span> replied to you" in page
    assert "in Fietsen naar het werk" in page
    assert "Tweede &lt;b&gt;vet&lt;/b&gt;" in page  # escaped
    assert f'href="{open_url(first)}"' in page and f'href="{open_url(second)}"' in page
    assert page.count("<time datetime=") == 2
    # Unread is said in words, once: only the second is unread.
    assert page.count(">Unread<") == 1
    assert f'id="notification-{second.pk}" ' in page
    assert "Mark all as read" in page
    assert reverse("notifications:preferences") in page


def test_a_long_excerpt_is_shortened(client, people, tell):
    tell(people.anna, actor=people.olga, excerpt="woord " * 60)
    client.force_login(people.anna)
    response = client.get(LIST)
    excerpt = page_text(response).split('class="notification-excerpt">')[1].split("</p>")[0]
    assert len(excerpt) == 200 and excerpt.endswith("…")


def test_the_unread_filter_leaves_out_what_was_read(client, people, tell):
    read = tell(people.anna, actor=people.olga, excerpt="Al gelezen")
    tell(people.anna, actor=people.olga, excerpt="Nog niet gelezen")
    services.mark_read(people.anna, [read.pk])
    client.force_login(people.anna)
    with translation.override("en"):
        page = page_text(client.get(LIST, {"alleen": "ongelezen"}))
    assert "Nog niet gelezen" in page and "Al gelezen" not in page
    assert '?alleen=ongelezen" aria-current="page">Unread only<' in page
    everything = page_text(client.get(LIST, {"alleen": "iets-anders"}))
    assert "Nog niet gelezen" in everything and "Al gelezen" in everything


def test_an_empty_list_says_so(client, people):
    client.force_login(people.anna)
    with translation.override("en"):
        assert "You have no notifications yet." in page_text(client.get(LIST))
        page = page_text(client.get(LIST, {"alleen": "ongelezen"}))
    assert "You have no unread notifications." in page
    assert "data-mark-all hidden" in page  # nothing to mark


def test_the_list_is_paged_by_thirty(client, people):
    Notification.objects.bulk_create(
        Notification(recipient=people.anna, kind=Kind.MENTION, url="/", excerpt=f"Nummer {n}")
        for n in range(35)
    )
    client.force_login(people.anna)
    first = client.get(LIST)
    assert len(first.context["page"].object_list) == 30
    second = client.get(LIST, {"pagina": 2})
    assert len(second.context["page"].object_list) == 5
    assert client.get(LIST, {"pagina": "zeven"}).status_code == 200
    assert client.get(LIST, {"pagina": 999}).context["page"].number == 2
    filtered = page_text(client.get(LIST, {"alleen": "ongelezen"}))
    assert "?alleen=ongelezen&amp;pagina=2" in filtered


def test_the_list_asks_the_same_queries_for_1_or_40_notifications(client, people, tell):
    def add(count):
        for n in range(count):
            actor = [people.olga, people.bram, people.mo][n % 3]
            tell(people.anna, actor=actor, group=people.group, excerpt=f"Bericht {n}")

    add(1)
    client.force_login(people.anna)
    client.get(reverse("home"))  # warm-up
    few = queries_for(client, LIST)
    add(39)
    assert queries_for(client, LIST) == few
    assert queries_for(client, LIST + "?alleen=ongelezen") == few
    assert few <= 6


# --- Opening one ---------------------------------------------------------------------------


def test_opening_a_notification_marks_it_read_and_goes_where_it_points(client, people, tell):
    notification = tell(people.anna, actor=people.olga, url=people.group.get_absolute_url())
    client.force_login(people.anna)
    response = client.get(open_url(notification))
    assert response.status_code == 302
    assert response["Location"] == people.group.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize(
    "url",
    [
        "https://elders.example/",
        "//elders.example/pad",
        "/\\elders.example/",
        "javascript:alert(1)",
        "groepen/",
        "",
    ],
)
def test_opening_never_leaves_the_site(client, people, url):
    notification = Notification.objects.create(
        recipient=people.anna, kind=Kind.MENTION, url=url, excerpt=""
    )
    client.force_login(people.anna)
    response = client.get(open_url(notification))
    assert response.status_code == 302 and response["Location"] == LIST


# --- Marking read --------------------------------------------------------------------------


@pytest.fixture
def three(people, tell):
    """Three unread notifications for Anna, one for Bram."""
    mine = [tell(people.anna, actor=people.olga, excerpt=f"Voor Anna {n}") for n in range(3)]
    theirs = tell(people.bram, actor=people.olga, excerpt="Voor Bram")
    return mine, theirs


def unread(user) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).count()


def test_mark_all_as_read(client, people, three):
    client.force_login(people.anna)
    response = client.post(MARK_READ, follow=True)
    assert response.redirect_chain[-1][0] == LIST
    assert unread(people.anna) == 0 and unread(people.bram) == 1
    with translation.override("en"):
        assert "All notifications are marked as read." in page_text(
            client.post(MARK_READ, follow=True)
        )


def test_mark_some_as_read_ignores_others_ids_and_junk(client, people, three):
    mine, theirs = three
    client.force_login(people.anna)
    response = client.post(MARK_READ, {"id": [mine[0].pk, theirs.pk, "x", "-1", "1" * 40, "", "١"]})
    assert response.status_code == 302
    assert unread(people.anna) == 2 and unread(people.bram) == 1


def test_only_junk_ids_mark_nothing(client, people, three):
    client.force_login(people.anna)
    assert client.post(MARK_READ, {"id": "alles"}).status_code == 302
    assert unread(people.anna) == 3


def test_a_fetch_gets_the_new_count(client, people, three):
    mine, theirs = three
    client.force_login(people.anna)
    response = client.post(MARK_READ, {"id": mine[0].pk}, **FETCH)
    assert response.json() == {"marked": 1, "unread": 2}
    assert client.post(MARK_READ, **FETCH).json() == {"marked": 2, "unread": 0}


def test_marking_from_the_unread_filter_goes_back_to_it(client, people, three):
    client.force_login(people.anna)
    response = client.post(MARK_READ, {"alleen": "ongelezen"})
    assert response["Location"] == LIST + "?alleen=ongelezen"


# --- Preferences ----------------------------------------------------------------------------


def test_the_settings_offer_every_way_for_every_kind_with_the_current_choice(client, people):
    services.set_preferences(people.anna, {Kind.REPLY: Delivery.OFF})
    client.force_login(people.anna)
    with translation.override("en"):
        page = page_text(client.get(PREFERENCES))
    assert page.count("<fieldset") == len(Kind.values)
    assert page.count("<legend") == len(Kind.values)
    assert page.count('type="radio"') == len(Kind.values) * len(Delivery.values)
    assert 'name="reply" value="off" required id="id_reply_3" checked>' in page
    assert 'name="mention" value="email" required id="id_mention_1" checked>' in page
    form = client.get(PREFERENCES).context["form"]
    assert form["reply"].value() == Delivery.OFF
    assert form["mention"].value() == Delivery.EMAIL  # the default


def test_saving_the_settings(client, people):
    client.force_login(people.anna)
    choices = {kind: Delivery.APP for kind in Kind.values} | {Kind.MENTION: Delivery.DIGEST}
    response = client.post(PREFERENCES, choices)
    assert response.status_code == 302 and response["Location"] == PREFERENCES
    saved = dict(
        NotificationPreference.objects.filter(user=people.anna).values_list("kind", "delivery")
    )
    assert saved == choices


@pytest.mark.parametrize(
    "change", [{"mention": "fax"}, {"mention": ""}, {"reply": "off\x00"}], ids=str
)
def test_bad_settings_show_errors_and_save_nothing(client, people, change):
    client.force_login(people.anna)
    choices = {kind: Delivery.APP for kind in Kind.values} | change
    choices = {k: v for k, v in choices.items() if v != ""}
    response = client.post(PREFERENCES, choices)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'class="errors"' in page_text(response)
    assert not NotificationPreference.objects.exists()


def test_an_empty_post_shows_errors(client, people):
    client.force_login(people.anna)
    response = client.post(PREFERENCES, {})
    assert response.status_code == 200 and response.context["form"].errors


# --- Reading the notifications later --------------------------------------------------------


def test_read_at_is_set_once(client, people, tell):
    notification = tell(people.anna, actor=people.olga, url="/")
    client.force_login(people.anna)
    client.get(open_url(notification))
    notification.refresh_from_db()
    first = notification.read_at
    assert first is not None and first <= timezone.now()
    client.get(open_url(notification))
    notification.refresh_from_db()
    assert notification.read_at == first
