"""Privacy: a person's own data as JSON, and deleting their account.

Deleting keeps what the community wrote and decided, without the name: the user row
stays as an anonymous tombstone (``User.deleted_at``; ``User.name`` then reads "Deleted
account"), so threads, posts, ideas and comments keep their place and every vote keeps
counting (votes kept as anonymous counts: ``recount_votes --check`` finds no drift).
Everything that is only about the person goes: addresses, sign-in links, memberships,
requests, open invitations, follows, read markers, notifications and preferences,
mentions and reactions.

Reactions are removed rather than kept anonymously: they are small personal signals
that show a name on hover, nothing counts them apart from their rows, and every
affected post gets a reactions event, so open pages and catch-up show the new counts.
"""

import json
from collections.abc import Iterator

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from discussions import services as discussion_services
from discussions.models import (
    Mention,
    Post,
    PostRevision,
    Reaction,
    ReadMarker,
    Thread,
    ThreadEvent,
)
from groups import selectors as group_selectors
from groups.models import Group, Invitation, JoinRequest, Membership, ModerationLogEntry
from groups.services import access_changed
from hub.models import Digest, Notification, NotificationPreference, User
from hub.personal.selectors import groups_to_hand_over
from ideas.models import Comment, CommentRevision, Follow, Idea, IdeaRevision, StatusChange, Vote

EXPORT_FORMAT = "kring-export/1"
CHUNK = 500


class HandOverFirst(Exception):
    """The account owns groups that others still use; ``groups`` lists them."""

    def __init__(self, groups):
        super().__init__(_("Make someone else owner of these groups first."))
        self.groups = groups


# --- Export --------------------------------------------------------------------------------


def _sections(user) -> dict:
    """Each part of the export as a lazy iterator of plain dicts (one query per part,
    plus one per CHUNK rows for revisions)."""
    posts = (
        Post.objects.filter(author=user)
        .select_related("thread__group")
        .prefetch_related(Prefetch("revisions", PostRevision.objects.order_by("id")))
        .order_by("id")
    )
    ideas = (
        Idea.objects.filter(author=user)
        .select_related("board__group")
        .prefetch_related(Prefetch("revisions", IdeaRevision.objects.order_by("id")))
        .order_by("id")
    )
    comments = (
        Comment.objects.filter(author=user)
        .select_related("idea")
        .prefetch_related(Prefetch("revisions", CommentRevision.objects.order_by("id")))
        .order_by("id")
    )
    invitations = group_selectors.invitations_addressed_to(user)
    return {
        "email_addresses": _rows(
            EmailAddress.objects.filter(user=user), "email", "verified", "primary"
        ),
        "connected_accounts": _rows(
            SocialAccount.objects.filter(user=user), "provider", "uid", "date_joined", "last_login"
        ),
        "memberships": _rows(
            Membership.objects.filter(user=user),
            "role",
            "joined_at",
            "muted_until",
            group_name=F("group__name"),
        ),
        "join_requests": _rows(
            JoinRequest.objects.filter(user=user),
            "message",
            "status",
            "created_at",
            "decided_at",
            "reason",
            group_name=F("group__name"),
        ),
        "invitations": _rows(
            invitations,
            "status",
            "created_at",
            "expires_at",
            "responded_at",
            group_name=F("group__name"),
        ),
        "threads": _rows(
            Thread.objects.filter(author=user),
            "id",
            "title",
            "created_at",
            group_name=F("group__name"),
        ),
        "posts": (_post(post) for post in posts.iterator(chunk_size=CHUNK)),
        "reactions": _rows(Reaction.objects.filter(user=user), "post_id", "emoji", "created_at"),
        "ideas": (_idea(idea) for idea in ideas.iterator(chunk_size=CHUNK)),
        "comments": (_comment(comment) for comment in comments.iterator(chunk_size=CHUNK)),
        "votes": _rows(
            Vote.objects.filter(user=user), "idea_id", "created_at", idea_title=F("idea__title")
        ),
        "follows": _rows(
            Follow.objects.filter(user=user), "idea_id", "created_at", idea_title=F("idea__title")
        ),
        "decisions": _rows(
            StatusChange.objects.filter(actor=user),
            "idea_id",
            "from_status",
            "to_status",
            "response",
            "created_at",
        ),
        "ideas_responsible_for": _rows(Idea.objects.filter(owner=user), "id", "title"),
        "notifications": _rows(
            Notification.objects.filter(recipient=user),
            "kind",
            "url",
            "excerpt",
            "created_at",
            "read_at",
            group_name=F("group__name"),
        ),
        "notification_preferences": _rows(
            NotificationPreference.objects.filter(user=user), "kind", "delivery"
        ),
    }


def _rows(queryset, *fields, **expressions) -> Iterator[dict]:
    return queryset.order_by("pk").values(*fields, **expressions).iterator(chunk_size=CHUNK)


def _post(post: Post) -> dict:
    return {
        "id": post.pk,
        "thread_id": post.thread_id,
        "thread_title": post.thread.title,
        "group": post.thread.group.name,
        "body": post.body,
        "created_at": post.created_at,
        "edited_at": post.edited_at,
        "deleted_at": post.deleted_at,
        "hidden_at": post.hidden_at,
        "hidden_reason": post.hidden_reason,
        "revisions": [
            {"body": rev.body, "written_at": rev.written_at} for rev in post.revisions.all()
        ],
    }


def _idea(idea: Idea) -> dict:
    return {
        "id": idea.pk,
        "group": idea.board.group.name,
        "board": idea.board.title,
        "title": idea.title,
        "body": idea.body,
        "status": idea.status,
        "vote_count": idea.vote_count,
        "created_at": idea.created_at,
        "edited_at": idea.edited_at,
        "hidden_at": idea.hidden_at,
        "revisions": [
            {"title": rev.title, "body": rev.body, "written_at": rev.written_at}
            for rev in idea.revisions.all()
        ],
    }


def _comment(comment: Comment) -> dict:
    return {
        "id": comment.pk,
        "idea_id": comment.idea_id,
        "idea_title": comment.idea.title,
        "body": comment.body,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "deleted_at": comment.deleted_at,
        "hidden_at": comment.hidden_at,
        "revisions": [
            {"body": rev.body, "written_at": rev.written_at} for rev in comment.revisions.all()
        ],
    }


def profile(user) -> dict:
    return {
        "username": user.username,
        "email": user.email,
        "display_name": user.display_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "department": user.department,
        "language": user.language,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }


def export_json(user) -> Iterator[str]:
    """The user's own data as one JSON document, written piece by piece: a large history
    streams out without being held in memory."""

    def dump(value) -> str:
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)

    yield "{\n"
    yield f'"format": {dump(EXPORT_FORMAT)},\n"exported_at": {dump(timezone.now())},\n'
    yield f'"profile": {dump(profile(user))}'
    for name, rows in _sections(user).items():
        yield f",\n{dump(name)}: ["
        for n, row in enumerate(rows):
            yield ("," if n else "") + "\n  " + dump(row)
        yield "\n]"
    yield "\n}\n"


# --- Deleting the account ---------------------------------------------------------------


@transaction.atomic
def delete_account(*, user) -> None:
    """Anonymise the account in place and remove what is only about the person.

    Refuses (HandOverFirst) while the user is the only owner of an active group that
    has other members. One transaction: either all of it happens or nothing does.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    # Lock the memberships too, so nobody is made (or stops being) owner meanwhile.
    group_ids = list(
        Membership.objects.select_for_update()
        .filter(user=user)
        .order_by("group_id")
        .values_list("group_id", flat=True)
    )
    groups = list(Group.objects.filter(pk__in=group_ids))
    blocking = list(groups_to_hand_over(user))
    if blocking:
        raise HandOverFirst(blocking)
    addresses = [
        a.lower() for a in group_selectors.verified_addresses(user).values_list("email", flat=True)
    ]
    addresses.append(user.email.lower())

    _remove_reactions(user)
    Membership.objects.filter(user=user).delete()
    JoinRequest.objects.filter(user=user).delete()
    open_invitations = Invitation.objects.filter(status=Invitation.Status.PENDING)
    open_invitations.filter(Q(user=user) | Q(user__isnull=True, email__in=addresses)).delete()
    # Answered invitations stay as the groups' history, without the address.
    Invitation.objects.filter(user=user).update(email="")
    # The moderation log names invited addresses in its detail; those go too.
    for address in set(addresses):
        ModerationLogEntry.objects.filter(detail__iexact=address).update(detail="")
    Follow.objects.filter(user=user).delete()
    ReadMarker.objects.filter(user=user).delete()
    Mention.objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    Digest.objects.filter(user=user).delete()
    Idea.objects.filter(owner=user).update(owner=None)
    SocialAccount.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    user.groups.clear()
    user.user_permissions.clear()

    user.username = f"verwijderd-{user.pk}"
    user.email = f"verwijderd-{user.pk}@invalid"
    user.first_name = user.last_name = user.display_name = user.department = ""
    user.language = ""
    user.last_login = None
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.deleted_at = timezone.now()
    user.feed_token = None
    user.save()
    # Open sockets on the person's groups check again and close (after commit).
    for group in groups:
        access_changed(group, user)


def _remove_reactions(user) -> None:
    post_ids = list(
        Reaction.objects.filter(user=user).order_by().values_list("post_id", flat=True).distinct()
    )
    if not post_ids:
        return
    Reaction.objects.filter(user=user).delete()
    # One reactions event per post (thread by thread, in id order, as the locks are taken).
    posts = (
        Post.objects.filter(pk__in=post_ids).select_related("thread").order_by("thread_id", "pk")
    )
    for post in posts:
        # The discussions' own event writer, so live pages and catch-up see the change.
        discussion_services._record(post.thread, ThreadEvent.Kind.POST_REACTIONS, post)
