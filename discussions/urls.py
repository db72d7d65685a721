"""Discussion pages. Thread pages live under their group; a post's own actions
(edit, delete, react, hide) hang off the post id, so they survive a thread move."""

from django.urls import include, path

import groups.urls  # noqa: F401  (registers the id converter)
from discussions import views

app_name = "discussions"

group_patterns = [
    path("", views.thread_list, name="list"),
    path("nieuw/", views.create_thread, name="create"),
    path("leden-zoeken/", views.mention_suggestions, name="mention_suggestions"),
    path("<id:thread_id>/", views.thread, name="thread"),
    path("<id:thread_id>/reageren/", views.reply, name="reply"),
    path("<id:thread_id>/gelezen/", views.mark_read, name="mark_read"),
    path("<id:thread_id>/vastzetten/", views.pin, name="pin"),
    path("<id:thread_id>/sluiten/", views.lock, name="lock"),
    path("<id:thread_id>/verplaatsen/", views.move, name="move"),
]

post_patterns = [
    path("<id:post_id>/", views.post_permalink, name="post"),
    path("<id:post_id>/bewerken/", views.edit_post, name="edit"),
    path("<id:post_id>/versies/", views.post_history, name="history"),
    path("<id:post_id>/verwijderen/", views.delete_post, name="delete"),
    path("<id:post_id>/reactie/", views.react, name="react"),
    path("<id:post_id>/verbergen/", views.hide_post, name="hide"),
    path("<id:post_id>/tonen/", views.unhide_post, name="unhide"),
]

urlpatterns = [
    path("groepen/<slug:slug>/discussies/", include(group_patterns)),
    path("discussies/berichten/", include(post_patterns)),
]
