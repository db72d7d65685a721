from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from discussions import selectors as discussion_selectors
from groups import forms, permissions, selectors, services
from groups.models import Group, Invitation, JoinRequest
from groups.services import GroupActionError
from groups.shortcuts import visible_group_or_404
from hub.http import first_form_error
from ideas import selectors as idea_selectors

DIRECTORY_PAGE_SIZE = 24


def _moderated_group(request, slug) -> tuple[Group, object]:
    group, membership = visible_group_or_404(request.user, slug)
    if not permissions.can_moderate(request.user, group, membership):
        raise PermissionDenied
    return group, membership


def _run(request, action, success_message, *args, **kwargs) -> bool:
    """Call a service; a broken group rule becomes a message, not an error page."""
    try:
        action(*args, **kwargs)
    except GroupActionError as error:
        messages.error(request, str(error))
        return False
    if success_message:
        messages.success(request, success_message)
    return True


@login_required
def directory(request):
    filters = forms.DirectoryFilterForm(request.GET or None)
    params = filters.cleaned_data if filters.is_valid() else {}
    groups = selectors.directory(
        request.user,
        query=params.get("q", ""),
        kind=params.get("kind", ""),
        mine=params.get("mine", False),
        sort=params.get("sort") or "activity",
    )
    page = Paginator(groups, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    query_string = request.GET.copy()
    query_string.pop("page", None)
    context = {"filters": filters, "page": page, "query_string": query_string.urlencode()}
    return render(request, "groups/directory.html", context)


@login_required
def create(request):
    form = forms.GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        group = services.create_group(creator=request.user, **form.cleaned_data)
        if group.status == Group.Status.PENDING:
            messages.success(request, _("Your group has been proposed. Staff will review it."))
        else:
            messages.success(request, _("Your group has been created."))
        return redirect(group)
    return render(request, "groups/create.html", {"form": form})


@login_required
def detail(request, slug):
    group, membership = visible_group_or_404(request.user, slug)
    context = {
        "group": group,
        "membership": membership,
        "members": selectors.members(group)[:12],
        "member_count": group.memberships.count(),
        "threads": discussion_selectors.threads_for(group, request.user)[:5],
        "boards": idea_selectors.boards_with_counts(group, include_archived=False),
        "has_pending_request": permissions.has_pending_request(request.user, group),
        "can": _abilities(request.user, group, membership),
    }
    if context["can"]["moderate"]:
        context["pending_request_count"] = selectors.pending_requests(group).count()
    return render(request, "groups/detail.html", context)


def _abilities(user, group, membership) -> dict:
    return {
        "join": permissions.can_join(user, group, membership),
        "request": permissions.can_request_to_join(user, group, membership),
        "leave": permissions.can_leave(user, group, membership),
        "moderate": permissions.can_moderate(user, group, membership),
        "start_thread": permissions.can_post(user, group, membership),
        "change_roles": permissions.can_change_roles(user, group, membership),
        "archive": permissions.can_archive(user, group, membership),
        "manage_boards": group.is_active and permissions.can_moderate(user, group, membership),
    }


@login_required
@require_POST
def join(request, slug):
    group, membership = visible_group_or_404(request.user, slug)
    _run(request, services.join_group, _("Welcome to the group!"), user=request.user, group=group)
    return redirect(group)


@login_required
@require_POST
def leave(request, slug):
    group, _membership = visible_group_or_404(request.user, slug)
    if _run(
        request, services.leave_group, _("You have left the group."), user=request.user, group=group
    ):
        return redirect(
            group if permissions.can_view_group(request.user, group) else "groups:directory"
        )
    return redirect(group)


@login_required
def request_to_join(request, slug):
    group, membership = visible_group_or_404(request.user, slug)
    form = forms.JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _run(
            request,
            services.request_to_join,
            _("Your request has been sent to the moderators."),
            user=request.user,
            group=group,
            message=form.cleaned_data["message"],
        )
        return redirect(group)
    if not permissions.can_request_to_join(request.user, group, membership):
        return redirect(group)
    return render(request, "groups/request.html", {"group": group, "form": form})


@login_required
@require_POST
def withdraw_request(request, slug):
    group, _membership = visible_group_or_404(request.user, slug)
    _run(
        request,
        services.withdraw_request,
        _("Your request has been withdrawn."),
        user=request.user,
        group=group,
    )
    return redirect(group)


@login_required
def members(request, slug):
    group, membership = visible_group_or_404(request.user, slug)
    can_moderate = permissions.can_moderate(request.user, group, membership)
    context = {
        "group": group,
        "membership": membership,
        "members": Paginator(selectors.members(group), 100).get_page(request.GET.get("page")),
        "can_moderate": can_moderate,
        "can_change_roles": permissions.can_change_roles(request.user, group, membership),
        "role_form": forms.RoleForm(),
        "mute_form": forms.MuteForm(),
    }
    if can_moderate:
        context["requests"] = selectors.pending_requests(group)
        context["invitations"] = selectors.open_invitations(group)
    return render(request, "groups/members.html", context)


@login_required
@require_POST
def decide_request(request, slug, request_id):
    group, _membership = _moderated_group(request, slug)
    join_request = get_object_or_404(JoinRequest, pk=request_id, group=group)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_form_error(form))
        return redirect("groups:members", group.slug)
    approve = form.cleaned_data["decision"] == "approve"
    done = _("%(name)s is now a member.") if approve else _("The request of %(name)s was declined.")
    _run(
        request,
        services.decide_join_request,
        done % {"name": join_request.user.name},
        moderator=request.user,
        join_request=join_request,
        approve=approve,
        reason=form.cleaned_data["reason"],
    )
    return redirect("groups:members", group.slug)


def _member(group, user_id):
    return get_object_or_404(group.memberships.select_related("user", "group"), user_id=user_id)


def _act_on_member(request, slug, user_id, *, form_class, service, done, arguments):
    """The shape every member action shares: a moderator, a valid form, one service call."""
    group, _membership = _moderated_group(request, slug)
    target = _member(group, user_id)
    form = form_class(request.POST)
    if form.is_valid():
        _run(
            request,
            service,
            done % {"name": target.user.name},
            actor=request.user,
            membership=target,
            **arguments(form),
        )
    else:
        messages.error(request, first_form_error(form))
    return redirect("groups:members", group.slug)


@login_required
@require_POST
def change_role(request, slug, user_id):
    return _act_on_member(
        request,
        slug,
        user_id,
        form_class=forms.RoleForm,
        service=services.change_role,
        done=_("The role of %(name)s has been changed."),
        arguments=lambda form: {
            "role": form.cleaned_data["role"],
            "reason": form.cleaned_data["reason"],
        },
    )


@login_required
@require_POST
def remove_member(request, slug, user_id):
    return _act_on_member(
        request,
        slug,
        user_id,
        form_class=forms.ReasonForm,
        service=services.remove_member,
        done=_("%(name)s has been removed from the group."),
        arguments=lambda form: {"reason": form.cleaned_data["reason"]},
    )


@login_required
@require_POST
def mute_member(request, slug, user_id):
    return _act_on_member(
        request,
        slug,
        user_id,
        form_class=forms.MuteForm,
        service=services.mute_member,
        done=_("%(name)s has been muted."),
        arguments=lambda form: {"duration": form.duration, "reason": form.cleaned_data["reason"]},
    )


@login_required
@require_POST
def unmute_member(request, slug, user_id):
    return _act_on_member(
        request,
        slug,
        user_id,
        form_class=forms.ConfirmForm,
        service=services.unmute_member,
        done=_("%(name)s can post again."),
        arguments=lambda form: {},
    )


@login_required
def invite(request, slug):
    group, _membership = _moderated_group(request, slug)
    form = forms.InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invited = _run(
            request,
            services.invite,
            _("The invitation has been sent."),
            inviter=request.user,
            group=group,
            user=form.invited_user,
            email=form.cleaned_data["who"],
        )
        if invited:
            return redirect("groups:members", group.slug)
    return render(request, "groups/invite.html", {"group": group, "form": form})


@login_required
@require_POST
def revoke_invitation(request, slug, invitation_id):
    group, _membership = _moderated_group(request, slug)
    invitation = get_object_or_404(Invitation, pk=invitation_id, group=group)
    _run(
        request,
        services.revoke_invitation,
        _("The invitation has been withdrawn."),
        actor=request.user,
        invitation=invitation,
    )
    return redirect("groups:members", group.slug)


@login_required
def invitation(request, token):
    """The invitation's own page: the only place a private group shows itself to an outsider."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("group", "invited_by"), token=token
    )
    if not permissions.can_answer_invitation(request.user, invitation):
        raise Http404
    if request.method == "POST":
        return _answer_invitation(request, invitation)
    return render(
        request, "groups/invitation.html", {"invitation": invitation, "group": invitation.group}
    )


def _answer_invitation(request, invitation):
    answer = request.POST.get("answer")
    if answer == "accept":
        accepted = _run(
            request,
            services.accept_invitation,
            _("Welcome to the group!"),
            user=request.user,
            invitation=invitation,
        )
        return redirect(invitation.group if accepted else invitation)
    if answer == "decline":
        _run(
            request,
            services.decline_invitation,
            _("You have declined the invitation."),
            user=request.user,
            invitation=invitation,
        )
        return redirect("groups:directory")
    # Anything else is a broken form, never taken as "no": a decline cannot be undone.
    messages.error(request, _("Choose accept or decline."))
    return redirect(invitation)


@login_required
def settings_page(request, slug):
    group, membership = _moderated_group(request, slug)
    form = forms.GroupSettingsForm(request.POST or None, instance=Group.objects.get(pk=group.pk))
    if request.method == "POST" and form.is_valid():
        if _run(
            request,
            services.update_group_settings,
            _("The settings have been saved."),
            actor=request.user,
            group=group,
            **form.cleaned_data,
        ):
            return redirect("groups:settings", group.slug)
    context = {
        "group": group,
        "form": form,
        "can_archive": permissions.can_archive(request.user, group, membership),
        "archive_form": forms.ReasonForm(),
    }
    return render(request, "groups/settings.html", context)


@login_required
@require_POST
def archive(request, slug):
    group, _membership = _moderated_group(request, slug)
    if group.is_archived:
        _run(
            request,
            services.unarchive_group,
            _("The group is open again."),
            actor=request.user,
            group=group,
        )
        return redirect(group)
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_form_error(form))
        return redirect("groups:settings", group.slug)
    _run(
        request,
        services.archive_group,
        _("The group has been archived. It stays readable."),
        actor=request.user,
        group=group,
        reason=form.cleaned_data["reason"],
    )
    return redirect(group)


@login_required
def moderation_log(request, slug):
    group, membership = _moderated_group(request, slug)
    entries = Paginator(selectors.moderation_log(group), 50).get_page(request.GET.get("page"))
    return render(request, "groups/moderation_log.html", {"group": group, "entries": entries})


@login_required
def review_queue(request):
    if not permissions.can_review_new_groups(request.user):
        raise PermissionDenied
    return render(request, "groups/review_queue.html", {"groups": selectors.pending_groups()})


@login_required
@require_POST
def review(request, slug):
    if not permissions.can_review_new_groups(request.user):
        raise PermissionDenied
    group = get_object_or_404(Group, slug=slug)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_form_error(form))
        return redirect("groups:review_queue")
    approve = form.cleaned_data["decision"] == "approve"
    done = _("The group has been approved.") if approve else _("The group has not been approved.")
    _run(
        request,
        services.review_group,
        done,
        reviewer=request.user,
        group=group,
        approve=approve,
        reason=form.cleaned_data["reason"],
    )
    return redirect("groups:review_queue")
