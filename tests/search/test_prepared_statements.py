"""Search with prepared statements (on by default on PostgreSQL, hub/settings.py).

A statement is prepared after its fifth run on a connection; these tests search more often
than that, with different words, and check the answers are still each search's own, and
still only what the user may see.
"""

import pytest
from django.db import connection
from django.urls import reverse

from hub.search import selectors
from tests.search.conftest import require_postgres

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
URL = reverse("search:results")
# More runs than psycopg's prepare threshold (5), and than PostgreSQL's five custom plans
# before it considers a generic one.
RUNS = 8


@pytest.fixture(autouse=True)
def _prepared_statements_on():
    require_postgres()
    if not connection.features.uses_server_side_binding:
        pytest.skip("prepared statements are off (DJANGO_DB_PREPARED=0)")


def prepared_sql() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_repeated_searches_each_find_their_own_words(client, world):
    client.force_login(world.member)
    for _ in range(RUNS):
        found = client.get(URL, {"q": "vergaderingen"}).context["results"]
        assert found.total == 12
        assert all("<mark>" in hit.title_html + hit.excerpt_html for hit in found.page)
    # Other words after the searches above: their own results, not the last ones.
    assert client.get(URL, {"q": "maandag"}).context["results"].total == 3
    assert client.get(URL, {"q": "fietsenstalling"}).context["results"].total == 0
    idea_hits = client.get(URL, {"q": "week", "soort": "ideeen"}).context["results"]
    assert {hit.pk for hit in idea_hits.page} == {
        world.open.idea.pk,
        world.closed.idea.pk,
        world.private.idea.pk,
    }


def test_repeated_searches_still_only_show_what_the_user_may_see(world):
    for _ in range(RUNS):
        for user, expected in ((world.member, 12), (world.outsider, 8)):
            assert selectors.search(user, "vergadering").total == expected
    hits = selectors.search(world.outsider, "vergadering", tab="ideeen").page.object_list
    assert world.private.idea.pk not in [hit.pk for hit in hits]


def test_search_is_planned_for_its_words_and_other_pages_stay_prepared(client, world):
    """Search queries are never prepared (a generic plan cannot tell a rare word from a
    common one); the rest of the page's queries are, and search leaves that as it was."""
    client.force_login(world.member)
    for _ in range(RUNS):
        client.get(URL, {"q": "vergadering"})
    statements = prepared_sql()
    assert statements, "the session and user queries are prepared"
    assert not [sql for sql in statements if "websearch_to_tsquery" in sql]
    client.get(reverse("groups:directory"))
    for _ in range(RUNS):
        client.get(reverse("groups:directory"))
    assert len(prepared_sql()) > len(statements)
