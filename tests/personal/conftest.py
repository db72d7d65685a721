# ruff: noqa: F811  (pytest fixtures imported from the groups and search tests)
"""People with a history to export or delete: groups, a thread with replies and reactions,
an idea with votes, comments and a decision, invitations, requests and notifications."""

from dataclasses import dataclass

import pytest
from django.test import override_settings

from discussions import services as discussions
from discussions.models import Post, Thread
from groups import services as groups
from groups.models import Group, Membership
from ideas import services as ideas
from ideas.models import Comment, Idea
from tests.groups.conftest import acc_client, add_member, make_group  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _no_rate_limit():
    with override_settings(KRING_POSTS_PER_MINUTE=0):
        yield


@dataclass
class History:
    anna: object  # the person whose account it is
    olga: object  # owns the group
    piet: object  # another member
    group: Group
    thread: Thread  # by Olga
    post: Post  # Anna's reply, edited once
    other_post: Post  # Piet's reply, mentioning and answering Anna
    idea: Idea  # by Olga; Anna and Piet voted, Anna follows it
    anna_idea: Idea  # by Anna, edited once
    comment: Comment  # Anna's comment, edited once


@pytest.fixture
def history(make_user, make_group):
    olga = make_user(display_name="Olga Eigenaar")
    anna = make_user("anna@provincie.example", display_name="Anna de Vries", department="HR")
    piet = make_user(display_name="Piet Lid")
    group = make_group(owner=olga, name="Fietsen naar het werk")
    Membership.objects.create(group=group, user=anna)
    Membership.objects.create(group=group, user=piet)
    thread = discussions.create_thread(
        author=olga, group=group, title="Fietsenstalling", body="Wie weet een plek?"
    )
    post = discussions.create_post(author=anna, thread=thread, body="Bij de ingang")
    post = discussions.edit_post(editor=anna, post=post, body="Bij de hoofdingang")
    other_post = discussions.create_post(
        author=piet, thread=thread, body="@anna goed plan, Piet's eigen woorden"
    )
    discussions.toggle_reaction(user=anna, post=other_post, emoji="heart")
    discussions.toggle_reaction(user=piet, post=other_post, emoji="heart")
    board = ideas.create_board(moderator=olga, group=group, title="Mobiliteit", brief="")
    idea = ideas.create_idea(author=olga, board=board, title="Overdekte stalling", body="Droog")
    ideas.cast_vote(user=anna, idea=idea)
    ideas.cast_vote(user=piet, idea=idea)
    ideas.follow(user=anna, idea=idea)
    ideas.change_status(
        actor=olga, idea=idea, status="under_review", response="We kijken ernaar met Facilitair."
    )
    anna_idea = ideas.create_idea(author=anna, board=board, title="Deelfietsen", body="Tien")
    anna_idea = ideas.edit_idea(editor=anna, idea=anna_idea, title="Deelfietsen", body="Twintig")
    comment = ideas.add_comment(author=anna, idea=idea, body="Graag snel")
    comment = ideas.edit_comment(editor=anna, comment=comment, body="Graag heel snel")
    closed = make_group(owner=olga, name="Snellere vergunningen", visibility="closed")
    groups.request_to_join(user=anna, group=closed, message="Ik werk bij Vergunningen")
    secret = make_group(owner=olga, name="Vertrouwelijk overleg", visibility="private")
    groups.invite(inviter=olga, group=secret, user=anna)
    return History(
        anna=anna,
        olga=olga,
        piet=piet,
        group=group,
        thread=thread,
        post=post,
        other_post=other_post,
        idea=idea,
        anna_idea=anna_idea,
        comment=comment,
    )
