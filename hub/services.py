"""Writes on the user's own account."""

from django.conf import settings
from django.db import transaction


@transaction.atomic
def update_profile(*, user, display_name: str, department: str):
    user.display_name = display_name.strip()
    user.department = department.strip()
    user.save(update_fields=["display_name", "department"])
    return user


def set_preferred_language(*, user, language: str):
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unsupported language {language!r}")
    user.language = language
    user.save(update_fields=["language"])
    return user
