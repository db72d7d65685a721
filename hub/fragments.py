"""Cached HTML fragments with per-viewer markers, shared by posts and idea cards.

A partial renders the same for everyone; where the viewer matters it writes a
marker (``marker(kind, *args)``), and ``fill`` replaces each marker per
request. Markers start with a prefix derived from the secret key, so text a
user wrote can never pose as one. Cache keys include ``deploy_digest`` (the
partials, their tags and the catalogues) and the site-wide ``version``, which
changes when names change or staff edit content in the admin: changes that
write no event.
"""

import hashlib
import hmac
import re
import uuid
from collections.abc import Callable
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import transaction
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.html import format_html

VERSION_KEY = "kring:fragments:version"
TIMEOUT = 24 * 3600  # seconds; a key also changes whenever what it depends on does
# What the cached partials are made of: a deploy that changes one renders anew.
SOURCES = (
    "templates/discussions/_post.html",
    "templates/ideas/_idea_card.html",
    "discussions/templatetags/discussions.py",
    "ideas/templatetags/ideas.py",
    "hub/fragments.py",
    "hub/templatetags/fragments.py",
    "discussions/fragments.py",
    "ideas/fragments.py",
)


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
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for path in (*(base / s for s in SOURCES), *sorted(base.glob("locale/*/LC_MESSAGES/*.mo"))):
        digest.update(path.read_bytes() if path.exists() else b"-")
    return digest.hexdigest()[:12]


def context_key() -> str:
    """What every cached fragment depends on besides its own rows."""
    language = translation.get_language() or ""
    return f"{language}:{timezone.get_current_timezone_name()}:{deploy_digest()}"


def site_version_changed() -> None:
    """Names changed, or staff edited content outside the services: render again. After
    commit, so a fragment rendered in between is stored under the old version."""
    transaction.on_commit(lambda: django_cache.set(VERSION_KEY, uuid.uuid4().hex, None))


def cached(key: str, render: Callable[[], object]):
    """``render()``'s value, kept under ``key`` until the site-wide version changes. One
    cache round trip when warm (the version travels with the value)."""
    found = django_cache.get_many([VERSION_KEY, key])
    # No version yet (or the cache was emptied): nothing was bumped, so "0" is right.
    version = found.get(VERSION_KEY, "0")
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        return entry[1]
    value = render()
    django_cache.set(key, (version, value), TIMEOUT)
    return value
