"""Lookups that the discussions and ideas views share."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from discussions import permissions
from discussions.models import Thread


def readable_thread_or_404(user, thread_id) -> tuple[Thread, object]:
    """The thread (whatever slug it was reached under) and the viewer's membership of its
    group; 404 for threads the viewer may not read."""
    thread = get_object_or_404(Thread.objects.select_related("group", "author"), pk=thread_id)
    membership = permissions.membership_of(user, thread.group)
    if not permissions.can_read_thread(user, thread, membership):
        raise Http404
    return thread, membership
