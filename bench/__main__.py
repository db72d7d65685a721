"""`make bench`: one JSON object per benchmark on stdout.

Page benchmark: server time and query count of the home page, the group
directory, a group page and its members page for a signed-in member, on the
demo data, and of a thread page with 1,000 posts (first and last page) and the
thread list, through Django's in-process test client.
Later issues add fan-out, board and vote benchmarks (see issue 7).
Always a throw-away SQLite database and in-memory layer: never your data.
(Issue 7 adds PostgreSQL/Redis runs against a scratch database.)
"""

import json
import os
import statistics
import sys
import tempfile
import time


def _setup() -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    os.environ["KRING_DATA_DIR"] = tempfile.mkdtemp(prefix="kring-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
    os.environ.setdefault("DJANGO_SECURE_TLS", "0")
    import django

    django.setup()


def measure_page(client, path: str, runs: int = 200) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm up templates and caches
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    timings.sort()
    return {
        "benchmark": f"page {path}",
        "database": connection.vendor,
        "runs": runs,
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(runs * 0.95) - 1], 2),
        "queries": len(queries),
    }


def main() -> int:
    _setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from hub.models import User

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    client = Client()
    client.force_login(User.objects.filter(is_staff=False).order_by("id").first())
    from groups.models import Group

    busiest = Group.objects.filter(status="active").order_by("-last_activity_at").first()
    paths = ["/", "/groepen/", busiest.get_absolute_url(), f"{busiest.get_absolute_url()}leden/"]
    for path in (*paths, "/toegankelijkheid/", "/healthz"):
        print(json.dumps(measure_page(client, path)))
    thread = _big_thread(busiest, posts=1000)
    for path in (
        thread.get_absolute_url() + "?pagina=1",
        thread.get_absolute_url() + "?pagina=20",
        f"{busiest.get_absolute_url()}discussies/",
    ):
        print(json.dumps(measure_page(client, path)))
    return 0


def _big_thread(group, posts: int):
    """A thread with ``posts`` posts by the group's members, with some reactions."""
    import itertools

    from discussions.models import Post, Reaction, Thread
    from discussions.services import recount_thread
    from hub.markdown import render_markdown

    authors = [m.user for m in group.memberships.select_related("user")[:20]]
    thread = Thread.objects.create(group=group, title="Grote discussie", author=authors[0])
    body = "Een bericht met **wat opmaak** en [een link](https://example.org).\n\n- een\n- twee"
    html = render_markdown(body)
    cycle = itertools.cycle(authors)
    Post.objects.bulk_create(
        Post(thread=thread, author=next(cycle), body=body, body_html=html) for _ in range(posts)
    )
    first = list(thread.posts.all()[:200])
    Reaction.objects.bulk_create(
        Reaction(post=post, user=authors[i % len(authors)], emoji="heart")
        for i, post in enumerate(first)
    )
    return recount_thread(thread)


if __name__ == "__main__":
    sys.exit(main())
