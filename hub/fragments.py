"""Cached HTML fragments with per-viewer markers, shared by posts and idea cards.

A partial renders the same for everyone; where the viewer matters it writes a
marker (``marker(kind, *args)``), and ``fill`` replaces each marker per
request. Markers start with a prefix derived from the secret key, so text a
user wrote can never pose as one. Cache keys include ``deploy_digest`` (the
code, templates and catalogues) and entries carry the site-wide version, which
changes when names change or staff edit content in the admin: changes that
write no event.

Entries live in the "rendered" cache, apart from the default one: their churn
must never push rate-limit counters out. The version lives in the default
(shared) cache; when it is missing a new one is made, never an old one reused.
"""

import hashlib
import hmac
import re
import uuid
from collections.abc import Callable
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache as shared_cache
from django.core.cache import caches
from django.db import transaction
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.html import format_html

VERSION_KEY = "kring:fragments:version"
TIMEOUT = 24 * 3600  # seconds; a key also changes whenever what it depends on does
# What cached HTML is made of: a deploy that changes any of it renders anew.
SOURCES = ("discussions", "groups", "hub", "ideas", "templates", "locale")


@cache
def _prefix() -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), b"kring-fragment", hashlib.sha256)
    return "\ue000" + digest.hexdigest()[:16]


def marker(kind: str, *args) -> str:
    """A placeholder for one per-viewer bit of a cached fragment."""
    return f"{_prefix()}{kind}:{':'.join(str(a) for a in args)}\ue001"


@cache
def _pattern() -> re.Pattern:
    return re.compile(re.escape(_prefix()) + r"(\w+):([^\ue001]*)\ue001")


def fill(html: str, filler: Callable[[str, list[str]], str]) -> str:
    """``html`` with each marker replaced by ``filler(kind, args)``."""
    return _pattern().sub(lambda m: filler(m.group(1), m.group(2).split(":")), html)


def csrf_input(request) -> str:
    """The hidden CSRF field for this request's forms ("" without a request)."""
    if request is None:
        return ""
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )


@cache
def deploy_digest() -> str:
    """Of the project's code, templates and catalogues (once per process)."""
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for folder in SOURCES:
        for path in sorted((base / folder).rglob("*")):
            if path.suffix in {".py", ".html", ".mo"}:
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def context_key() -> str:
    """What every cached fragment depends on besides its own rows."""
    language = translation.get_language() or ""
    return f"{language}:{timezone.get_current_timezone_name()}:{deploy_digest()}"


def site_version_changed() -> None:
    """Names changed, or staff edited content outside the services: render again. After
    commit, so a fragment rendered in between is stored under the old version."""
    transaction.on_commit(lambda: shared_cache.set(VERSION_KEY, uuid.uuid4().hex, None))


def current_version() -> str | None:
    """The site-wide version; a new one if it was lost (evicted, flushed); None if the
    cache cannot be reached (then nothing is reused or kept)."""
    version = shared_cache.get(VERSION_KEY)
    if version is None:
        shared_cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = shared_cache.get(VERSION_KEY)
    return version


def cached(key: str, render: Callable[[], object]):
    """``render()``'s value, kept under ``key`` while the site-wide version stays."""
    version = current_version()
    if version is None:
        return render()
    rendered = caches["rendered"]
    entry = rendered.get(key)
    if entry is not None and entry[0] == version:
        return entry[1]
    value = render()
    rendered.set(key, (version, value), TIMEOUT)
    return value
