# ruff: noqa: F811  (pytest fixtures imported from the groups and ideas tests)
"""The idea tests' world (a closed group with a board, ideas, a thread and every role), and
what "nothing half-written" means: row counts per table, and rows that need each other."""

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Count, F, Max
from django.db.models.functions import Coalesce
from django.test import override_settings

from discussions.models import Post, Thread
from groups.models import Group, Membership
from ideas.models import Board, BoardEvent, Idea
from tests.groups.conftest import acc_client, add_member, make_group  # noqa: F401  (fixtures)
from tests.ideas.conftest import world  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def _no_rate_limit():
    """Fuzzing posts far more than a person could; the rate limit has tests of its own."""
    with override_settings(KRING_POSTS_PER_MINUTE=0):
        yield


def counts() -> dict[str, int]:
    """Rows per table, every table (many-to-many tables too), in one query."""
    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed]
    quote = connection.ops.quote_name
    columns = ", ".join(f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")  # noqa: S608  (table names from the models)
        row = cursor.fetchone()
    return {model._meta.label: number for model, number in zip(models, row, strict=True)}


def changes(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {label: after[label] - before[label] for label in after if after[label] != before[label]}


def orphans() -> dict[str, list]:
    """Rows that are half of something: each list should be empty."""
    found = {
        "threads without a first post": Thread.objects.filter(posts__isnull=True),
        "threads whose post count is wrong": Thread.objects.annotate(n=Count("posts")).exclude(
            post_count=F("n")
        ),
        "threads whose seq is not their last event's": Thread.objects.annotate(
            m=Coalesce(Max("events__seq"), 0)
        ).exclude(last_seq=F("m")),
        "boards whose seq is not their last event's": Board.objects.annotate(
            m=Coalesce(Max("events__seq"), 0)
        ).exclude(last_seq=F("m")),
        "ideas without a created event": Idea.objects.exclude(
            pk__in=BoardEvent.objects.filter(kind=BoardEvent.Kind.IDEA_CREATED).values("idea_id")
        ),
        "ideas whose vote count is wrong": Idea.objects.annotate(n=Count("votes")).exclude(
            vote_count=F("n")
        ),
        "groups without an owner": Group.objects.exclude(
            pk__in=Membership.objects.filter(role=Membership.Role.OWNER).values("group_id")
        ),
        "posts edited without a revision": Post.objects.filter(
            edited_at__isnull=False, revisions__isnull=True
        ),
    }
    return {name: list(rows.values_list("pk", flat=True)) for name, rows in found.items()}


def no_orphans() -> None:
    problems = {name: pks for name, pks in orphans().items() if pks}
    assert not problems, problems
