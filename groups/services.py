"""Every write on groups: one function per action, each checks its permission,
runs in one transaction and writes its moderation-log row in the same transaction."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from groups import permissions
from groups.models import Group, Invitation, JoinRequest, Membership, ModerationLogEntry
from groups.notifications import send_invitation_mail
from hub.models import Notification
from hub.notifications.services import forget_group, notify
from hub.realtime import publish_on_commit, stream_name

Action = ModerationLogEntry.Action
Role = Membership.Role
INVITATION_VALID_FOR = timedelta(days=14)


class GroupActionError(Exception):
    """A request that breaks a rule of the group; the message is for the person."""


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def log_action(*, group, actor, action, target_user=None, reason="", detail="") -> None:
    ModerationLogEntry.objects.create(
        group=group,
        actor=actor,
        action=action,
        target_user=target_user,
        reason=reason[:500],
        detail=detail[:300],
    )


def touch(group: Group) -> None:
    """Mark activity in the group (the directory sorts on it)."""
    Group.objects.filter(pk=group.pk).update(last_activity_at=timezone.now())


def access_changed(group: Group, user=None) -> None:
    """Tell open WebSockets on this group to check their viewer's rights again, after commit.

    ``user`` narrows it to one person (removed, left, muted); None means everyone
    (visibility changed, archived). A removed member stops receiving at once.
    """
    event = {"type": "access.changed", "user_id": user.pk if user else None}
    publish_on_commit(stream_name("access", group.pk), event)


def needs_approval(kind: str) -> bool:
    return bool(settings.KRING_GROUP_APPROVAL.get(kind, True))


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "groep"
    slug, n = base, 2
    while Group.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# --- Groups ---------------------------------------------------------------


@transaction.atomic
def create_group(*, creator, name, kind, visibility, description="", colour="blue") -> Group:
    """Any employee may propose a group; some kinds wait for staff approval (settings)."""
    _require(creator.is_authenticated)
    pending = needs_approval(kind) and not creator.is_staff
    group = Group.objects.create(
        name=name.strip(),
        slug=_unique_slug(name),
        kind=kind,
        visibility=visibility,
        description=description,
        colour=colour,
        created_by=creator,
        status=Group.Status.PENDING if pending else Group.Status.ACTIVE,
    )
    Membership.objects.create(group=group, user=creator, role=Role.OWNER)
    log_action(group=group, actor=creator, action=Action.CREATE_GROUP)
    return group


@transaction.atomic
def review_group(*, reviewer, group, approve: bool, reason="") -> Group:
    _require(permissions.can_review_new_groups(reviewer))
    group = Group.objects.select_for_update().get(pk=group.pk)
    if group.status != Group.Status.PENDING:
        raise GroupActionError(_("This group has already been reviewed."))
    group.status = Group.Status.ACTIVE if approve else Group.Status.REJECTED
    group.last_activity_at = timezone.now()
    group.save(update_fields=["status", "last_activity_at"])
    action = Action.APPROVE_GROUP if approve else Action.REJECT_GROUP
    log_action(group=group, actor=reviewer, action=action, reason=reason)
    return group


SETTINGS_FIELDS = ("name", "visibility", "colour", "description")


@transaction.atomic
def update_group_settings(*, actor, group, **fields) -> Group:
    """Name, visibility, colour and description; kind and status are not settings."""
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"not a group setting: {sorted(unknown)}")
    _require(permissions.can_moderate(actor, group))
    # Work on a fresh, locked copy: the caller's may be stale (archived meanwhile).
    locked = Group.objects.select_for_update().get(pk=group.pk)
    if locked.is_archived:
        raise GroupActionError(_("This group is archived. Reopen it first."))
    changed = [name for name, value in fields.items() if getattr(locked, name) != value]
    for name in changed:
        setattr(locked, name, fields[name])
    if changed:
        locked.save(update_fields=[*changed, "description_html"])
        access_changed(locked)
        log_action(
            group=locked, actor=actor, action=Action.CHANGE_SETTINGS, detail=", ".join(changed)
        )
    return locked


@transaction.atomic
def archive_group(*, actor, group, reason="") -> Group:
    _require(permissions.can_archive(actor, group))
    if group.is_archived:
        raise GroupActionError(_("This group is already archived."))
    group.archived_at = timezone.now()
    group.save(update_fields=["archived_at"])
    log_action(group=group, actor=actor, action=Action.ARCHIVE, reason=reason)
    access_changed(group)
    return group


@transaction.atomic
def unarchive_group(*, actor, group) -> Group:
    _require(permissions.can_archive(actor, group))
    if not group.is_archived:
        raise GroupActionError(_("This group is not archived."))
    group.archived_at = None
    group.save(update_fields=["archived_at"])
    log_action(group=group, actor=actor, action=Action.UNARCHIVE)
    access_changed(group)
    return group


# --- Joining and leaving ----------------------------------------------------


def _add_member(group, user, role=Role.MEMBER) -> Membership:
    try:
        with transaction.atomic():  # a double click must not fail the outer transaction
            membership = Membership.objects.create(group=group, user=user, role=role)
    except IntegrityError:
        return Membership.objects.get(group=group, user=user)
    touch(group)
    access_changed(group, user)
    return membership


@transaction.atomic
def join_group(*, user, group) -> Membership:
    if permissions.membership_of(user, group):
        raise GroupActionError(_("You are already a member of this group."))
    _require(permissions.can_join(user, group, membership=None))  # just looked it up
    return _add_member(group, user)


@transaction.atomic
def leave_group(*, user, group) -> None:
    membership = Membership.objects.select_for_update().filter(group=group, user=user).first()
    if membership is None:
        raise GroupActionError(_("You are not a member of this group."))
    if membership.is_muted():
        # Leaving and joining again must not lift a mute; a moderator can remove them.
        raise GroupActionError(
            _("You are muted in this group until %(date)s and can leave after that.")
            % {"date": date_format(timezone.localtime(membership.muted_until), "DATETIME_FORMAT")}
        )
    if membership.role == Role.OWNER and _owner_count(group) == 1:
        raise GroupActionError(
            _("You are the only owner. Make another member owner before you leave.")
        )
    membership.delete()
    forget_group(user, group)
    access_changed(group, user)


def _owner_count(group) -> int:
    # Locks the owners' rows so two owners leaving at once cannot both pass the check.
    return len(
        Membership.objects.select_for_update().filter(group=group, role=Role.OWNER).values("id")
    )


@transaction.atomic
def request_to_join(*, user, group, message="") -> JoinRequest:
    if permissions.membership_of(user, group):
        raise GroupActionError(_("You are already a member of this group."))
    if permissions.has_pending_request(user, group):
        raise GroupActionError(_("You have already asked to join; a moderator will answer."))
    _require(permissions.can_request_to_join(user, group, membership=None))
    try:
        with transaction.atomic():
            return JoinRequest.objects.create(group=group, user=user, message=message.strip())
    except IntegrityError as exc:  # the same request sent twice at once
        raise GroupActionError(
            _("You have already asked to join; a moderator will answer.")
        ) from exc


@transaction.atomic
def withdraw_request(*, user, group) -> None:
    updated = JoinRequest.objects.filter(
        group=group, user=user, status=JoinRequest.Status.PENDING
    ).update(status=JoinRequest.Status.WITHDRAWN, decided_at=timezone.now())
    if not updated:
        raise GroupActionError(_("There is no open request to withdraw."))


@transaction.atomic
def decide_join_request(*, moderator, join_request, approve: bool, reason="") -> JoinRequest:
    group = join_request.group
    _require(permissions.can_moderate(moderator, group))
    request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if request.status != JoinRequest.Status.PENDING:
        raise GroupActionError(_("This request has already been answered."))
    if approve and not group.is_active:
        raise GroupActionError(_("This group is archived and takes no new members."))
    request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
    request.decided_by = moderator
    request.decided_at = timezone.now()
    request.reason = reason[:500]
    request.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    if approve:
        _add_member(group, request.user)
    log_action(
        group=group,
        actor=moderator,
        action=Action.APPROVE_REQUEST if approve else Action.DECLINE_REQUEST,
        target_user=request.user,
        reason=reason,
    )
    with translation.override(request.user.language or settings.LANGUAGE_CODE):
        answer = _("You are now a member.") if approve else _("Your request was declined.")
    notify(
        [request.user],
        kind=Notification.Kind.JOIN_DECISION,
        actor=moderator,
        group=group,
        url=group.get_absolute_url(),
        excerpt=f"{group.name}: {answer} {request.reason}",
    )
    return request


# --- Invitations --------------------------------------------------------------


def _user_with_email(email):
    from allauth.account.models import EmailAddress

    address = (
        EmailAddress.objects.filter(email__iexact=email, verified=True)
        .select_related("user")
        .first()
    )
    return address.user if address else None


@transaction.atomic
def invite(*, inviter, group, user=None, email="") -> Invitation:
    """Invite a colleague (by account or email address); they accept through a link."""
    _require(permissions.can_moderate(inviter, group))
    if group.is_archived:
        raise GroupActionError(_("This group is archived. Reopen it first."))
    email = email.strip().lower()
    user = user or (_user_with_email(email) if email else None)
    if user and permissions.membership_of(user, group):
        raise GroupActionError(_("%(name)s is already a member.") % {"name": user.name})
    pending = Invitation.objects.filter(group=group, status=Invitation.Status.PENDING)
    pending = pending.filter(user=user) if user else pending.filter(email__iexact=email)
    if pending.filter(expires_at__gt=timezone.now()).exists():
        raise GroupActionError(_("This person has already been invited."))
    invitation = Invitation.objects.create(
        group=group,
        invited_by=inviter,
        user=user,
        email=user.email if user else email,
        token=secrets.token_urlsafe(32),
        expires_at=timezone.now() + INVITATION_VALID_FOR,
    )
    log_action(
        group=group,
        actor=inviter,
        action=Action.INVITE,
        target_user=user,
        detail="" if user else email,
    )
    if user:  # a colleague with an account hears of it as they chose (the centre, mail, digest)
        notify(
            [user],
            kind=Notification.Kind.INVITATION,
            actor=inviter,
            group=group,
            url=invitation.get_absolute_url(),
            excerpt=group.name,
        )
    else:  # an address without an account yet: only an email can reach them
        transaction.on_commit(lambda: send_invitation_mail(invitation))
    return invitation


@transaction.atomic
def revoke_invitation(*, actor, invitation) -> Invitation:
    _require(permissions.can_moderate(actor, invitation.group))
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise GroupActionError(_("This invitation has already been answered."))
    invitation.status = Invitation.Status.REVOKED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    log_action(
        group=invitation.group,
        actor=actor,
        action=Action.REVOKE_INVITATION,
        target_user=invitation.user,
        detail=invitation.email,
    )
    return invitation


def _answer(user, invitation, status) -> Invitation:
    _require(permissions.can_answer_invitation(user, invitation))
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_open():
        raise GroupActionError(_("This invitation is no longer valid."))
    locked.status = status
    locked.user = user
    locked.responded_at = timezone.now()
    locked.save(update_fields=["status", "user", "responded_at"])
    return locked


@transaction.atomic
def accept_invitation(*, user, invitation) -> Membership:
    _answer(user, invitation, Invitation.Status.ACCEPTED)
    if not invitation.group.is_active:
        raise GroupActionError(_("This group is archived and takes no new members."))
    return _add_member(invitation.group, user)


@transaction.atomic
def decline_invitation(*, user, invitation) -> Invitation:
    return _answer(user, invitation, Invitation.Status.DECLINED)


# --- Members -------------------------------------------------------------------


@transaction.atomic
def remove_member(*, actor, membership, reason="") -> None:
    _require(permissions.can_act_on_member(actor, membership.group, membership))
    if membership.role == Role.OWNER and _owner_count(membership.group) == 1:
        raise GroupActionError(_("The only owner cannot be removed."))
    membership.delete()
    forget_group(membership.user, membership.group)
    access_changed(membership.group, membership.user)
    log_action(
        group=membership.group,
        actor=actor,
        action=Action.REMOVE_MEMBER,
        target_user=membership.user,
        reason=reason,
    )


@transaction.atomic
def change_role(*, actor, membership, role, reason="") -> Membership:
    group = membership.group
    _require(permissions.can_change_roles(actor, group) and membership.user_id != actor.id)
    if role not in Role.values:
        raise GroupActionError(_("Unknown role."))
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.role == role:
        return locked
    if locked.role == Role.OWNER and _owner_count(group) == 1:
        raise GroupActionError(_("The group needs at least one owner."))
    before = locked.get_role_display()
    locked.role = role
    locked.save(update_fields=["role"])
    access_changed(group, locked.user)
    log_action(
        group=group,
        actor=actor,
        action=Action.CHANGE_ROLE,
        target_user=locked.user,
        reason=reason,
        detail=f"{before} → {locked.get_role_display()}",
    )
    return locked


@transaction.atomic
def mute_member(*, actor, membership, duration: timedelta, reason="") -> Membership:
    """A muted member reads along but cannot post until the time is up."""
    _require(permissions.can_act_on_member(actor, membership.group, membership))
    if duration < timedelta(hours=1) or duration > timedelta(days=365):
        raise GroupActionError(_("Choose a period between one hour and one year."))
    until = timezone.now() + duration
    Membership.objects.filter(pk=membership.pk).update(muted_until=until)
    membership.muted_until = until
    access_changed(membership.group, membership.user)
    log_action(
        group=membership.group,
        actor=actor,
        action=Action.MUTE,
        target_user=membership.user,
        reason=reason,
        detail=timezone.localtime(until).strftime("%Y-%m-%d %H:%M"),
    )
    return membership


@transaction.atomic
def unmute_member(*, actor, membership) -> Membership:
    _require(permissions.can_act_on_member(actor, membership.group, membership))
    Membership.objects.filter(pk=membership.pk).update(muted_until=None)
    membership.muted_until = None
    access_changed(membership.group, membership.user)
    log_action(
        group=membership.group, actor=actor, action=Action.UNMUTE, target_user=membership.user
    )
    return membership
