"""Lookups that views of every app share."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from groups import permissions
from groups.models import Group


def visible_group_or_404(user, slug) -> tuple[Group, object]:
    """The group and the viewer's membership; 404 for groups the viewer may not see."""
    group = get_object_or_404(Group, slug=slug)
    membership = permissions.membership_of(user, group)
    if not permissions.can_view_group(user, group, membership):
        raise Http404
    return group, membership
