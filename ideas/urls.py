"""Idea board pages. Boards live under their group; an idea's (and a comment's) own pages
and actions hang off its id. Promoting a discussion hangs off the thread."""

from django.urls import include, path

import groups.urls  # noqa: F401  (registers the id converter)
from ideas import views

app_name = "ideas"

board_patterns = [
    path("", views.boards, name="boards"),
    path("nieuw/", views.create_board, name="create_board"),
    path("<id:board_id>/", views.board, name="board"),
    path("<id:board_id>/instellingen/", views.board_settings, name="board_settings"),
    path("<id:board_id>/nieuw-idee/", views.create_idea, name="create_idea"),
    path("<id:board_id>/vergelijkbaar/", views.similar, name="similar"),
]

thread_patterns = [
    path("<id:thread_id>/idee/", views.promote, name="promote"),
]

idea_patterns = [
    path("<id:idea_id>/", views.idea, name="idea"),
    path("<id:idea_id>/bewerken/", views.edit_idea, name="edit_idea"),
    path("<id:idea_id>/versies/", views.idea_history, name="idea_history"),
    path("<id:idea_id>/stem/", views.vote, name="vote"),
    path("<id:idea_id>/stem-intrekken/", views.unvote, name="unvote"),
    path("<id:idea_id>/stem-verplaatsen/", views.move_vote, name="move_vote"),
    path("<id:idea_id>/status/", views.change_status, name="change_status"),
    path("<id:idea_id>/volgen/", views.follow, name="follow"),
    path("<id:idea_id>/reacties/", views.comment, name="comment"),
    path("<id:idea_id>/verbergen/", views.hide_idea, name="hide_idea"),
    path("<id:idea_id>/tonen/", views.unhide_idea, name="unhide_idea"),
    path("<id:idea_id>/reacties-sluiten/", views.lock_comments, name="lock_comments"),
    path("reacties/<id:comment_id>/bewerken/", views.edit_comment, name="edit_comment"),
    path("reacties/<id:comment_id>/verwijderen/", views.delete_comment, name="delete_comment"),
    path("reacties/<id:comment_id>/verbergen/", views.hide_comment, name="hide_comment"),
    path("reacties/<id:comment_id>/tonen/", views.unhide_comment, name="unhide_comment"),
]

urlpatterns = [
    path("groepen/<slug:slug>/borden/", include(board_patterns)),
    path("groepen/<slug:slug>/discussies/", include(thread_patterns)),
    path("ideeen/", include(idea_patterns)),
]
