"""`make bench`: one JSON object per benchmark on stdout.

Page benchmark: server time and query count of the home page, the group
directory, a group page and its members page for a signed-in member, on the
demo data, through Django's in-process test client.
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
