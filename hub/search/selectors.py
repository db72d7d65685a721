"""Search across groups, threads, posts and ideas: only what the user may see.

What may be seen is decided here, in SQL, by the same rules as the permissions (reading
follows the group: ``groups.selectors.viewable`` is ``can_view_group`` as a filter);
hidden ideas and deleted or hidden posts are never searched. The backend
(backends.py) then only narrows these querysets and decorates the page's results.

A page of results costs a fixed number of queries however much matches: one count per
kind (for the tabs), one for the page (a UNION over the kinds, ranked or newest first),
and one per kind on the page to load and highlight its rows.
"""

import contextlib
from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import CharField, F, QuerySet, Value
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from discussions.models import Post, Thread
from groups.models import Group
from groups.selectors import viewable
from hub.search.backends import KINDS, backend_for_database
from ideas.models import Idea

PAGE_SIZE = 20
# The ?soort= values (Dutch URLs) and the kinds they show; "alles" is every kind.
TABS = {
    "alles": (None, _("All")),
    "groepen": ("groups", _("Groups")),
    "discussies": ("threads", _("Discussions")),
    "berichten": ("posts", _("Messages")),
    "ideeen": ("ideas", _("Ideas")),
}
KIND_LABELS = {
    "groups": _("Group"),
    "threads": _("Discussion"),
    "posts": _("Message"),
    "ideas": _("Idea"),
}


def searchable(user) -> dict[str, QuerySet]:
    """Per kind, everything the user may read; none of it for the anonymous."""
    groups = viewable(user, Group.objects.all())
    return {
        "groups": groups,
        "threads": Thread.objects.filter(group__in=groups),
        "posts": Post.objects.filter(
            deleted_at__isnull=True, hidden_at__isnull=True, thread__group__in=groups
        ),
        "ideas": Idea.objects.filter(hidden_at__isnull=True, board__group__in=groups),
    }


# What loading a page of results needs, per kind (one query each).
_RELATED = {
    "groups": (),
    "threads": ("group",),
    "posts": ("thread__group",),
    "ideas": ("board__group",),
}


@dataclass
class Hit:
    kind: str
    pk: int
    kind_label: str
    url: str
    title_html: SafeString
    excerpt_html: SafeString
    group: Group
    date: datetime


@dataclass
class Results:
    text: str
    tab: str
    counts: dict[str, int] = field(default_factory=dict)
    page: Page | None = None

    @property
    def total(self) -> int:
        """How many results the chosen tab has."""
        return self.counts[self.tab]

    def tabs(self) -> list[tuple[str, str, int]]:
        return [(key, label, self.counts.get(key, 0)) for key, (_kind, label) in TABS.items()]


class _Rows:
    """The ranked UNION for the paginator: the total is known already, rows load by slice."""

    def __init__(self, union: QuerySet | None, total: int):
        self.union, self.total = union, total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, window):
        return [] if self.union is None else list(self.union[window])


def search(user, text: str, *, tab: str = "alles", page_number=None, backend=None) -> Results:
    """One page of what ``user`` may see that matches ``text``; ``tab`` narrows the kind.

    ``backend`` defaults to the database's own (PostgreSQL full text, else the fallback);
    tests pass one explicitly to exercise both on either database.
    """
    tab = tab if tab in TABS else "alles"
    with _planned_for_the_words():
        return _search(user, text, tab, page_number, backend)


@contextlib.contextmanager
def _planned_for_the_words():
    """Run the search unprepared, so PostgreSQL plans each query for its words.

    With prepared statements on (hub/settings.py), PostgreSQL gives a statement run five
    times a generic plan, made without the words: it cannot tell a common word from a rare
    one, and a search for a common word got half again slower. psycopg does not prepare
    while the connection's threshold is None (psycopg's documented switch); other queries
    stay prepared. Unlike ``SET LOCAL plan_cache_mode``, this costs no transaction and no
    query, and search's many query shapes don't crowd psycopg's 100 prepared statements.
    """
    if not (connection.vendor == "postgresql" and connection.features.uses_server_side_binding):
        yield
        return
    connection.ensure_connection()
    driver = connection.connection
    threshold, driver.prepare_threshold = driver.prepare_threshold, None
    try:
        yield
    finally:
        driver.prepare_threshold = threshold


def _search(user, text: str, tab: str, page_number, backend) -> Results:
    engine = (backend or backend_for_database())(text)
    matched = {
        key: engine.match(kind, queryset.order_by())
        for key, (kind, queryset) in _with_kinds(searchable(user)).items()
    }
    counts = {key: qs.count() for key, qs in matched.items()}
    counts_by_tab = {
        name: (counts[kind] if kind else sum(counts.values())) for name, (kind, _l) in TABS.items()
    }
    shown = [TABS[tab][0]] if TABS[tab][0] else list(KINDS)
    total = counts_by_tab[tab]
    union = _ranked_union([matched[key] for key in shown if counts[key]], engine)
    page = Paginator(_Rows(union, total), PAGE_SIZE).get_page(page_number)
    page.object_list = _hits(list(page.object_list), engine)
    return Results(text=text, tab=tab, counts=counts_by_tab, page=page)


def _with_kinds(querysets: dict[str, QuerySet]) -> dict:
    return {key: (KINDS[key], queryset) for key, queryset in querysets.items()}


def _ranked_union(querysets: list[QuerySet], engine) -> QuerySet | None:
    if not querysets:
        return None
    parts = [
        qs.annotate(
            result_kind=Value(_kind_of(qs), output_field=CharField()),
            sort_date=F(KINDS[_kind_of(qs)].date_field),
        ).values("id", "result_kind", "rank", "sort_date")
        for qs in querysets
    ]
    first, *rest = parts
    return (first.union(*rest, all=True) if rest else first).order_by(*engine.ordering)


def _kind_of(queryset: QuerySet) -> str:
    return {Group: "groups", Thread: "threads", Post: "posts", Idea: "ideas"}[queryset.model]


def _hits(rows: list[dict], engine) -> list[Hit]:
    """The page's rows loaded (one query per kind), highlighted, in ranked order."""
    ids: dict[str, list[int]] = {}
    for row in rows:
        ids.setdefault(row["result_kind"], []).append(row["id"])
    loaded = {}
    for key, pks in ids.items():
        kind = KINDS[key]
        model = {"groups": Group, "threads": Thread, "posts": Post, "ideas": Idea}[key]
        queryset = model.objects.filter(pk__in=pks).select_related(*_RELATED[key])
        for obj in engine.with_display(kind, queryset):
            loaded[key, obj.pk] = _hit(key, obj, engine)
    keys = [(row["result_kind"], row["id"]) for row in rows]
    return [loaded[key] for key in keys if key in loaded]


def _hit(key: str, obj, engine) -> Hit:
    kind = KINDS[key]
    if key == "groups":
        group, url = obj, obj.get_absolute_url()
    elif key == "threads":
        group, url = obj.group, obj.get_absolute_url()
    elif key == "posts":
        group, url = obj.thread.group, reverse("discussions:post", args=[obj.pk])
    else:
        group, url = obj.board.group, obj.get_absolute_url()
    return Hit(
        kind=key,
        pk=obj.pk,
        kind_label=KIND_LABELS[key],
        url=url,
        title_html=engine.title_html(kind, obj),
        excerpt_html=engine.excerpt_html(kind, obj),
        group=group,
        date=getattr(obj, kind.date_field),
    )
