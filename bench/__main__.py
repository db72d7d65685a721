"""`make bench`: every benchmark, one JSON object per line on stdout.

1. Pages (bench/pages.py) on SQLite (the embedded defaults) and on PostgreSQL with
   Redis as cache: server time and queries per page.
2. Votes (bench/votes.py): concurrent vote/unvote through HTTP against daphne on
   PostgreSQL and Redis; votes per second and count drift.
3. Fan-out (bench/fanout.py): N WebSocket clients on one thread of a real daphne
   with channels-redis and PostgreSQL, one post per 0.5 s over HTTP, against a bare
   ``websockets`` broadcast server (the floor).

Each runs in a process of its own (Django is set up once per database), on scratch
databases and redis-servers of its own: never your data, never the shared services.
``python -m bench pages votes`` runs only those.
"""

import json
import subprocess
import sys

from bench.services import host_speed_ms

RUNS = {
    "pages": [
        ["-m", "bench.pages", "--database", "sqlite"],
        ["-m", "bench.pages", "--database", "postgresql"],
    ],
    "votes": [["-m", "bench.votes"]],
    "fanout": [["-m", "bench.fanout"]],
}


def main(argv: list[str]) -> int:
    chosen = argv or list(RUNS)
    unknown = [name for name in chosen if name not in RUNS]
    if unknown:
        print(f"unknown benchmark {unknown[0]!r}; choose from {', '.join(RUNS)}", file=sys.stderr)
        return 2
    marker = {"benchmark": "host speed marker", "ms": host_speed_ms()}
    print(json.dumps(marker), flush=True)
    failed = 0
    for name in chosen:
        for args in RUNS[name]:
            failed |= subprocess.run([sys.executable, *args]).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
