"""Writes for leadership review: a decision from the dashboard, and the feed link."""

import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from hub.models import User
from ideas import services as idea_services
from ideas.models import Idea
from ideas.services import IdeaActionError


def decide(
    *,
    actor,
    idea: Idea,
    status: str,
    response: str = "",
    duplicate_of: Idea | None = None,
    owner=None,
) -> Idea:
    """Status, official response and owner from one form, in one transaction: when one part
    is refused (IdeaActionError, PermissionDenied) nothing of the others is kept.

    The status service runs when the status (or the original of a duplicate) changes or a
    response is given: the same status with a response is a follow-up update.
    """
    response = (response or "").strip()
    target = duplicate_of.pk if duplicate_of else None
    new_decision = (
        status != idea.status
        or bool(response)
        or (status == Idea.Status.DUPLICATE and target != idea.duplicate_of_id)
    )
    new_owner = (owner.pk if owner else None) != idea.owner_id
    if not (new_decision or new_owner):
        raise IdeaActionError(
            _(
                "Nothing has changed: choose another status, write a response or choose who is "
                "responsible."
            )
        )
    with transaction.atomic():
        if new_decision:
            idea_services.change_status(
                actor=actor, idea=idea, status=status, response=response, duplicate_of=duplicate_of
            )
        if new_owner:
            idea_services.assign_owner(actor=actor, idea=idea, owner=owner)
    return Idea.objects.get(pk=idea.pk)


def reset_feed_token(user: User) -> str:
    """A new secret for the person's decisions feed; the old link stops working."""
    token = secrets.token_urlsafe(32)
    User.objects.filter(pk=user.pk).update(feed_token=token)
    user.feed_token = token
    return token


def remove_feed_token(user: User) -> None:
    User.objects.filter(pk=user.pk).update(feed_token=None)
    user.feed_token = None
