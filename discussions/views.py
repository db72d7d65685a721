"""Discussion pages: parse, check permission, call one service or selector, render.

Thread pages live under their group's URL; a thread reached under another group's
slug (it was moved) redirects to where it is now. A post's own actions hang off the
post id, so they keep working after a move. Reads are open to whoever may see the
group (404 otherwise); writes need the matching ``permissions.can_*`` (403).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from discussions import events, forms, fragments, permissions, selectors, services
from discussions.models import Post, Thread
from discussions.services import DiscussionError, PostingTooFast
from discussions.shortcuts import readable_thread_or_404
from groups import permissions as group_permissions
from groups.shortcuts import visible_group_or_404
from hub.http import first_form_error, json_error, require, wants_json
from ideas.selectors import linked_ideas, open_boards, promote_rights, thread_promotion

PAGE = "pagina"
LIST_PAGE_SIZE = 25
get_or_post = require_http_methods(["GET", "HEAD", "POST"])


# --- Looking things up -----------------------------------------------------------------


def _visible_post(request, post_id) -> tuple[Post, object]:
    post = get_object_or_404(Post.objects.select_related("thread__group", "author"), pk=post_id)
    membership = permissions.membership_of(request.user, post.thread.group)
    if not permissions.can_read_thread(request.user, post.thread, membership):
        raise Http404
    return post, membership


# --- Small helpers ---------------------------------------------------------------------


def _apply(form, action, **kwargs):
    """Call a service; a broken discussion rule becomes a form error. None when it failed."""
    try:
        return action(**kwargs)
    except DiscussionError as error:
        form.add_error(None, str(error))
        return None


def _post_url(post: Post) -> str:
    """The thread page that shows the post, scrolled to it."""
    page = selectors.page_of_post(post.thread_id, post.pk)
    return f"{post.thread.get_absolute_url()}?{PAGE}={page}#post-{post.pk}"


def _viewer(user, thread: Thread, membership, promote: dict) -> fragments.Viewer:
    """The person looking, as the post partial's markers need them (see fragments.py)."""
    return fragments.Viewer(
        id=user.pk,
        can_reply=permissions.can_reply(user, thread, membership),
        can_moderate=permissions.can_moderate_thread(user, thread, membership),
        is_staff=user.is_staff,
        may_promote=promote["moderator"],
        may_promote_own=promote["poster"],
    )


def _post_html(request, post: Post, membership) -> str:
    """The post as the page shows it, for a fetch() caller to put in place right away."""
    thread = post.thread
    fresh = events.posts_for_display(Post.objects.filter(pk=post.pk)).get()
    promote = promote_rights(thread, request.user, membership)
    html = fragments.render_post(fresh, thread, open_board=promote["open_board"])
    viewer = _viewer(request.user, thread, membership, promote)
    return fragments.personalise(html, viewer, request)


# --- Threads ---------------------------------------------------------------------------


@login_required
@require_safe
def thread_list(request, slug):
    group, membership = visible_group_or_404(request.user, slug)
    threads = selectors.threads_for(group, request.user)
    context = {
        "group": group,
        "membership": membership,
        "page": Paginator(threads, LIST_PAGE_SIZE).get_page(request.GET.get(PAGE)),
        "page_param": PAGE,
        "can_start_thread": permissions.can_start_thread(request.user, group, membership),
        "can_moderate": group_permissions.can_moderate(request.user, group, membership),
    }
    return render(request, "discussions/thread_list.html", context)


@login_required
@get_or_post
def create_thread(request, slug):
    group, membership = visible_group_or_404(request.user, slug)
    require(permissions.can_start_thread(request.user, group, membership))
    form = forms.ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        thread = _apply(
            form, services.create_thread, author=request.user, group=group, **form.cleaned_data
        )
        if thread:
            return redirect(thread)
    return render(request, "discussions/create.html", {"group": group, "form": form})


@login_required
@require_safe
def thread(request, slug, thread_id):
    thread, membership = readable_thread_or_404(request.user, thread_id)
    if slug != thread.group.slug:  # moved to another group: follow it
        query = request.GET.urlencode()
        return redirect(thread.get_absolute_url() + (f"?{query}" if query else ""))
    quoted = selectors.quotable_post(thread, request.GET.get("citeer"))
    if wants_json(request) and "citeer" in request.GET:
        if quoted is None:
            return json_error(_("This message cannot be quoted."), 404)
        return JsonResponse(forms.quote(quoted))
    form = forms.ReplyForm(initial=forms.quote(quoted) if quoted else None)
    return _thread_page(request, thread, membership, form)


def _thread_page(request, thread, membership, form, *, page_number=None, status=200):
    """The thread page; without ?pagina= the page with the first unread post."""
    user = request.user
    state = selectors.reading_state(
        thread,
        user,
        has_open_board=open_boards(thread.group),
        has_ideas=linked_ideas(thread),
    )
    last_read, first_unread = state["last_read"], state["first_unread"]
    paginator = Paginator(Post.objects.filter(thread=thread), selectors.THREAD_PAGE_SIZE)
    paginator.count = thread.post_count  # kept with every post: no COUNT over the thread
    if page_number is None:
        page_number = request.GET.get(PAGE) or selectors.page_to_open(
            thread, last_read, first_unread
        )
    if page_number == "last":
        page_number = paginator.num_pages
    page = paginator.get_page(page_number)
    promote = thread_promotion(
        thread,
        user,
        membership,
        has_open_board=state["has_open_board"],
        has_ideas=state["has_ideas"],
    )
    pieces = fragments.cached_page(thread, page, promote["open_board"])
    if pieces and (last_read is None or pieces[-1][0] > last_read):
        services.mark_read(user=user, thread=thread, post_id=pieces[-1][0])
    viewer = _viewer(user, thread, membership, promote)
    context = {
        "group": thread.group,
        "thread": thread,
        "membership": membership,
        "page": page,
        "page_param": PAGE,
        "post_ids": [pk for pk, _html in pieces],
        "first_unread": first_unread,
        "posts_html": _page_html(request, pieces, first_unread, viewer),
        "promote": promote,
        "viewer": viewer,
        "can_post": permissions.can_start_thread(user, thread.group, membership),
        "form": form,
    }
    if viewer.can_moderate:
        context["move_form"] = forms.MoveForm(groups=selectors.groups_to_move_to(user, thread))
    return render(request, "discussions/thread.html", context, status=status)


def _page_html(request, pieces, first_unread, viewer) -> str:
    """The page's posts for this viewer, with the "new since your last visit" line."""
    shown = first_unread is not None and any(pk == first_unread for pk, _html in pieces)
    divider = render_to_string("discussions/_unread_divider.html") if shown else ""
    html = "".join((divider if pk == first_unread else "") + fragment for pk, fragment in pieces)
    html = fragments.personalise(html, viewer, request)
    return mark_safe(html)  # noqa: S308  (rendered templates and markers filled in)


@login_required
@require_POST
def reply(request, slug, thread_id):
    """A new post. Works under an old slug too: the form may have been open during a move."""
    thread, membership = readable_thread_or_404(request.user, thread_id)
    require(permissions.can_start_thread(request.user, thread.group, membership))
    form = forms.ReplyForm(request.POST)
    post, status = _create_post(request.user, thread, form, membership)
    if post is None and wants_json(request):
        return json_error(first_form_error(form), status)
    if post is None:  # the page again, with the message kept and the error on the form
        return _thread_page(request, thread, membership, form, page_number="last", status=status)
    if wants_json(request):
        # The fragment the readers got live (realtime.js shows this viewer's controls in
        # it), or, if it was not published, the post rendered for this viewer.
        html = getattr(post, "live_html", {}).get(get_language()) or _post_html(
            request, post, membership
        )
        return JsonResponse({"post": post.pk, "url": _post_url(post), "html": html}, status=201)
    return redirect(_post_url(post))


def _create_post(author, thread, form, membership) -> tuple[Post | None, int]:
    """The new post, or None and the status that goes with the error now on the form."""
    if not form.is_valid():
        return None, 400
    reply_to = selectors.post_in_thread(thread, form.cleaned_data["reply_to"])
    body = form.cleaned_data["body"]
    try:
        post = services.create_post(
            author=author, thread=thread, body=body, reply_to=reply_to, membership=membership
        )
    except DiscussionError as error:
        form.add_error(None, str(error))
        return None, 429 if isinstance(error, PostingTooFast) else 400
    post.thread = thread
    return post, 201


@login_required
@require_POST
def mark_read(request, slug, thread_id):
    """realtime.js: the reader saw the posts up to ``post`` (or all of them). Never moves back."""
    thread, _membership = readable_thread_or_404(request.user, thread_id)
    form = forms.MarkReadForm(request.POST)
    if not form.is_valid():
        return json_error(first_form_error(form), 400)
    services.mark_read(user=request.user, thread=thread, post_id=form.cleaned_data["post"])
    return HttpResponse(status=204)


def _set_flag(request, thread_id, service, argument, done_on, done_off):
    """Pin or lock: the form says which way, so a double click does not undo itself."""
    thread, membership = readable_thread_or_404(request.user, thread_id)
    require(permissions.can_moderate_thread(request.user, thread, membership))
    form = forms.FlagForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_form_error(form))
        return redirect(thread)
    value = form.cleaned_data["value"]
    thread = service(moderator=request.user, thread=thread, **{argument: value})
    messages.success(request, done_on if value else done_off)
    return redirect(thread)


@login_required
@require_POST
def pin(request, slug, thread_id):
    return _set_flag(
        request,
        thread_id,
        services.set_pinned,
        "pinned",
        _("The discussion is pinned to the top of the list."),
        _("The discussion is no longer pinned."),
    )


@login_required
@require_POST
def lock(request, slug, thread_id):
    return _set_flag(
        request,
        thread_id,
        services.set_locked,
        "locked",
        _("The discussion is closed. Members can no longer reply."),
        _("The discussion is open again."),
    )


@login_required
@get_or_post
def move(request, slug, thread_id):
    thread, membership = readable_thread_or_404(request.user, thread_id)
    require(permissions.can_moderate_thread(request.user, thread, membership))
    targets = selectors.groups_to_move_to(request.user, thread)
    form = forms.MoveForm(request.POST or None, groups=targets)
    if request.method == "POST" and form.is_valid():
        to_group = form.cleaned_data["group"]
        moved = services.move_thread(moderator=request.user, thread=thread, to_group=to_group)
        messages.success(
            request, _("The discussion has been moved to %(group)s.") % {"group": to_group.name}
        )
        return redirect(moved)
    context = {"group": thread.group, "thread": thread, "form": form}
    return render(request, "discussions/move.html", context)


@login_required
@require_safe
def mention_suggestions(request, slug):
    """Up to 8 members whose name starts with ``q``, for @mentions; only for people who post."""
    group, membership = visible_group_or_404(request.user, slug)
    require(permissions.can_start_thread(request.user, group, membership))
    query = request.GET.get("q", "").replace("\x00", "").strip().lstrip("@")[:150]
    users = selectors.mention_candidates(group, query, exclude=request.user) if query else []
    found = [{"username": user.username, "name": user.name} for user in users]
    return JsonResponse(found, safe=False)


# --- Posts -----------------------------------------------------------------------------


@login_required
@require_safe
def post_permalink(request, post_id):
    post, _membership = _visible_post(request, post_id)
    return redirect(_post_url(post))


@login_required
@get_or_post
def edit_post(request, post_id):
    post, membership = _visible_post(request, post_id)
    require(permissions.can_edit_post(request.user, post, membership))
    form = forms.EditForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        edited = _apply(
            form, services.edit_post, editor=request.user, post=post, body=form.cleaned_data["body"]
        )
        if edited:
            messages.success(request, _("Your message has been changed."))
            return redirect(_post_url(post))
    context = {"group": post.thread.group, "thread": post.thread, "post": post, "form": form}
    return render(request, "discussions/edit.html", context)


@login_required
@require_safe
def post_history(request, post_id):
    """Earlier versions, for every reader. A hidden post's text stays with the moderators."""
    post, membership = _visible_post(request, post_id)
    can_moderate = permissions.can_moderate_thread(request.user, post.thread, membership)
    shows_text = post.is_visible or (post.is_hidden and can_moderate)
    context = {
        "group": post.thread.group,
        "thread": post.thread,
        "post": post,
        "shows_text": shows_text,
        "revisions": post.revisions.order_by("-id") if shows_text else [],
    }
    return render(request, "discussions/history.html", context)


@login_required
@get_or_post
def delete_post(request, post_id):
    post, _membership = _visible_post(request, post_id)
    if post.is_deleted:
        messages.info(request, _("This message has already been removed."))
        return redirect(_post_url(post))
    require(permissions.can_delete_post(request.user, post))
    if request.method == "POST":
        services.delete_post(actor=request.user, post=post)
        messages.success(request, _("The message has been removed."))
        return redirect(_post_url(post))
    context = {"group": post.thread.group, "thread": post.thread, "post": post}
    return render(request, "discussions/delete.html", context)


@login_required
@require_POST
def react(request, post_id):
    post, membership = _visible_post(request, post_id)
    require(permissions.can_react(request.user, post, membership))
    try:
        added = services.toggle_reaction(
            user=request.user, post=post, emoji=request.POST.get("emoji", "")
        )
    except DiscussionError as error:
        if wants_json(request):
            return json_error(str(error), 400)
        messages.error(request, str(error))
        return redirect(_post_url(post))
    if wants_json(request):
        return JsonResponse({"added": added, "html": _post_html(request, post, membership)})
    return redirect(_post_url(post))


@login_required
@get_or_post
def hide_post(request, post_id):
    post, membership = _visible_post(request, post_id)
    require(permissions.can_hide_post(request.user, post, membership))
    form = forms.HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if _apply(form, services.hide_post, moderator=request.user, post=post, reason=reason):
            messages.success(request, _("The message is hidden. Everyone sees your reason."))
            return redirect(_post_url(post))
    context = {"group": post.thread.group, "thread": post.thread, "post": post, "form": form}
    return render(request, "discussions/hide.html", context)


@login_required
@require_POST
def unhide_post(request, post_id):
    post, membership = _visible_post(request, post_id)
    require(permissions.can_hide_post(request.user, post, membership))
    try:
        services.unhide_post(moderator=request.user, post=post)
    except DiscussionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The message can be read again."))
    return redirect(_post_url(post))
