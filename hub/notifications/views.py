"""The notification centre: the list, opening one, marking read, and how to be told.

Everything here is about the signed-in person's own notifications: someone else's
is a 404, never a hint that it exists.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from hub.http import wants_json
from hub.models import Notification
from hub.notifications import selectors, services
from hub.notifications.forms import PreferencesForm

PAGE = "pagina"
ONLY = "alleen"
UNREAD_ONLY = "ongelezen"


def _local_path(url: str) -> bool:
    """A path on this site: "/groepen/…", never "//elsewhere" or "https://elsewhere"."""
    return (
        url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    )


def _ids(values) -> list[int]:
    """The numbers among the posted ``id`` values (anything else is ignored)."""
    return [int(v) for v in values if v.isascii() and v.isdigit() and len(v) <= 18]


def _list_url(unread_only: bool) -> str:
    url = reverse("notifications:list")
    return f"{url}?{ONLY}={UNREAD_ONLY}" if unread_only else url


@login_required
@require_safe
def notification_list(request):
    unread_only = request.GET.get(ONLY) == UNREAD_ONLY
    rows = selectors.notifications_of(request.user, unread_only=unread_only)
    page = Paginator(rows, selectors.PAGE_SIZE).get_page(request.GET.get(PAGE))
    context = {
        "page": page,
        "page_param": PAGE,
        "unread_only": unread_only,
        "query_string": f"{ONLY}={UNREAD_ONLY}" if unread_only else "",
        # New notifications are put on top of the first page as they arrive.
        "live_list": page.number == 1,
    }
    return render(request, "notifications/list.html", context)


@login_required
@require_safe
def open_notification(request, pk):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.mark_read(request.user, [notification.pk])
    if not _local_path(notification.url):
        return redirect("notifications:list")
    return redirect(notification.url)


@login_required
@require_POST
def mark_read(request):
    """All the person's notifications, or only the ``id`` values posted (others' ids and
    anything that is not an id are ignored)."""
    values = request.POST.getlist("id")
    count = services.mark_read(request.user, _ids(values) if values else None)
    if wants_json(request):
        return JsonResponse({"marked": count, "unread": selectors.unread_count(request.user)})
    if values:
        message = ngettext(
            "%(count)d notification marked as read.",
            "%(count)d notifications marked as read.",
            count,
        ) % {"count": count}
    else:
        message = _("All notifications are marked as read.")
    messages.success(request, message)
    return redirect(_list_url(request.POST.get(ONLY) == UNREAD_ONLY))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request):
    data = request.POST if request.method == "POST" else None
    form = PreferencesForm(data, current=selectors.preferences_of(request.user))
    if form.is_bound and form.is_valid():
        services.set_preferences(request.user, form.choices())
        messages.success(request, _("Your notification settings have been saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
