"""PostgreSQL full-text search with the Dutch configuration. These run whenever the
database is PostgreSQL (CI) and are skipped otherwise, except under
KRING_REQUIRE_SERVICES=1, where a skip is a failure (tests/conftest.py)."""

import pytest
from django.db import connection

from discussions import services as discussions
from discussions.models import Post, Thread
from groups.models import Group
from hub.search import selectors
from hub.search.backends import KINDS, PostgresSearch
from ideas import services as ideas
from ideas.models import Idea
from tests.search.conftest import require_postgres

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _postgres_only():
    require_postgres()


def search(user, text, tab="alles"):
    return selectors.search(user, text, tab=tab, backend=PostgresSearch)


def test_dutch_stemming_vergaderingen_finds_vergadering(world):
    thread = discussions.create_thread(
        author=world.owner, group=world.open.group, title="Verslag", body="x"
    )
    post = discussions.create_post(
        author=world.owner, thread=thread, body="Na de vergadering gaan we lunchen."
    )
    hits = search(world.outsider, "vergaderingen", tab="berichten").page.object_list
    assert post.pk in [hit.pk for hit in hits]
    # And the other way round: the singular finds the plural.
    other = discussions.create_post(
        author=world.owner, thread=thread, body="Alle vergaderingen zijn online."
    )
    hits = search(world.outsider, "vergadering", tab="berichten").page.object_list
    assert other.pk in [hit.pk for hit in hits]


def test_results_are_ranked_title_matches_first(world):
    board = world.open.idea.board
    in_body = ideas.create_idea(
        author=world.owner, board=board, title="Iets anders", body="Een fietsenstalling erbij."
    )
    in_title = ideas.create_idea(
        author=world.owner, board=board, title="Fietsenstalling", body="Overdekt graag."
    )
    hits = search(world.outsider, "fietsenstalling", tab="ideeen").page.object_list
    assert [hit.pk for hit in hits] == [in_title.pk, in_body.pk]


def test_websearch_syntax_phrases_and_exclusions(world):
    group = world.open.group
    a = discussions.create_thread(author=world.owner, group=group, title="Fiets en trein", body="x")
    b = discussions.create_thread(author=world.owner, group=group, title="Trein of bus", body="x")
    assert {h.pk for h in search(world.outsider, "trein -bus", "discussies").page} == {a.pk}
    assert {h.pk for h in search(world.outsider, '"fiets en trein"', "discussies").page} == {a.pk}
    assert {h.pk for h in search(world.outsider, "trein", "discussies").page} == {a.pk, b.pk}


def test_headlines_mark_the_matching_words_in_title_and_excerpt(world):
    thread = discussions.create_thread(
        author=world.owner,
        group=world.open.group,
        title="Vergaderingen op afstand",
        body="Zullen we de **vergaderingen** voortaan online houden?",
    )
    hit = next(
        h for h in search(world.outsider, "vergadering", "discussies").page if h.pk == thread.pk
    )
    assert hit.title_html == "<mark>Vergaderingen</mark> op afstand"
    # The excerpt is the opening message, its Markdown marks left out.
    assert hit.excerpt_html == "Zullen we de <mark>vergaderingen</mark> voortaan online houden"


def test_stop_words_alone_find_nothing_and_do_not_fail(world):
    results = search(world.member, "de het een")
    assert results.total == 0


@pytest.mark.parametrize(
    ("kind", "model", "index"),
    [
        ("groups", Group, "groups_group_search_vector"),
        ("threads", Thread, "discussions_thread_search_vector"),
        ("posts", Post, "discussions_post_search_vector"),
        ("ideas", Idea, "ideas_idea_search_vector"),
    ],
)
def test_the_search_can_use_its_gin_index(kind, model, index):
    """The query searches the stored vector the migration indexes: with sequential scans
    priced out (a test database is too small to need an index), the plan uses the index."""
    engine = PostgresSearch("vergaderingen")
    queryset = engine.match(KINDS[kind], model.objects.all()).values("id")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert index in plan, plan
