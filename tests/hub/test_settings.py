"""Settings come from the environment; each case runs in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "debug": settings.DEBUG,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "providers": sorted(settings.SOCIALACCOUNT_PROVIDERS),
    "email": settings.EMAIL_BACKEND,
}))
"""
KRING_VARIABLES = (
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_SECURE_TLS",
    "DJANGO_ALLOWED_HOSTS",
    "EMAIL_HOST",
)


def run(args, tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if k not in KRING_VARIABLES}
    clean.update(DJANGO_SETTINGS_MODULE="hub.settings", KRING_DATA_DIR=str(tmp_path), **env)
    return subprocess.run(
        args, cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120, check=False
    )


def probe(tmp_path, **env) -> dict:
    result = run([sys.executable, "-c", PROBE], tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_nothing_set_gives_the_embedded_defaults(tmp_path):
    config = probe(tmp_path)
    assert config["engine"] == "django.db.backends.sqlite3"
    assert config["layer"] == "channels.layers.InMemoryChannelLayer"
    assert config["cache"] == "django.core.cache.backends.db.DatabaseCache"
    assert config["debug"] is False
    assert config["providers"] == []
    assert config["email"] == "django.core.mail.backends.filebased.EmailBackend"
    # The generated secret key is kept, private, for the next start.
    key_file = tmp_path / "secret_key"
    assert len(key_file.read_text()) >= 50
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


def test_urls_switch_to_postgresql_and_redis(tmp_path):
    config = probe(
        tmp_path,
        DATABASE_URL="postgres://kring@db.internal:5432/kring",
        REDIS_URL="redis://cache.internal:6379/0",
    )
    assert config["engine"] == "django.db.backends.postgresql"
    assert config["layer"] == "hub.layers.PubSubChannelLayer"
    assert config["cache"] == "hub.cache.FailOpenRedisCache"


def test_the_list_based_channel_layer_can_still_be_chosen(tmp_path):
    config = probe(tmp_path, REDIS_URL="redis://cache.internal:6379/0", KRING_CHANNEL_LAYER="core")
    assert config["layer"] == "channels_redis.core.RedisChannelLayer"


def test_single_sign_on_is_switched_on_by_environment_alone(tmp_path):
    config = probe(
        tmp_path,
        KRING_ENTRA_CLIENT_ID="abc",
        KRING_ENTRA_SECRET="s3cret",
        KRING_ENTRA_TENANT="provincie.example",
        KRING_OIDC_SERVER_URL="https://login.provincie.example/realms/kring",
        KRING_OIDC_CLIENT_ID="kring",
    )
    assert config["providers"] == ["microsoft", "openid_connect"]


def test_production_mode_passes_the_deploy_check(tmp_path):
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS="kring.provincie.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    config = probe(tmp_path, DJANGO_DEBUG="0")
    assert config["ssl_redirect"] is True


def test_a_malformed_boolean_is_a_clear_error(tmp_path):
    result = run([sys.executable, "-c", PROBE], tmp_path, DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be a boolean" in result.stderr
