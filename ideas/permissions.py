"""Who may do what on idea boards. Views, the WebSocket consumer and templates all ask these.

Reading follows the group (as discussions do). Members who may post add ideas,
comment and vote; moderators run boards and moderate; moderators and leadership
decide on ideas (status and official response).
"""

from groups import permissions as group_permissions
from groups.permissions import _UNSET
from hub.permissions import is_leadership
from ideas.models import Board, Idea

# Outcomes that end the vote: support no longer changes anything.
CLOSED_STATUSES = {Idea.Status.DECLINED, Idea.Status.DUPLICATE, Idea.Status.IMPLEMENTED}


def can_view_board(user, board, membership=_UNSET) -> bool:
    return group_permissions.can_view_group(user, board.group, membership)


def can_view_idea(user, idea, membership=_UNSET) -> bool:
    """Hidden ideas stay readable as a notice; their text only for moderators (see views)."""
    return can_view_board(user, idea.board, membership)


def can_manage_boards(user, group, membership=_UNSET) -> bool:
    return group.is_active and group_permissions.can_moderate(user, group, membership)


def can_add_idea(user, board, membership=_UNSET) -> bool:
    return board.state == Board.State.OPEN and group_permissions.can_post(
        user, board.group, membership
    )


def can_vote(user, idea, membership=_UNSET, now=None) -> bool:
    """Members support other people's ideas while the board's voting is open.

    Authors do not vote for their own idea: a count shows support from others,
    and a vote budget is spent on others' ideas only.
    """
    return (
        idea.author_id != user.id
        and not idea.is_hidden
        and idea.status not in CLOSED_STATUSES
        and idea.board.voting_is_open(now)
        and group_permissions.can_post(user, idea.board.group, membership)
    )


def can_retract_vote(user, idea, membership=_UNSET, now=None) -> bool:
    """While the vote is open, support can be taken back. Closed boards and decided ideas
    keep their result (a duplicate's supporters move their vote with ``move_vote``)."""
    return (
        idea.status not in CLOSED_STATUSES
        and idea.board.voting_is_open(now)
        and group_permissions.can_post(user, idea.board.group, membership)
    )


def can_moderate_ideas(user, board, membership=_UNSET) -> bool:
    return group_permissions.can_moderate(user, board.group, membership)


def can_change_status(user, idea, membership=_UNSET) -> bool:
    """Moderators of the group, and leadership (who review ideas across all groups)."""
    if not can_view_idea(user, idea, membership):
        return False
    return can_moderate_ideas(user, idea.board, membership) or is_leadership(user)


def can_edit_idea(user, idea, membership=_UNSET) -> bool:
    if can_moderate_ideas(user, idea.board, membership):
        return True
    return (
        idea.author_id == user.id
        and not idea.is_hidden
        and group_permissions.can_post(user, idea.board.group, membership)
    )


def can_comment(user, idea, membership=_UNSET) -> bool:
    if idea.is_hidden or not group_permissions.can_post(user, idea.board.group, membership):
        return False
    return not idea.comments_locked or can_moderate_ideas(user, idea.board, membership)


def can_edit_comment(user, comment, membership=_UNSET) -> bool:
    return (
        comment.author_id == user.id
        and comment.is_visible
        and can_comment(user, comment.idea, membership)
    )


def can_delete_comment(user, comment) -> bool:
    if not user.is_authenticated or comment.deleted_at is not None:
        return False
    return comment.author_id == user.id or user.is_staff


def can_follow(user, idea, membership=_UNSET) -> bool:
    return user.is_authenticated and can_view_idea(user, idea, membership)


def can_promote(user, thread, post=None) -> bool:
    """A moderator, or the writer of the thread (or of the one post), turns it into an idea."""
    if group_permissions.can_moderate(user, thread.group):
        return True
    writer = post.author_id if post is not None else thread.author_id
    return writer == user.id and group_permissions.can_post(user, thread.group)
