"""Page benchmarks: `python -m bench.pages --database sqlite|postgresql`.

Server time and query count of pages for a signed-in member (or a leader, where
marked), through Django's in-process test client with DEBUG off, on a world
built for the run:
- the demo data;
- a thread with 1,000 posts (first and last page of 50);
- a board with 10,000 ideas and 200,000 votes (Top, Trending, Top page 2);
- bench/review.py: 99 more groups of 20 ideas with votes and decisions, for the
  leadership dashboard and the other issue 6 pages.

Each page is asked once to warm up (templates, caches), three times to count its
queries, then ``runs`` times for the timings (see measure_page).
SQLite runs on the embedded defaults (a throw-away file, the database cache);
PostgreSQL on a scratch database (``kring_bench_pages``, dropped and created)
with a redis-server of its own as cache, as in production. Your data is never
touched. One JSON object per line.
"""

import argparse
import contextlib
import gc
import json
import os
import statistics
import sys
import tempfile
import time

from bench import services

SCRATCH_DATABASE = "kring_bench_pages"


@contextlib.contextmanager
def configured(database: str):
    """Environment for ``database``, then Django set up for it."""
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    os.environ["KRING_DATA_DIR"] = tempfile.mkdtemp(prefix="kring-bench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "hub.settings"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["DJANGO_SECURE_TLS"] = "0"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_LOG_LEVEL"] = "ERROR"
    with contextlib.ExitStack() as stack:
        if database == "postgresql":
            _process, redis_url = stack.enter_context(services.redis_server())
            os.environ["DATABASE_URL"] = services.scratch_database(SCRATCH_DATABASE)
            os.environ["REDIS_URL"] = redis_url
            os.environ["DJANGO_CONN_MAX_AGE"] = "600"
        import django

        django.setup()
        yield


def measure_page(client, path: str, runs: int = 100) -> dict:
    """p50/p95 server time of ``path`` and its query count.

    Queries are counted in passes of their own, not timed: capturing them forces Django's
    debug cursor (per query a timer, psycopg's mogrify of the SQL, a log record), which
    is the bench's own work, not the server's. The count must be the same every pass.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm up templates and caches
    counts = set()
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        counts.add(len(queries))
    assert len(counts) == 1, (path, "query count varies", sorted(counts))
    # The garbage of building the world (and of earlier pages) is collected now, not
    # during whichever timed request happens to trigger a full collection.
    gc.collect()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
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
        "queries": counts.pop(),
    }


def analyze() -> None:
    """After a bulk load on PostgreSQL: what autovacuum would do in time, which the scratch
    server may have switched off. ANALYZE gives the planner statistics (without, the first
    plans can be poor); VACUUM sets the visibility map, so counts read the index alone
    instead of visiting every row (PostgreSQL 13+ vacuums after bulk inserts by itself)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def run() -> None:
    from django.core.management import call_command
    from django.test import Client

    from bench import review
    from groups.models import Group
    from hub.models import User

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    client = Client()
    client.force_login(User.objects.filter(is_staff=False).order_by("id").first())
    busiest = Group.objects.filter(status="active").order_by("-last_activity_at").first()
    group_url = busiest.get_absolute_url()
    for path in ("/", "/groepen/", group_url, f"{group_url}leden/"):
        print(json.dumps(measure_page(client, path)), flush=True)
    thread = _big_thread(busiest, posts=1000)
    analyze()
    for path in (
        thread.get_absolute_url() + "?pagina=1",
        thread.get_absolute_url() + "?pagina=20",
        f"{group_url}discussies/",
    ):
        print(json.dumps(measure_page(client, path)), flush=True)
    start = time.perf_counter()
    board = _big_board(busiest, ideas=10_000, votes=200_000)
    seconds = round(time.perf_counter() - start, 1)
    print(json.dumps({"benchmark": "build a board: 10,000 ideas, 200,000 votes", "s": seconds}))
    analyze()
    for query in ("?sortering=top", "?sortering=trending", "?sortering=top&pagina=2"):
        print(json.dumps(measure_page(client, _board_url(board) + query)), flush=True)
    review.run(measure_page, busiest)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pages")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args(argv)
    with configured(args.database):
        run()
    return 0


def _board_url(board) -> str:
    from django.urls import reverse

    return reverse("ideas:board", args=[board.group.slug, board.pk])


def _bench_users(count: int, prefix: str) -> list:
    from hub.models import User

    User.objects.bulk_create(
        User(
            username=f"{prefix}{n}",
            email=f"{prefix}{n}@bench.example",
            display_name=f"Bench {prefix} {n}",
            password="!",  # unusable: these accounts never sign in with a password
        )
        for n in range(count)
    )
    return list(User.objects.filter(username__startswith=prefix).order_by("pk"))


def _big_board(group, ideas: int, votes: int):
    """A board with ``ideas`` ideas and ``votes`` votes, bulk-created in a few seconds.

    Votes follow a long tail (a few popular ideas, many with a handful), at random
    times after their idea; vote_count and trending are computed here from those
    same times with ranking.from_votes, so they are exact (recount finds no drift).
    """
    import random
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from hub.markdown import render_markdown
    from ideas import ranking
    from ideas.models import Board, Idea, Tag, Vote

    rng = random.Random(2027)
    users = _bench_users(1000, "stemmer")
    user_ids = [u.pk for u in users]
    now = timezone.now()
    with transaction.atomic():
        board = Board.objects.create(group=group, title="Groot ideeënbord", brief="Bench")
        tags = Tag.objects.bulk_create(
            Tag(board=board, name=name) for name in ("Mobiliteit", "Digitaal", "Gebouw", "Werk")
        )
        # Long tail: weight 1/(rank+10), scaled to ``votes``, at most one vote per user.
        weights = [1 / (rank + 10) for rank in range(ideas)]
        scale = votes / sum(weights)
        counts = [min(len(user_ids), int(w * scale)) for w in weights]
        while sum(counts) < votes:
            i = rng.randrange(ideas)
            if counts[i] < len(user_ids):
                counts[i] += 1
        rng.shuffle(counts)
        body = "Een idee met **wat opmaak**.\n\n- een\n- twee"
        html = render_markdown(body)
        statuses = ["new"] * 8 + ["under_review", "accepted", "planned", "declined"]
        rows, vote_rows = [], []
        for n, count in enumerate(counts):
            created = now - timedelta(seconds=rng.uniform(0, 90 * 86400))
            times = [created + (now - created) * rng.random() for _ in range(count)]
            vote_rows.append(zip(rng.sample(user_ids, count), times, strict=True))
            rows.append(
                Idea(
                    board=board,
                    author_id=user_ids[n % len(user_ids)],
                    title=f"Idee {n}: fietsen, thuiswerken en vergaderen",
                    body=body,
                    body_html=html,
                    status=rng.choice(statuses),
                    created_at=created,
                    vote_count=count,
                    trending=ranking.from_votes(times),
                )
            )
        made = Idea.objects.bulk_create(rows, batch_size=2000)
        Idea.tags.through.objects.bulk_create(
            (Idea.tags.through(idea_id=idea.pk, tag_id=tags[n % len(tags)].pk))
            for n, idea in enumerate(made)
        )
        Vote.objects.bulk_create(
            (
                Vote(idea_id=idea.pk, user_id=user_id, created_at=voted_at)
                for idea, pairs in zip(made, vote_rows, strict=True)
                for user_id, voted_at in pairs
            ),
            batch_size=10_000,
        )
    return board


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
