"""PLACEHOLDER: replaced by the real views in this session (issue 6)."""

from django.http import Http404


def dashboard(request, *args, **kwargs):
    raise Http404


def decide(request, *args, **kwargs):
    raise Http404


def decisions(request, *args, **kwargs):
    raise Http404


def decisions_csv(request, *args, **kwargs):
    raise Http404


def decisions_feed(request, *args, **kwargs):
    raise Http404


def decisions_feed_token(request, *args, **kwargs):
    raise Http404


def feed_token(request, *args, **kwargs):
    raise Http404


def charts(request, *args, **kwargs):
    raise Http404


def open_data(request, *args, **kwargs):
    raise Http404
