"""How text is matched, ranked and highlighted: two backends with one interface.

``PostgresSearch`` (the database is PostgreSQL): full-text search with the "dutch"
configuration, ``websearch_to_tsquery`` syntax ("quoted phrases", -not, or), results
ranked with ``ts_rank`` and highlighted with ``ts_headline``. Each searched table keeps
its vector in a generated column with a GIN index (hub migration 0006), so ranking
reads it instead of computing it for every match.

``FallbackSearch`` (SQLite, the embedded default): every word of the query must occur
(AND), each cut to its Dutch stem first so "vergaderingen" finds "vergadering" here too;
newest first, highlighted in Python.

Both only ever receive querysets that already hold what the user may see (see
selectors.py); they narrow and decorate, never widen. Highlighted HTML is built from
escaped text: user text is never trusted as HTML.
"""

import re
import secrets
from dataclasses import dataclass

import snowballstemmer
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import F, FloatField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from discussions.models import Post

CONFIG = "dutch"
MAX_QUERY_LENGTH = 200
# More words than this in one query are ignored by the fallback (each one is a LIKE).
MAX_WORDS = 8
EXCERPT_CHARS = 240


@dataclass(frozen=True)
class Kind:
    """One kind of result: what is searched, and what a result shows."""

    key: str
    fields: tuple[str, ...]  # searched, most important first
    date_field: str
    title: str  # shown as the result's link text
    excerpt: str | None  # shown under it (None: see ``excerpt_expression``)


KINDS = {
    "groups": Kind("groups", ("name", "description"), "last_activity_at", "name", "description"),
    "threads": Kind("threads", ("title",), "last_activity_at", "title", None),
    "posts": Kind("posts", ("body",), "created_at", "thread__title", "body"),
    "ideas": Kind("ideas", ("title", "body"), "created_at", "title", "body"),
}


def excerpt_expression(kind: Kind):
    """A thread's excerpt is its opening message (the title is what was searched)."""
    if kind.excerpt is not None:
        return F(kind.excerpt)
    opening = Post.objects.filter(
        thread=OuterRef("pk"), deleted_at__isnull=True, hidden_at__isnull=True
    ).order_by("id")
    return Subquery(opening.values("body")[:1])


# --- Text clean-up and safe highlighting -------------------------------------------------

_SPACE = re.compile(r"\s+")
_MARKDOWN_LINE_START = re.compile(r"^\s*(?:[#>]+|[-+*]\s|\d+\.\s)\s*", re.MULTILINE)
_MARKDOWN_INLINE = re.compile(r"[*`]+|~~")


def plain(text: str | None) -> str:
    """Markdown source as a one-line excerpt: no heading, quote or emphasis marks."""
    text = _MARKDOWN_LINE_START.sub("", text or "")
    return _SPACE.sub(" ", _MARKDOWN_INLINE.sub("", text)).strip()


def marked(spans) -> SafeString:
    """HTML from (text, is_match) pieces: every piece escaped, matches wrapped in <mark>."""
    html = "".join(
        f"<mark>{escape(text)}</mark>" if is_match else str(escape(text))
        for text, is_match in spans
        if text
    )
    return mark_safe(html)  # noqa: S308  (built from escaped pieces only)


def from_sentinels(text: str | None, start: str, stop: str) -> SafeString:
    """ts_headline output (matches between the sentinels) as safe HTML.

    The sentinels are random per search, so no user text can forge one; pairing them
    here anyway means an unbalanced one can never leave a <mark> open.
    """
    spans, inside = [], False
    for part in re.split(f"({re.escape(start)}|{re.escape(stop)})", plain(text)):
        if part == start:
            inside = True
        elif part == stop:
            inside = False
        else:
            spans.append((part, inside))
    return marked(spans)


# --- Dutch stems for the fallback ----------------------------------------------------------

# "dutch_porter" is the Snowball algorithm PostgreSQL's "dutch" configuration uses
# (snowballstemmer 3 renamed it; its new "dutch" is a different algorithm).
_STEMMER = snowballstemmer.stemmer(
    "dutch_porter" if "dutch_porter" in snowballstemmer.algorithms() else "dutch"
)
_WORD = re.compile(r"\w+", re.UNICODE)


def stem(word: str) -> str:
    """The part of ``word`` a LIKE can look for: its stem where the stem is a prefix of it.

    Snowball also folds accents and undoubles vowels ("ideeën" → "ideeen", "loop" →
    "lop"); those stems are not substrings of the text, so only the common prefix is
    kept, and a too-short prefix falls back to the word itself.
    """
    word = word.lower()
    stemmed = _STEMMER.stemWord(word)
    common = 0
    for a, b in zip(word, stemmed, strict=False):
        if a != b:
            break
        common += 1
    return word[:common] if common >= 3 else word


def words(text: str) -> tuple[list[str], list[str]]:
    """The query's distinct words to find and words to leave out ("-word"), as the
    PostgreSQL web-search syntax reads them; single letters and "or" are left out."""
    wanted, unwanted = [], []
    for chunk in text.lower().split():
        bucket = unwanted if chunk.startswith("-") else wanted
        for word in _WORD.findall(chunk):
            if len(word) > 1 and word != "or" and word not in wanted + unwanted:
                bucket.append(word)
    return wanted[:MAX_WORDS], unwanted[:MAX_WORDS]


# --- Backends ----------------------------------------------------------------------------


class FallbackSearch:
    """Portable: every word's stem must occur in one of the kind's fields, and no "-word"'s
    stem may; newest first. Phrases in quotes count as their words."""

    ordering = ("-sort_date", "-id")

    def __init__(self, text: str):
        self.text = text
        wanted, unwanted = words(text)
        self.stems = sorted({stem(word) for word in wanted}, key=len, reverse=True)
        self.excluded = [stem(word) for word in unwanted]
        alternatives = "|".join(re.escape(s) for s in self.stems)
        self._pattern = re.compile(rf"(?<!\w)(?:{alternatives})\w*", re.IGNORECASE)

    @property
    def is_empty(self) -> bool:
        return not self.stems

    def match(self, kind: Kind, queryset: QuerySet) -> QuerySet:
        if self.is_empty:
            return queryset.none()
        for part in self.stems:
            either = Q()
            for field in kind.fields:
                either |= Q(**{f"{field}__icontains": part})
            queryset = queryset.filter(either)
        for part in self.excluded:
            for field in kind.fields:
                queryset = queryset.exclude(**{f"{field}__icontains": part})
        return queryset.annotate(rank=Value(0.0, output_field=FloatField()))

    def with_display(self, kind: Kind, queryset: QuerySet) -> QuerySet:
        if kind.excerpt is None:
            queryset = queryset.annotate(excerpt_source=excerpt_expression(kind))
        return queryset

    def title_html(self, kind: Kind, obj) -> SafeString:
        return marked(self._spans(plain(_value(obj, kind.title))))

    def excerpt_html(self, kind: Kind, obj) -> SafeString:
        text = plain(_excerpt_source(kind, obj))
        return marked(self._spans(self._window(text)))

    def _window(self, text: str) -> str:
        """About EXCERPT_CHARS characters around the first match, cut between words."""
        if len(text) <= EXCERPT_CHARS:
            return text
        found = self._pattern.search(text)
        start = max(0, (found.start() if found else 0) - EXCERPT_CHARS // 3)
        if start:
            start = text.find(" ", start) + 1 or start
        end = text.rfind(" ", start, start + EXCERPT_CHARS)
        end = end if end > start else start + EXCERPT_CHARS
        return ("… " if start else "") + text[start:end] + (" …" if end < len(text) else "")

    def _spans(self, text: str) -> list[tuple[str, bool]]:
        if self.is_empty:
            return [(text, False)]
        spans, at = [], 0
        for found in self._pattern.finditer(text):
            spans += [(text[at : found.start()], False), (found.group(), True)]
            at = found.end()
        spans.append((text[at:], False))
        return spans


class PostgresSearch:
    """PostgreSQL full text with the Dutch configuration: stemmed, ranked, highlighted."""

    ordering = ("-rank", "-sort_date", "-id")

    def __init__(self, text: str):
        self.text = text
        self.query = SearchQuery(text, search_type="websearch", config=CONFIG)
        # Random per search: user text cannot contain them, so they cannot be forged.
        token = secrets.token_hex(6)
        self.start, self.stop = f"kringmark{token}a", f"kringmark{token}z"

    @property
    def is_empty(self) -> bool:
        return not self.text.strip()

    def match(self, kind: Kind, queryset: QuerySet) -> QuerySet:
        if self.is_empty:
            return queryset.none()
        vector = stored_vector(queryset.model)
        return (
            queryset.alias(search_vector=vector)
            .filter(search_vector=self.query)
            .annotate(rank=SearchRank(vector, self.query))
        )

    def with_display(self, kind: Kind, queryset: QuerySet) -> QuerySet:
        headline = {"config": CONFIG, "start_sel": self.start, "stop_sel": self.stop}
        return queryset.annotate(
            title_headline=SearchHeadline(kind.title, self.query, highlight_all=True, **headline),
            excerpt_headline=SearchHeadline(
                excerpt_expression(kind),
                self.query,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
                **headline,
            ),
        )

    def title_html(self, kind: Kind, obj) -> SafeString:
        return from_sentinels(obj.title_headline, self.start, self.stop)

    def excerpt_html(self, kind: Kind, obj) -> SafeString:
        return from_sentinels(obj.excerpt_headline, self.start, self.stop)


def stored_vector(model) -> RawSQL:
    """The model's stored tsvector column (PostgreSQL only; hub migration 0006)."""
    column = f'"{model._meta.db_table}"."search_vector"'  # a table name, never user input
    return RawSQL(column, [], output_field=SearchVectorField())  # noqa: S611


def backend_for_database():
    return PostgresSearch if connection.vendor == "postgresql" else FallbackSearch


def _value(obj, path: str):
    for name in path.split("__"):
        obj = getattr(obj, name)
    return obj


def _excerpt_source(kind: Kind, obj) -> str:
    return obj.excerpt_source if kind.excerpt is None else _value(obj, kind.excerpt)
