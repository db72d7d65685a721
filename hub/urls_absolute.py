"""Absolute links for mails, which have no request to build them from."""

from django.conf import settings


def absolute_url(path: str) -> str:
    return settings.KRING_SITE_URL.rstrip("/") + path
