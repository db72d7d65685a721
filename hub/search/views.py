"""PLACEHOLDER: replaced by the real views in this session (issue 6)."""

from django.http import Http404


def results(request, *args, **kwargs):
    raise Http404
