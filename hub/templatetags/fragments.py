"""Markers for the per-viewer bits of cached partials (hub/fragments.py fills them in)."""

from django import template

from hub import fragments

register = template.Library()


@register.simple_tag
def viewer_csrf() -> str:
    """The CSRF field of this viewer's request."""
    return fragments.marker("csrf")
