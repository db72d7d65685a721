# ruff: noqa: F811  (pytest fixtures imported from the groups and discussions tests)
"""Groups, boards, ideas and the people who meet them, for the idea-board page tests.

The roles and helpers are the discussion tests' own (tests/discussions/conftest.py), so the
two access matrices read alike.
"""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from discussions import services as discussion_services
from discussions.models import Post, Thread
from groups.models import Group, Membership, ModerationLogEntry
from hub.models import Notification
from ideas import services
from ideas.models import (
    Board,
    BoardEvent,
    Comment,
    CommentRevision,
    Follow,
    Idea,
    IdeaRevision,
    StatusChange,
    Tag,
    Vote,
)
from tests.discussions.conftest import (  # noqa: F401  (shared roles and helpers)
    LOGIN,
    ROLES,
    VISIBILITIES,
    assert_status,
    login,
    sees,
)
from tests.groups.conftest import (  # noqa: F401  (fixtures)
    acc_client,
    add_member,
    make_group,
    moderator,
    owner,
)

POSTERS = {"member", "moderator"}  # may write in the group (members, not muted)
MODERATORS = {"moderator", "staff"}
DECIDERS = {"moderator", "staff", "leader"}  # change status: moderators and leadership


@pytest.fixture(autouse=True)
def _no_rate_limit():
    with override_settings(KRING_POSTS_PER_MINUTE=0):
        yield


@dataclass
class World:
    """A group with a board, ideas by the owner and the member, a thread, and everyone."""

    group: Group
    board: Board
    tag: Tag
    idea: Idea  # by the owner; the member supports it
    own: Idea  # by the member
    other: Idea  # by the owner; the original that `duplicate` duplicates
    duplicate: Idea  # by the owner, marked a duplicate of `other`; the member supported it
    hidden: Idea  # hidden by the owner
    comment: Comment  # by the member on `idea`
    hidden_comment: Comment  # by the member, hidden by the owner
    thread: Thread  # by the owner
    post: Post  # by the member, in `thread`
    users: dict = field(default_factory=dict)


@pytest.fixture
def world(make_user, make_group):
    def build(visibility="open") -> World:
        boss = make_user(display_name="Olga Eigenaar")
        users = {
            "nonmember": make_user(display_name="Nils Buitenstaander"),
            "member": make_user(display_name="Mia Lid"),
            "muted": make_user(display_name="Stijn Stil"),
            "moderator": make_user(display_name="Mo Moderator"),
            "staff": make_user(display_name="Sam Beheer", staff=True, is_superuser=True),
            "leader": make_user(display_name="Lotte Leiding", leadership=True),
        }
        group = make_group(owner=boss, name=f"Ideeëngroep {visibility}", visibility=visibility)
        Membership.objects.create(
            group=group, user=users["moderator"], role=Membership.Role.MODERATOR
        )
        Membership.objects.create(group=group, user=users["member"])
        muted = Membership.objects.create(group=group, user=users["muted"])
        board = services.create_board(
            moderator=boss,
            group=group,
            title="Mobiliteit 2027",
            brief="Wat kan **beter**?",
            tags=["Fiets", "Trein"],
        )
        tag = board.tags.get(name="Fiets")
        idea = services.create_idea(
            author=boss,
            board=board,
            title="Fietsenstalling overdekt",
            body="Droog",
            tag_ids=[tag.pk],
        )
        own = services.create_idea(
            author=users["member"], board=board, title="Deelfietsen", body="Voor iedereen"
        )
        other = services.create_idea(author=boss, board=board, title="Treinkaart", body="NS")
        duplicate = services.create_idea(author=boss, board=board, title="OV-kaart", body="OV")
        hidden = services.create_idea(author=boss, board=board, title="Verborgen", body="x")
        services.cast_vote(user=users["member"], idea=idea)
        services.cast_vote(user=users["member"], idea=duplicate)
        services.change_status(
            actor=boss, idea=duplicate, status="duplicate", duplicate_of=other, response="Zie"
        )
        services.hide_idea(moderator=boss, idea=hidden, reason="Dubbel geplaatst")
        comment = services.add_comment(author=users["member"], idea=idea, body="Goed plan")
        hidden_comment = services.add_comment(author=users["member"], idea=idea, body="Oeps")
        services.hide_comment(moderator=boss, comment=hidden_comment, reason="Persoonlijk")
        thread = discussion_services.create_thread(
            author=boss, group=group, title="Parkeren bij het werk", body="Te weinig plek"
        )
        post = discussion_services.create_post(author=users["member"], thread=thread, body="Ja!")
        muted.muted_until = timezone.now() + timedelta(days=3)
        muted.save()
        users["owner"] = boss
        return World(
            group=group,
            board=board,
            tag=tag,
            idea=idea,
            own=own,
            other=other,
            duplicate=duplicate,
            hidden=hidden,
            comment=comment,
            hidden_comment=hidden_comment,
            thread=thread,
            post=post,
            users=users,
        )

    return build


def snapshot() -> dict:
    """Everything an idea-board action could change, as plain values."""
    return {
        "boards": sorted(
            Board.objects.values_list(
                "id",
                "title",
                "brief",
                "state",
                "voting_opens_at",
                "voting_closes_at",
                "votes_per_member",
                "last_seq",
            )
        ),
        "tags": sorted(Tag.objects.values_list("board_id", "name")),
        "ideas": sorted(
            Idea.objects.values_list(
                "id",
                "board_id",
                "title",
                "body",
                "status",
                "vote_count",
                "comment_count",
                "duplicate_of_id",
                "thread_id",
                "post_id",
                "comments_locked",
                "hidden_at",
                "edited_at",
            )
        ),
        "idea_tags": sorted(Idea.tags.through.objects.values_list("idea_id", "tag_id")),
        "revisions": IdeaRevision.objects.count(),
        "votes": sorted(Vote.objects.values_list("idea_id", "user_id")),
        "comments": sorted(
            Comment.objects.values_list("id", "body", "edited_at", "deleted_at", "hidden_at")
        ),
        "comment_revisions": CommentRevision.objects.count(),
        "decisions": StatusChange.objects.count(),
        "follows": sorted(Follow.objects.values_list("idea_id", "user_id")),
        "events": BoardEvent.objects.count(),
        "log": ModerationLogEntry.objects.count(),
        "notifications": Notification.objects.count(),
    }
