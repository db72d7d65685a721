"""Idea board pages: parse, check permission, call one service or selector, render.

Boards live under their group's URL; an idea's own pages and actions hang off the
idea id. Reading follows the group (404 for people who may not see it); writes need
the matching ``permissions.can_*`` (403; the services check again). A broken board
rule (budget spent, voting closed…) is a message or a form error, never an error page.
Vote, unvote, follow and comment answer fetch() callers (boards.js) with JSON.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from discussions.models import Post, Thread
from discussions.services import PostingTooFast
from discussions.shortcuts import readable_thread_or_404
from groups import permissions as group_permissions
from groups.shortcuts import visible_group_or_404
from hub.http import first_form_error, json_error, require, wants_json
from ideas import forms, fragments, permissions, ranking, selectors, services
from ideas.models import Board, Comment, Idea
from ideas.services import IdeaActionError

PAGE = "pagina"
PAGE_SIZE = 24
SORTS = {
    "top": gettext_lazy("Top"),
    "trending": gettext_lazy("Trending"),
    "nieuw": gettext_lazy("New"),
}
RANKING_OF = {"top": "top", "trending": "trending", "nieuw": "new"}
get_or_post = require_http_methods(["GET", "HEAD", "POST"])


# --- Looking things up -----------------------------------------------------------------


def _visible_board(request, slug, board_id) -> tuple[Board, object]:
    board = get_object_or_404(Board.objects.select_related("group"), pk=board_id, group__slug=slug)
    membership = group_permissions.membership_of(request.user, board.group)
    if not permissions.can_view_board(request.user, board, membership):
        raise Http404
    return board, membership


def _visible_idea(request, idea_id) -> tuple[Idea, object]:
    idea = get_object_or_404(
        Idea.objects.select_related(
            "board__group", "author", "duplicate_of", "thread__group", "hidden_by", "owner"
        ),
        pk=idea_id,
    )
    membership = group_permissions.membership_of(request.user, idea.board.group)
    if not permissions.can_view_idea(request.user, idea, membership):
        raise Http404
    return idea, membership


def _visible_comment(request, comment_id) -> tuple[Comment, object]:
    comment = get_object_or_404(
        Comment.objects.select_related("idea__board__group", "author"), pk=comment_id
    )
    membership = group_permissions.membership_of(request.user, comment.idea.board.group)
    if not permissions.can_view_idea(request.user, comment.idea, membership):
        raise Http404
    return comment, membership


# --- Small helpers ---------------------------------------------------------------------


def _apply(form, action, **kwargs):
    """Call a service; a broken board rule becomes a form error. None when it failed."""
    try:
        return action(**kwargs)
    except (IdeaActionError, PostingTooFast) as error:
        form.add_error(None, str(error))
        return None


def _back(request, idea: Idea) -> str:
    """Where a plain form post returns: the page it came from if it is ours, else the idea."""
    referer = request.headers.get("Referer", "")
    host = request.get_host()
    for prefix in (f"http://{host}/", f"https://{host}/"):
        if referer.startswith(prefix):
            path = "/" + referer[len(prefix) :]
            if path.startswith(("/groepen/", "/ideeen/")):
                return path
    return idea.get_absolute_url()


def _viewer(user, board: Board, membership, voted_ids=frozenset()) -> dict:
    """What the idea card needs to know about the person looking (see _idea_card.html)."""
    return {
        "id": user.pk,
        "can_vote": board.voting_is_open()
        and group_permissions.can_post(user, board.group, membership),
        "can_moderate": permissions.can_moderate_ideas(user, board, membership),
        "voted_ids": set(voted_ids),
    }


def _vote_answer(request, idea: Idea, voted: bool, message: str):
    """After a vote action: JSON for boards.js, else back to the page with a message.

    The service left the idea's count as its transaction wrote it; whether the person
    supports the idea follows from the action (a "no change" means it already was so)."""
    if wants_json(request):
        return JsonResponse(
            {
                "votes": idea.vote_count,
                "voted": voted,
                "votes_left": selectors.votes_left(request.user, idea.board),
                "message": message,
            }
        )
    messages.success(request, message)
    return redirect(_back(request, idea))


def _refused(request, idea: Idea, error: Exception):
    if wants_json(request):
        status = 429 if isinstance(error, PostingTooFast) else 409
        return json_error(str(error), status)
    messages.error(request, str(error))
    return redirect(_back(request, idea))


def _denied(request):
    """PermissionDenied from a service: JSON 403 for fetch callers, the 403 page otherwise."""
    if wants_json(request):
        return json_error(_("You are not allowed to do this."), 403)
    raise PermissionDenied


# --- Boards ----------------------------------------------------------------------------


@login_required
@require_safe
def boards(request, slug):
    group, membership = visible_group_or_404(request.user, slug)
    context = {
        "group": group,
        "membership": membership,
        "boards": selectors.boards_with_counts(group),
        "can_manage": permissions.can_manage_boards(request.user, group, membership),
        "can_moderate": group_permissions.can_moderate(request.user, group, membership),
    }
    return render(request, "ideas/board_list.html", context)


@login_required
@get_or_post
def create_board(request, slug):
    group, membership = visible_group_or_404(request.user, slug)
    require(permissions.can_manage_boards(request.user, group, membership))
    form = forms.BoardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        board = _apply(
            form, services.create_board, moderator=request.user, group=group, **form.cleaned_data
        )
        if board:
            messages.success(request, _("The board is ready for ideas."))
            return redirect(board)
    return render(request, "ideas/board_form.html", {"group": group, "form": form, "board": None})


@login_required
@require_safe
def board(request, slug, board_id):
    board, membership = _visible_board(request, slug, board_id)
    sort = request.GET.get("sortering") if request.GET.get("sortering") in SORTS else "top"
    status = request.GET.get("status") if request.GET.get("status") in Idea.Status.values else ""
    tags = list(board.tags.all())
    tag_id = forms.parse_id(request.GET.get("tag"))
    tag = next((t for t in tags if t.pk == tag_id), None)
    ideas = selectors.board_ideas(
        board,
        sort=RANKING_OF[sort],
        status=status,
        tag_id=tag.pk if tag else None,
        voter=request.user,
    )
    page = Paginator(ideas, PAGE_SIZE).get_page(request.GET.get(PAGE))
    shown = list(page.object_list)
    voted = {idea.pk for idea in shown if idea.voted}
    viewer = _viewer(request.user, board, membership, voted)
    cards = fragments.cached_cards(board, shown)
    card_viewer = fragments.Viewer(request.user.pk, viewer["can_vote"], frozenset(voted))
    cards_html = fragments.personalise("".join(cards), card_viewer, request)
    filters = {"status": status, "tag": tag.pk if tag else ""}
    filters = {key: value for key, value in filters.items() if value}
    sort_links = [
        (key, label, "?" + urlencode({"sortering": key, **filters})) for key, label in SORTS.items()
    ]
    filters = {"sortering": sort, **filters}
    context = {
        "group": board.group,
        "board": board,
        "membership": membership,
        "page": page,
        "ideas": shown,
        "page_param": PAGE,
        "query_string": urlencode(filters),
        "sort": sort,
        "sort_links": sort_links,
        "status": status,
        "statuses": Idea.Status.choices,
        "tags": tags,
        "tag": tag,
        "viewer": viewer,
        "cards_html": mark_safe(cards_html),  # noqa: S308  (rendered cards, markers filled in)
        "votes_left": selectors.votes_left(request.user, board) if membership else None,
        "can_add_idea": permissions.can_add_idea(request.user, board, membership),
        "can_manage": permissions.can_manage_boards(request.user, board.group, membership),
        "half_life_hours": ranking.half_life().total_seconds() / 3600,
    }
    return render(request, "ideas/board.html", context)


@login_required
@get_or_post
def board_settings(request, slug, board_id):
    board, membership = _visible_board(request, slug, board_id)
    require(permissions.can_manage_boards(request.user, board.group, membership))
    initial = forms.BoardSettingsForm.initial_for(board)
    form = forms.BoardSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        tags = fields.pop("tags")
        if _apply(
            form, services.update_board, moderator=request.user, board=board, tags=tags, **fields
        ):
            messages.success(request, _("The board settings have been saved."))
            return redirect(board)
    context = {"group": board.group, "board": board, "form": form}
    return render(request, "ideas/board_form.html", context)


@login_required
@get_or_post
def create_idea(request, slug, board_id):
    board, membership = _visible_board(request, slug, board_id)
    require(permissions.can_add_idea(request.user, board, membership))
    form = forms.IdeaForm(request.POST or None, board=board)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        idea = _apply(
            form,
            services.create_idea,
            author=request.user,
            board=board,
            title=data["title"],
            body=data["body"],
            tag_ids=form.tag_ids(),
        )
        if idea:
            messages.success(request, _("Your idea has been added. Colleagues can now support it."))
            return redirect(idea)
    similar = selectors.similar_ideas(board, form["title"].value() or "") if form.is_bound else []
    context = {"group": board.group, "board": board, "form": form, "similar": similar}
    return render(request, "ideas/idea_form.html", context)


@login_required
@require_safe
def similar(request, slug, board_id):
    """Ideas on the board whose titles look like ``?titel=`` (to avoid duplicates)."""
    board, _membership = _visible_board(request, slug, board_id)
    title = (request.GET.get("titel") or "").replace("\x00", "")[:200]
    exclude = forms.parse_id(request.GET.get("behalve"))
    found = [
        {
            "id": idea.pk,
            "title": idea.title,
            "url": idea.get_absolute_url(),
            "votes": idea.vote_count,
            "status": idea.get_status_display(),
        }
        for idea in selectors.similar_ideas(board, title, exclude_id=exclude)
    ]
    return JsonResponse(found, safe=False)


# --- From a discussion -----------------------------------------------------------------


@login_required
@get_or_post
def promote(request, slug, thread_id):
    thread, _membership = readable_thread_or_404(request.user, thread_id)
    post = _promoted_post(thread, request.POST.get("post") or request.GET.get("bericht"))
    require(permissions.can_promote(request.user, thread, post))
    boards = selectors.open_boards(thread.group)
    initial = {"title": thread.title, "post": post.pk if post else None}
    form = forms.PromoteForm(request.POST or None, boards=boards, initial=initial)
    if request.method == "POST" and form.is_valid():
        idea = _apply(
            form,
            services.promote,
            actor=request.user,
            thread=thread,
            board=form.cleaned_data["board"],
            post=post,
            title=form.cleaned_data["title"],
        )
        if idea:
            messages.success(request, _("The idea is on the board, linked to this discussion."))
            return redirect(idea)
    context = {"group": thread.group, "thread": thread, "post": post, "form": form}
    return render(request, "ideas/promote.html", context)


def _promoted_post(thread: Thread, value) -> Post | None:
    """``?bericht=``: a visible post of this thread, or 404; nothing means the whole thread."""
    if value in (None, ""):
        return None
    post_id = forms.parse_id(value)
    post = thread.posts.select_related("author").filter(pk=post_id).first() if post_id else None
    if post is None or not post.is_visible:
        raise Http404
    return post


# --- Ideas -----------------------------------------------------------------------------


@login_required
@require_safe
def idea(request, idea_id):
    idea, membership = _visible_idea(request, idea_id)
    return _idea_page(request, idea, membership, forms.CommentForm())


def _idea_page(request, idea, membership, comment_form, status=200):
    user, board = request.user, idea.board
    voted = selectors.has_voted(user, idea)
    can_moderate = permissions.can_moderate_ideas(user, board, membership)
    context = {
        "group": board.group,
        "board": board,
        "idea": idea,
        "membership": membership,
        "tags": list(idea.tags.all()),
        "history": list(selectors.idea_history(idea)),
        "comments": list(selectors.comments_for_display(idea).prefetch_related("revisions")),
        "duplicates": list(idea.duplicates.filter(hidden_at__isnull=True).only("pk", "title")),
        "viewer": {
            **_viewer(user, board, membership, {idea.pk} if voted else ()),
            "can_comment": permissions.can_comment(user, idea, membership),
            "is_staff": user.is_staff,
        },
        "voted": voted,
        "votes_left": selectors.votes_left(user, board) if membership else None,
        "following": selectors.is_following(user, idea),
        "shows_text": not idea.is_hidden or can_moderate,
        "can_moderate": can_moderate,
        "can_edit": permissions.can_edit_idea(user, idea, membership),
        "can_comment": permissions.can_comment(user, idea, membership),
        "can_change_status": permissions.can_change_status(user, idea, membership),
        "can_move_vote": voted and idea.duplicate_of_id is not None,
        "comment_form": comment_form,
    }
    return render(request, "ideas/idea.html", context, status=status)


@login_required
@get_or_post
def edit_idea(request, idea_id):
    idea, membership = _visible_idea(request, idea_id)
    require(permissions.can_edit_idea(request.user, idea, membership))
    initial = {"title": idea.title, "body": idea.body, "tags": list(idea.tags.all())}
    form = forms.IdeaForm(request.POST or None, board=idea.board, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        tag_ids = form.tag_ids() if "tags" in form.fields else None
        edited = _apply(
            form,
            services.edit_idea,
            editor=request.user,
            idea=idea,
            title=data["title"],
            body=data["body"],
            tag_ids=tag_ids,
        )
        if edited:
            messages.success(request, _("The idea has been changed."))
            return redirect(idea)
    context = {"group": idea.board.group, "board": idea.board, "idea": idea, "form": form}
    return render(request, "ideas/idea_form.html", context)


@login_required
@require_safe
def idea_history(request, idea_id):
    """Earlier versions of the idea's text. A hidden idea's text stays with the moderators."""
    idea, membership = _visible_idea(request, idea_id)
    can_moderate = permissions.can_moderate_ideas(request.user, idea.board, membership)
    shows_text = not idea.is_hidden or can_moderate
    context = {
        "group": idea.board.group,
        "board": idea.board,
        "idea": idea,
        "shows_text": shows_text,
        "revisions": idea.revisions.order_by("-id") if shows_text else [],
    }
    return render(request, "ideas/idea_history.html", context)


# --- Votes -----------------------------------------------------------------------------


def _vote_action(request, idea_id, voted: bool, done: str, unchanged: str):
    # Read, checked, locked and voted in one transaction from the id (the idea page's
    # joins cost more than the vote). An idea the person may not see is not there.
    try:
        idea, changed = services.vote_by_id(user=request.user, idea_id=idea_id, support=voted)
    except Idea.DoesNotExist:
        raise Http404 from None
    except IdeaActionError as error:
        return _refused(request, Idea(pk=idea_id), error)  # only its address is used
    except PermissionDenied:
        return _denied(request)
    return _vote_answer(request, idea, voted, done if changed else unchanged)


@login_required
@require_POST
def vote(request, idea_id):
    return _vote_action(
        request,
        idea_id,
        True,
        _("Your vote has been counted."),
        _("You already support this idea."),
    )


@login_required
@require_POST
def unvote(request, idea_id):
    return _vote_action(
        request,
        idea_id,
        False,
        _("Your vote has been taken back."),
        _("You had not voted for this idea."),
    )


@login_required
@require_POST
def move_vote(request, idea_id):
    """From a duplicate to its original: the supporter chooses to."""
    idea, membership = _visible_idea(request, idea_id)
    require(group_permissions.can_post(request.user, idea.board.group, membership))
    if idea.duplicate_of is None:
        return _refused(request, idea, IdeaActionError(_("This idea is not a duplicate.")))
    original = idea.duplicate_of
    try:
        services.move_vote(user=request.user, from_idea=idea, to_idea=original)
    except IdeaActionError as error:
        return _refused(request, idea, error)
    messages.success(request, _("Your vote now supports the original idea."))
    return redirect(original)


# --- Decisions -------------------------------------------------------------------------


@login_required
@get_or_post
def change_status(request, idea_id):
    idea, membership = _visible_idea(request, idea_id)
    require(permissions.can_change_status(request.user, idea, membership))
    candidates = selectors.ideas_to_duplicate(idea)
    initial = {"status": idea.status, "duplicate_of": idea.duplicate_of_id}
    form = forms.StatusForm(
        request.POST or None,
        idea=idea,
        candidates=candidates,
        offered=selectors.duplicate_suggestions(idea),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        change = _apply(
            form,
            services.change_status,
            actor=request.user,
            idea=idea,
            status=data["status"],
            response=data["response"],
            duplicate_of=data["duplicate_of"],
        )
        if change:
            messages.success(request, _("The decision is on the idea page; followers are told."))
            return redirect(idea)
    context = {"group": idea.board.group, "board": idea.board, "idea": idea, "form": form}
    return render(request, "ideas/status_form.html", context)


@login_required
@require_POST
def follow(request, idea_id):
    idea, _membership = _visible_idea(request, idea_id)
    form = forms.FollowForm(request.POST)
    if not form.is_valid():
        if wants_json(request):
            return json_error(first_form_error(form), 400)
        messages.error(request, first_form_error(form))
        return redirect(idea)
    following = form.cleaned_data["follow"]
    if following:
        services.follow(user=request.user, idea=idea)
        message = _("You follow this idea: you hear about its decisions.")
    else:
        services.unfollow(user=request.user, idea=idea)
        message = _("You no longer follow this idea.")
    if wants_json(request):
        return JsonResponse({"following": following, "message": message})
    messages.success(request, message)
    return redirect(idea)


# --- Comments ----------------------------------------------------------------------------


def _comment_url(comment: Comment) -> str:
    return f"{comment.idea.get_absolute_url()}#comment-{comment.pk}"


@login_required
@require_POST
def comment(request, idea_id):
    idea, membership = _visible_idea(request, idea_id)
    require(permissions.can_comment(request.user, idea, membership))
    form = forms.CommentForm(request.POST)
    if not form.is_valid():
        if wants_json(request):
            return json_error(first_form_error(form), 400)
        return _idea_page(request, idea, membership, form, status=400)
    try:
        new = services.add_comment(author=request.user, idea=idea, body=form.cleaned_data["body"])
    except (IdeaActionError, PostingTooFast) as error:
        if wants_json(request):
            return _refused(request, idea, error)
        form.add_error(None, str(error))
        status = 429 if isinstance(error, PostingTooFast) else 409
        return _idea_page(request, idea, membership, form, status=status)
    if wants_json(request):
        html = render_to_string(
            "ideas/_comment.html",
            {
                "comment": new,
                "idea": idea,
                "viewer": {
                    **_viewer(request.user, idea.board, membership),
                    "can_comment": True,
                    "is_staff": request.user.is_staff,
                },
            },
            request=request,
        )
        return JsonResponse({"comment": new.pk, "url": _comment_url(new), "html": html}, status=201)
    return redirect(_comment_url(new))


@login_required
@get_or_post
def edit_comment(request, comment_id):
    comment, membership = _visible_comment(request, comment_id)
    require(permissions.can_edit_comment(request.user, comment, membership))
    form = forms.CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        body = form.cleaned_data["body"]
        if _apply(form, services.edit_comment, editor=request.user, comment=comment, body=body):
            messages.success(request, _("Your comment has been changed."))
            return redirect(_comment_url(comment))
    context = {
        "group": comment.idea.board.group,
        "idea": comment.idea,
        "comment": comment,
        "form": form,
    }
    return render(request, "ideas/comment_edit.html", context)


@login_required
@get_or_post
def delete_comment(request, comment_id):
    comment, _membership = _visible_comment(request, comment_id)
    if comment.deleted_at:
        messages.info(request, _("This comment has already been removed."))
        return redirect(_comment_url(comment))
    require(permissions.can_delete_comment(request.user, comment))
    if request.method == "POST":
        services.delete_comment(actor=request.user, comment=comment)
        messages.success(request, _("The comment has been removed."))
        return redirect(_comment_url(comment))
    context = {"group": comment.idea.board.group, "idea": comment.idea, "comment": comment}
    return render(request, "ideas/comment_delete.html", context)


# --- Moderation ----------------------------------------------------------------------------


@login_required
@get_or_post
def hide_idea(request, idea_id):
    idea, membership = _visible_idea(request, idea_id)
    require(permissions.can_moderate_ideas(request.user, idea.board, membership))
    form = forms.HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if _apply(form, services.hide_idea, moderator=request.user, idea=idea, reason=reason):
            messages.success(request, _("The idea is hidden. Everyone sees your reason."))
            return redirect(idea)
    context = {"group": idea.board.group, "board": idea.board, "idea": idea, "form": form}
    return render(request, "ideas/hide.html", context)


@login_required
@require_POST
def unhide_idea(request, idea_id):
    idea, membership = _visible_idea(request, idea_id)
    require(permissions.can_moderate_ideas(request.user, idea.board, membership))
    try:
        services.unhide_idea(moderator=request.user, idea=idea)
    except IdeaActionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The idea can be read again."))
    return redirect(idea)


@login_required
@require_POST
def lock_comments(request, idea_id):
    idea, membership = _visible_idea(request, idea_id)
    require(permissions.can_moderate_ideas(request.user, idea.board, membership))
    form = forms.FlagForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_form_error(form))
        return redirect(idea)
    locked = form.cleaned_data["value"]
    services.set_comments_locked(moderator=request.user, idea=idea, locked=locked)
    messages.success(
        request,
        _("Comments on this idea are closed.") if locked else _("Comments are open again."),
    )
    return redirect(idea)


@login_required
@get_or_post
def hide_comment(request, comment_id):
    comment, membership = _visible_comment(request, comment_id)
    require(permissions.can_moderate_ideas(request.user, comment.idea.board, membership))
    form = forms.HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if _apply(
            form, services.hide_comment, moderator=request.user, comment=comment, reason=reason
        ):
            messages.success(request, _("The comment is hidden. Everyone sees your reason."))
            return redirect(_comment_url(comment))
    context = {
        "group": comment.idea.board.group,
        "idea": comment.idea,
        "comment": comment,
        "form": form,
    }
    return render(request, "ideas/hide.html", context)


@login_required
@require_POST
def unhide_comment(request, comment_id):
    comment, membership = _visible_comment(request, comment_id)
    require(permissions.can_moderate_ideas(request.user, comment.idea.board, membership))
    try:
        services.unhide_comment(moderator=request.user, comment=comment)
    except IdeaActionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The comment can be read again."))
    return redirect(_comment_url(comment))
