"""`python manage.py recount_votes [--check] [--board ID]`: vote counts against the Vote rows.

Every idea's stored ``vote_count`` and ``trending`` are written in the same
transaction as the votes, so they should never drift; this finds out (and
repairs) if something wrote around the services, e.g. a manual SQL fix or a
restore of part of the data. One line per idea with a wrong count, then a summary.
``--check`` only reads and exits 1 on drift (for monitoring).
"""

from itertools import groupby

from django.core.management.base import BaseCommand, CommandError

from ideas import ranking, services
from ideas.models import Idea, Vote

# Scores are floats computed in two ways (incremental and from scratch).
TOLERANCE = 1e-6


def find_drift(ideas) -> tuple[int, list[tuple[int, int, int]], list[int]]:
    """Read only: (ideas checked, [(id, stored, real count)], [ids with a wrong score])."""
    stored = dict(ideas.values_list("pk", "vote_count"))
    scores = dict(ideas.values_list("pk", "trending"))
    votes = (
        Vote.objects.filter(idea__in=ideas)
        .order_by("idea_id")
        .values_list("idea_id", "created_at")
        .iterator(chunk_size=10_000)
    )
    real = {pk: (0, 0.0) for pk in stored}
    for idea_id, rows in groupby(votes, key=lambda row: row[0]):
        times = [voted_at for _idea, voted_at in rows]
        real[idea_id] = (len(times), ranking.from_votes(times))
    counts = [(pk, stored[pk], real[pk][0]) for pk in sorted(stored) if stored[pk] != real[pk][0]]
    wrong_scores = [pk for pk in sorted(stored) if abs(scores[pk] - real[pk][1]) > TOLERANCE]
    return len(stored), counts, wrong_scores


class Command(BaseCommand):
    help = "Recount every idea's votes and trending score from the Vote rows; report the drift."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only report; write nothing. Exits 1 if any count or score is wrong.",
        )
        parser.add_argument("--board", type=int, help="Only the ideas of this board (id).")

    def handle(self, *args, check=False, board=None, **options):
        ideas = Idea.objects.all()
        if board is not None:
            ideas = ideas.filter(board_id=board)
        if check:
            checked, counts, scores = find_drift(ideas)
        else:
            checked = ideas.count()
            counts, scores = services.recount_votes(ideas), None
        for idea_id, stored, real in counts:
            self.stdout.write(f"idea {idea_id}: stored {stored}, real {real}")
        summary = f"{checked} ideas checked, {len(counts)} with a wrong vote count"
        if not check:
            self.stdout.write(f"{summary}; counts and trending scores recomputed.")
            return
        self.stdout.write(f"{summary}, {len(scores)} with a wrong trending score.")
        if counts or scores:
            raise CommandError("votes have drifted; run without --check to repair", returncode=1)
