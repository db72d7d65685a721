"""PLACEHOLDER: replaced by the real views in this session (issue 6)."""

from django.http import Http404


def dashboard(request, *args, **kwargs):
    raise Http404


def export(request, *args, **kwargs):
    raise Http404


def delete_account(request, *args, **kwargs):
    raise Http404
