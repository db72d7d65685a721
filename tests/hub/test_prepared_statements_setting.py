"""Prepared statements on PostgreSQL: on by default, DJANGO_DB_PREPARED=0 turns them off,
and SQLite is left alone. Each case runs in a fresh interpreter (see test_settings.py)."""

import json
import sys

import pytest

from tests.hub.test_settings import run

PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps(settings.DATABASES["default"].get("OPTIONS", {})))
"""
POSTGRES = "postgres://kring@db.internal:5432/kring"


def options(tmp_path, **env) -> dict:
    env.setdefault("DJANGO_DB_PREPARED", "")  # not the caller's own setting
    result = run([sys.executable, "-c", PROBE], tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_postgresql_prepares_statements_by_default(tmp_path):
    config = options(tmp_path, DATABASE_URL=POSTGRES)
    assert config["server_side_binding"] is True
    assert config["prepare_threshold"] == 5


def test_prepared_statements_can_be_switched_off(tmp_path):
    config = options(tmp_path, DATABASE_URL=POSTGRES, DJANGO_DB_PREPARED="0")
    assert "server_side_binding" not in config
    assert "prepare_threshold" not in config


def test_prepared_statements_go_with_the_connection_pool(tmp_path):
    config = options(tmp_path, DATABASE_URL=POSTGRES, DJANGO_DB_POOL="1")
    assert config["pool"]["min_size"] == 1
    assert config["server_side_binding"] is True


@pytest.mark.parametrize("switch", ["", "1"])
def test_sqlite_is_left_as_it_was(tmp_path, switch):
    config = options(tmp_path, DJANGO_DB_PREPARED=switch)
    assert "server_side_binding" not in config
    assert config["transaction_mode"] == "IMMEDIATE"
