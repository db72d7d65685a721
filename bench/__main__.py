"""`make bench`: one JSON object per benchmark on stdout.

Page benchmark: server time and query count of the home page, the group
directory, a group page and its members page for a signed-in member, on the
demo data, and of a thread page with 1,000 posts (first and last page) and the
thread list, through Django's in-process test client.
Board benchmark: an idea board with 10,000 ideas and 200,000 votes, Top and
Trending (first page) and Top page 2. Vote throughput: threads voting at once
through the test client (POST, as boards.js does), votes per second. Then the
issue 6 pages over 100+ groups (bench/review.py).
Later issues add fan-out benchmarks (see issue 7).
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
    start = time.perf_counter()
    board = _big_board(busiest, ideas=10_000, votes=200_000)
    seconds = round(time.perf_counter() - start, 1)
    print(json.dumps({"benchmark": "build a board: 10,000 ideas, 200,000 votes", "s": seconds}))
    for query in ("?sortering=top", "?sortering=trending", "?sortering=top&pagina=2"):
        print(json.dumps(measure_page(client, _board_url(board) + query, runs=50)))
    for threads in (1, 8):
        print(json.dumps(measure_votes(busiest, threads=threads, ideas=100)))
    from bench import review

    review.run(measure_page, busiest)
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


def measure_votes(group, threads: int, ideas: int) -> dict:
    """``threads`` members vote at once, each on ``ideas`` ideas, through the vote view."""
    import threading

    from django.db import connection, connections
    from django.test import Client
    from django.urls import reverse

    from groups.models import Membership
    from ideas.models import Board, Idea, Vote

    owner = group.memberships.filter(role="owner").select_related("user").first().user
    board = Board.objects.create(group=group, title="Stemtest")
    made = Idea.objects.bulk_create(
        Idea(board=board, author=owner, title=f"Stem {n}", body="x", body_html="<p>x</p>")
        for n in range(ideas)
    )
    voters = _bench_users(threads, f"snelstemmer{threads}x")
    Membership.objects.bulk_create(Membership(group=group, user=user) for user in voters)
    clients = []
    for user in voters:
        client = Client()
        client.force_login(user)
        clients.append(client)
    urls = [reverse("ideas:vote", args=[idea.pk]) for idea in made]
    barrier = threading.Barrier(threads + 1)
    failures = []

    def vote(client):
        barrier.wait()
        try:
            for url in urls:
                response = client.post(url, headers={"X-Requested-With": "fetch"})
                if response.status_code != 200:
                    failures.append(response.status_code)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=vote, args=(c,)) for c in clients]
    for worker in workers:
        worker.start()
    barrier.wait()
    start = time.perf_counter()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - start
    cast = Vote.objects.filter(idea__board=board).count()
    exact = all(i.vote_count == threads for i in Idea.objects.filter(board=board))
    return {
        "benchmark": "votes through POST, threads at once",
        "database": connection.vendor,
        "threads": threads,
        "votes": cast,
        "failed_requests": len(failures),
        "counts_exact": exact and cast == threads * ideas,
        "votes_per_second": round(cast / seconds, 1),
        "seconds": round(seconds, 2),
    }


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
