"""docs/deploy/backup.sh and the documented restore, on the test database (PostgreSQL only)."""

import os
import secrets
import subprocess
import time

import psycopg
import pytest
from django.db import connection

from discussions.models import Post, Thread
from hub.models import User
from tests.deploy.conftest import SAMPLES, database_url, required_binary

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("backups are pg_dump/pg_restore: run with DATABASE_URL=postgres://...")
    required_binary("pg_dump", "postgresql-client")
    required_binary("pg_restore", "postgresql-client")


@pytest.fixture
def scratch_database(postgres):
    """An empty database kring_restore_<random>, dropped afterwards."""
    name = f"kring_restore_{secrets.token_hex(4)}"
    admin = psycopg.connect(database_url().rsplit("/", 1)[0] + "/postgres", autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url().rsplit("/", 1)[0] + f"/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def counts(url: str) -> dict[str, int]:
    tables = [model._meta.db_table for model in (User, Thread, Post)]
    with psycopg.connect(url) as conn:
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def test_a_nightly_dump_restores_into_a_fresh_database(
    scratch_database, thread, member, colleague, tmp_path
):
    from discussions import services

    services.create_post(author=colleague, thread=thread, body="Wat staat er in de back-up?")
    folder = tmp_path / "backups"
    folder.mkdir()
    old = folder / "kring-20260101-021500.dump"  # a dump from a month ago: past retention
    old.write_bytes(b"old")
    month_ago = time.time() - 30 * 86400
    os.utime(old, (month_ago, month_ago))

    env = {**os.environ, "DATABASE_URL": database_url(), "KRING_BACKUP_DIR": str(folder)}
    made = subprocess.run(
        ["sh", str(SAMPLES / "backup.sh")], env=env, capture_output=True, text=True
    )
    assert made.returncode == 0, made.stderr
    (dump,) = folder.iterdir()  # the new one; the old one is gone, no .part left over
    assert dump.name.startswith("kring-") and dump.suffix == ".dump"
    assert made.stdout.strip() == str(dump)
    assert oct(dump.stat().st_mode & 0o777) == "0o600"

    # The restore drill of docs/deploy.md.
    restored = subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", scratch_database, str(dump)],
        capture_output=True,
        text=True,
    )
    assert restored.returncode == 0, restored.stderr
    live = counts(database_url())
    assert live[Post._meta.db_table] == 2  # the opening post and the reply
    assert counts(scratch_database) == live
