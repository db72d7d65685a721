"""The search page (/zoeken/): who may use it, what it shows, bad input, and its cost."""

import pytest
from django.urls import reverse

from discussions import services as discussions
from ideas import services as ideas
from tests.helpers import queries_for

pytestmark = pytest.mark.django_db
URL = reverse("search:results")


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get(URL, {"q": "vergadering"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_page_only_reads(client, world):
    client.force_login(world.member)
    assert client.post(URL, {"q": "vergadering"}).status_code == 405


def test_an_empty_query_shows_just_the_labelled_form(english, world):
    client = english
    client.force_login(world.member)
    response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["results"] is None
    assert '<label for="id_q">Search for</label>' in page
    assert 'aria-describedby="id_q_helptext"' in page
    assert "search-results" not in page


@pytest.mark.parametrize("role", ["member", "outsider"])
def test_results_show_kind_title_group_excerpt_and_date(english, world, role):
    client = english
    client.force_login(getattr(world, role))
    response = client.get(URL, {"q": "vergaderingen"})
    page = response.content.decode()
    results = response.context["results"]
    expected = 12 if role == "member" else 8
    assert results.total == expected
    assert f"{expected} results for “vergaderingen”</h1>" in page
    assert 'href="' + world.open.thread.get_absolute_url() + '"' in page
    assert reverse("discussions:post", args=[world.open.post.pk]) in page
    assert world.open.idea.get_absolute_url() in page
    assert "in Groep open" in page
    assert "<time datetime=" in page
    assert "<mark>vergadering</mark>" in page
    assert ("Groep private" in page) == (role == "member")
    assert (world.private.idea.get_absolute_url() in page) == (role == "member")
    assert (world.private.thread.get_absolute_url() in page) == (role == "member")


def test_tabs_show_counts_and_narrow_to_one_kind(english, world):
    client = english
    client.force_login(world.outsider)
    response = client.get(URL, {"q": "vergadering", "soort": "ideeen"})
    page = response.content.decode()
    assert {hit.kind for hit in response.context["results"].page} == {"ideas"}
    assert 'aria-current="page">Ideas <span class="search-tab-count">(2)</span>' in page
    assert 'All <span class="search-tab-count">(8)</span>' in page
    assert "?q=vergadering&amp;soort=groepen" in page


def test_a_too_long_query_is_a_clear_error(english, world):
    client = english
    client.force_login(world.member)
    response = client.get(URL, {"q": "x" * 201})
    page = response.content.decode()
    assert response.status_code == 400
    assert "at most 200 characters (you typed 201)" in page
    assert 'aria-describedby="id_q_error id_q_helptext"' in page
    assert response.context["results"] is None


@pytest.mark.parametrize(
    "params",
    [
        {"soort": "<script>"},
        {"soort": ""},
        {"pagina": "abc"},
        {"pagina": "-1"},
        {"pagina": "99999999999999999999999"},
        {"soort": "ideeen", "pagina": "0"},
    ],
)
def test_junk_kind_or_page_is_never_an_error(client, world, params):
    client.force_login(world.member)
    response = client.get(URL, {"q": "vergadering", **params})
    assert response.status_code == 200
    assert response.context["results"].tab in {"alles", "ideeen"}


def test_results_come_twenty_a_page(client, world):
    for n in range(25):
        discussions.create_thread(
            author=world.owner, group=world.open.group, title=f"Fietsplan {n}", body="x"
        )
    client.force_login(world.outsider)
    first = client.get(URL, {"q": "fietsplan"}).context["results"].page
    assert len(first) == 20 and first.paginator.num_pages == 2
    second = client.get(URL, {"q": "fietsplan", "pagina": "2"})
    assert len(second.context["results"].page) == 5
    assert "pagina=1" in second.content.decode() and "q=fietsplan" in second.content.decode()


def test_html_in_content_is_shown_as_text_on_the_page(client, world):
    payload = '<script>alert("fietsplan")</script> fietsplan'
    thread = discussions.create_thread(
        author=world.owner, group=world.open.group, title=payload, body=payload
    )
    discussions.create_post(author=world.owner, thread=thread, body=payload)
    client.force_login(world.outsider)
    page = client.get(URL, {"q": "fietsplan"}).content.decode()
    assert '<script>alert("fietsplan")' not in page
    assert "&lt;script&gt;alert(" in page


def test_the_header_form_keeps_the_query(client, world):
    client.force_login(world.member)
    page = client.get(URL, {"q": "vergadering"}).content.decode()
    assert 'id="header-search-q" type="search" name="q" value="vergadering"' in page


def add_matches(world, count, start=0):
    board = world.open.idea.board
    for n in range(start, start + count):
        discussions.create_thread(
            author=world.owner, group=world.open.group, title=f"Parkeren {n}", body="Parkeren"
        )
        ideas.create_idea(author=world.owner, board=board, title=f"Parkeren {n}", body="x")


@pytest.mark.parametrize("tab", ["discussies", "berichten", "ideeen"])
def test_one_kind_costs_the_same_queries_however_much_matches(client, world, tab):
    client.force_login(world.member)
    add_matches(world, 1)
    few = queries_for(client, f"{URL}?q=parkeren&soort={tab}")
    add_matches(world, 20, start=1)
    many = queries_for(client, f"{URL}?q=parkeren&soort={tab}")
    assert few == many


def test_all_kinds_cost_a_fixed_bound(client, world):
    """Beyond the layout (the empty form): a count per kind, the page, one load per kind."""
    client.force_login(world.member)
    add_matches(world, 20)
    layout = queries_for(client, URL)
    assert queries_for(client, f"{URL}?q=parkeren") <= layout + 4 + 1 + 4
