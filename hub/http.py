"""Small request and response helpers that every app's views share."""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse


def require(allowed: bool) -> None:
    """403 unless allowed (for people who may see the thing but not do this to it)."""
    if not allowed:
        raise PermissionDenied


def wants_json(request) -> bool:
    """realtime.js and boards.js send fetch() requests; everything else is a plain form post."""
    return request.headers.get("X-Requested-With") == "fetch" or "application/json" in (
        request.headers.get("Accept", "")
    )


def json_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def first_form_error(form) -> str:
    """The first error of a small action form, for a message after a redirect."""
    for errors in form.errors.values():
        return errors[0]
    return ""
