"""Who may do what in a discussion. Views, the WebSocket consumer and templates all ask these.

Reading follows the group: whoever may see a group may read its threads (open
and closed groups: every signed-in employee, so information flows; private
groups: members only). Writing needs ``groups.permissions.can_post``: a member
who is not muted, in an active group.
"""

from groups import permissions as group_permissions
from groups.permissions import _UNSET, membership_of  # noqa: F401  (re-exported for callers)


def can_read_thread(user, thread, membership=_UNSET) -> bool:
    return group_permissions.can_view_group(user, thread.group, membership)


def can_start_thread(user, group, membership=_UNSET) -> bool:
    return group_permissions.can_post(user, group, membership)


def can_moderate_thread(user, thread, membership=_UNSET) -> bool:
    return group_permissions.can_moderate(user, thread.group, membership)


def can_reply(user, thread, membership=_UNSET) -> bool:
    """Members post; in a locked thread only moderators may still write (to explain why)."""
    if not group_permissions.can_post(user, thread.group, membership):
        return False
    return not thread.is_locked or can_moderate_thread(user, thread, membership)


def can_edit_post(user, post, membership=_UNSET) -> bool:
    return (
        post.author_id == user.id and post.is_visible and can_reply(user, post.thread, membership)
    )


def can_delete_post(user, post) -> bool:
    """Authors may always take their own words back; staff may remove anything."""
    if not user.is_authenticated or post.is_deleted:
        return False
    return post.author_id == user.id or user.is_staff


def can_react(user, post, membership=_UNSET) -> bool:
    return post.is_visible and can_reply(user, post.thread, membership)


def can_hide_post(user, post, membership=_UNSET) -> bool:
    return not post.is_deleted and can_moderate_thread(user, post.thread, membership)


def can_move_thread(user, thread, to_group) -> bool:
    """Moderators move threads between groups they moderate, into an active group."""
    return (
        to_group.pk != thread.group_id
        and to_group.is_active
        and group_permissions.can_moderate(user, thread.group)
        and group_permissions.can_moderate(user, to_group)
    )
