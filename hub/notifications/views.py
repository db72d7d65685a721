"""PLACEHOLDER: replaced by the real views in this session (issue 6)."""

from django.http import Http404


def notification_list(request, *args, **kwargs):
    raise Http404


def open_notification(request, *args, **kwargs):
    raise Http404


def mark_read(request, *args, **kwargs):
    raise Http404


def preferences(request, *args, **kwargs):
    raise Http404
