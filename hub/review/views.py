"""Leadership review and open decisions: parse, check, one selector or service, render.

The dashboard and the decision form are for leadership (403 for others, the login page
for anonymous visitors); the decision log, its exports, the charts and the open data are
for every signed-in person and show only what they may see (see selectors.py).
"""

import csv
from datetime import timedelta
from functools import partial, wraps
from itertools import islice

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.handlers.asgi import ASGIRequest
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from hub import charts as svg
from hub import fragments
from hub.http import require
from hub.permissions import is_leadership
from hub.review import feeds, forms, selectors, services
from ideas import permissions as idea_permissions
from ideas import selectors as idea_selectors
from ideas.models import Idea
from ideas.services import IdeaActionError

PAGE = "pagina"
PAGE_SIZE = 25


def leadership_required(view):
    """Signed in (else the login page) and leadership (else 403)."""

    @login_required
    @wraps(view)
    def check(request, *args, **kwargs):
        require(is_leadership(request.user))
        return view(request, *args, **kwargs)

    return check


def _query_string(request, *drop) -> str:
    params = request.GET.copy()
    for name in (PAGE, *drop):
        params.pop(name, None)
    return params.urlencode()


def _duration(delta: timedelta) -> str:
    days = delta.days
    if days < 1:
        return _("less than a day")
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


# --- Leadership dashboard --------------------------------------------------------------


def _row(idea, trend, now) -> dict:
    waited, answered = selectors.waited(idea, now)
    title = _("Votes in the last %(days)d days: from %(first)d to %(last)d") % {
        "days": len(trend),
        "first": trend[0],
        "last": trend[-1],
    }
    return {
        "idea": idea,
        # Drawn only when the table is rendered, not when its cached HTML is current.
        "sparkline": partial(svg.sparkline, trend, title=title, ident=f"trend-{idea.pk}"),
        "trend": trend,
        "waited": _duration(waited),
        "answered": answered,
    }


def _shown(row) -> tuple:
    """Everything of a row that the page shows (``review/_dashboard.html``)."""
    idea = row["idea"]
    owner = idea.owner.name if idea.owner else None
    facts = (idea.title, idea.board.group.name, idea.vote_count, idea.comment_count)
    return (
        (idea.pk, *facts, idea.status, owner, idea.awaiting),
        (row["waited"], row["answered"], tuple(row["trend"])),
    )


def _dashboard_context(request, form, filters, shown, rows) -> dict:
    kept = _query_string(request, "sortering")
    sort_links = [
        (key, label, "?" + "&".join(filter(None, [kept, urlencode({"sortering": key})])))
        for key, label in forms.SORT_CHOICES
    ]
    return {
        "form": form,
        "filters": filters,
        "page": shown.page,
        "rows": rows,
        "page_param": PAGE,
        "query_string": _query_string(request),
        "sort_links": sort_links,
        "awaiting_total": shown.awaiting_total,
        "threshold": settings.KRING_RESPONSE_VOTE_THRESHOLD,
        "response_days": settings.KRING_RESPONSE_DAYS,
        "here": request.get_full_path(),
    }


@leadership_required
@require_safe
def dashboard(request):
    user, now = request.user, timezone.now()
    groups = selectors.review_group_options(user)
    cached = selectors.ReviewCache(
        f"dashboard:{fragments.deploy_digest()}", groups, request.GET, now
    )
    tags = cached.remember("tags", lambda: selectors.tag_names(user))
    form = forms.ReviewFilterForm(request.GET, groups=groups, tags=tags)
    filters = form.filters()
    shown = selectors.dashboard_page(
        user,
        filters,
        request.GET.get(PAGE),
        groups=groups,
        cached=cached,
        per_page=PAGE_SIZE,
        now=now,
    )
    rows = [_row(idea, shown.trends[idea.pk], now) for idea in shown.page]
    # The cache key covers the query string, the groups and the settings; the rows and the
    # language are checked here: the kept HTML is used only if they are what it showed.
    content = cached.made_from(
        "html",
        (get_language(), [_shown(row) for row in rows]),
        lambda: render_to_string(
            "review/_dashboard.html", _dashboard_context(request, form, filters, shown, rows)
        ),
    )
    cached.save()
    return render(request, "review/dashboard.html", {"content": content})


def _next_url(request) -> str:
    """Back to the dashboard as it was filtered, if ``next`` is a page of this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("review:dashboard")


@leadership_required
@require_http_methods(["GET", "HEAD", "POST"])
def decide(request, idea_id):
    # Hidden ideas are the moderators' business: they are not on the dashboard either.
    idea = get_object_or_404(
        Idea.objects.select_related("board__group", "author", "owner", "duplicate_of"),
        pk=idea_id,
        hidden_at__isnull=True,
    )
    if not idea_permissions.can_view_idea(request.user, idea):
        raise Http404
    form = forms.DecideForm(
        request.POST if request.method == "POST" else None,
        idea=idea,
        candidates=idea_selectors.ideas_to_duplicate(idea),
        offered=idea_selectors.duplicate_suggestions(idea),
        owners=selectors.owner_candidates(idea),
        offered_owners=selectors.offered_owners(idea),
        initial={"status": idea.status, "duplicate_of": idea.duplicate_of, "owner": idea.owner},
    )
    back = _next_url(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.decide(actor=request.user, idea=idea, **data)
        except IdeaActionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Saved. The decision is on the idea page; followers are told.")
            )
            return redirect(back)
    context = {
        "idea": idea,
        "group": idea.board.group,
        "form": form,
        "history": list(idea_selectors.idea_history(idea)),
        "next": back,
    }
    return render(request, "review/decide.html", context)


# --- Decision log ----------------------------------------------------------------------


def _decision_filters(request):
    groups = (
        selectors.decision_groups(request.user)
        .order_by("name", "pk")
        .values_list("slug", "name", named=True)
    )
    form = forms.DecisionFilterForm(request.GET, groups=groups)
    return form, form.filters()


def _decision_shown(change) -> tuple:
    """Everything of a decision that the log shows (``review/_decision_list.html``)."""
    idea, duplicate = change.idea, change.duplicate_of
    return (
        (change.pk, change.from_status, change.to_status, change.created_at),
        (idea.pk, idea.title, idea.board.group.name, idea.owner.name if idea.owner else None),
        (change.actor.name if change.actor else None, change.response_html),
        (duplicate.pk, duplicate.title) if duplicate else None,
    )


@login_required
@require_safe
def decisions(request):
    user, now = request.user, timezone.now()
    groups = selectors.decision_group_options(user)
    form = forms.DecisionFilterForm(request.GET, groups=groups)
    cached = selectors.ReviewCache(
        f"decisions:{fragments.deploy_digest()}", groups, request.GET, now
    )
    page = selectors.decision_page(
        user,
        form.filters(),
        request.GET.get(PAGE),
        groups=groups,
        cached=cached,
        per_page=PAGE_SIZE,
        now=now,
    )
    query_string = _query_string(request)
    # The cache key covers the query string and the groups; the decisions and the language
    # are checked here: the kept HTML is used only if they are what it showed.
    decision_list = cached.made_from(
        "html",
        (get_language(), [_decision_shown(change) for change in page]),
        lambda: render_to_string(
            "review/_decision_list.html",
            {"form": form, "page": page, "page_param": PAGE, "query_string": query_string},
        ),
    )
    cached.save()
    token = user.feed_token
    context = {
        "decision_list": decision_list,
        "feed_url": request.build_absolute_uri(reverse("review:decisions_feed_token", args=[token]))
        if token
        else "",
    }
    return render(request, "review/decisions.html", context)


CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_BATCH = 200  # rows per chunk when streaming under ASGI


def _cell(value) -> str:
    """Spreadsheets run a cell that starts like a formula: make it plain text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(CSV_FORMULA_START) else text


class _Echo:
    """csv.writer writes to this and gets the line back, for streaming."""

    def write(self, value):
        return value


def _csv_rows(request, changes):
    writer = csv.writer(_Echo())
    yield "\ufeff"  # the byte order mark: Excel then reads the file as UTF-8
    yield writer.writerow(
        [
            _("date"),
            _("group"),
            _("idea"),
            _("idea url"),
            _("from"),
            _("to"),
            _("response"),
            _("decided by"),
            _("responsible"),
        ]
    )
    former = _("former colleague")
    for change in changes.iterator(chunk_size=500):
        idea = change.idea
        row = [
            timezone.localtime(change.created_at).isoformat(timespec="minutes"),
            idea.board.group.name,
            idea.title,
            request.build_absolute_uri(idea.get_absolute_url()),
            Idea.Status(change.from_status).label,
            Idea.Status(change.to_status).label,
            change.response,
            change.actor.name if change.actor else former,
            idea.owner.name if idea.owner else "",
        ]
        yield writer.writerow([_cell(value) for value in row])


def _streamed(request, chunks):
    """As is under WSGI. Under ASGI (daphne) an async iterator that reads a batch of rows
    at a time in the request's thread: a sync iterator would be read whole into memory."""
    if not isinstance(request, ASGIRequest):
        return chunks
    batch = sync_to_async(lambda: "".join(islice(chunks, CSV_BATCH)))

    async def stream():
        while part := await batch():
            yield part

    return stream()


@login_required
@require_safe
def decisions_csv(request):
    _form, filters = _decision_filters(request)
    changes = selectors.decisions(request.user, filters)
    response = StreamingHttpResponse(
        _streamed(request, _csv_rows(request, changes)), content_type="text/csv; charset=utf-8"
    )
    filename = f"kring-besluiten-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


_session_feed = feeds.DecisionFeed()
_token_feed = feeds.TokenDecisionFeed()


@login_required
@require_safe
def decisions_feed(request):
    return _session_feed(request)


@require_safe
def decisions_feed_token(request, token):
    """No session: the secret in the link is the key (feed readers cannot log in)."""
    response = _token_feed(request, token=token)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_POST
def feed_token(request):
    if request.POST.get("action") == "remove":
        services.remove_feed_token(request.user)
        messages.success(request, _("Your personal feed link has been switched off."))
    else:
        services.reset_feed_token(request.user)
        messages.success(
            request, _("Your personal feed link is ready. A previous link no longer works.")
        )
    return redirect(reverse("review:decisions") + "#feed-link")


# --- Charts and open data --------------------------------------------------------------


def _week_label(monday) -> str:
    return formats.date_format(monday, "j M")


@login_required
@require_safe
def charts(request):
    mondays, activity = selectors.participation(request.user)
    labels = [_week_label(monday) for monday in mondays]
    columns = [_("Week of"), _("Posts"), _("Ideas"), _("Comments"), _("Votes"), _("Total")]
    groups = []
    for number, item in enumerate(activity, start=1):
        title = _("%(group)s: contributions per week") % {"group": item.group.name}
        groups.append(
            {
                "group": item.group,
                "table_id": f"activity-table-{number}",
                "svg": svg.line_chart(
                    labels,
                    [week["total"] for week in item.weeks],
                    title=title,
                    ident=f"activity-{item.group.pk}",
                ),
                "table": svg.Table(
                    caption=title,
                    columns=columns,
                    rows=[
                        [
                            label,
                            week["posts"],
                            week["ideas"],
                            week["comments"],
                            week["votes"],
                            week["total"],
                        ]
                        for label, week in zip(labels, item.weeks, strict=True)
                    ],
                ),
                "total": item.total,
            }
        )
    statuses = selectors.ideas_by_status(request.user)
    by_status = svg.bar_chart(
        [(label, count) for _value, label, count in statuses],
        title=_("Ideas by status"),
        ident="ideas-by-status",
        label_heading=_("Status"),
        value_heading=_("Ideas"),
    )
    context = {
        "groups": groups,
        "weeks": len(mondays),
        "first_week": labels[0],
        "by_status": by_status,
        "idea_total": sum(count for _value, _label, count in statuses),
    }
    return render(request, "review/charts.html", context)


@login_required
@require_safe
def open_data(request):
    """Open information: the same for every signed-in person (see docs/open-data.md)."""
    data = selectors.open_data(request.build_absolute_uri)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
