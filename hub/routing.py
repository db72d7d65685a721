"""WebSocket routes. Apps add theirs before the catch-all (discussions, ideas, notifications)."""

from django.urls import re_path

from discussions.consumers import GroupConsumer, ThreadConsumer
from hub.consumers import NotFoundConsumer
from hub.notifications.consumers import NotificationConsumer
from ideas.consumers import BoardConsumer

# Ids as in groups.urls: at most 18 digits, so they fit a bigint.
websocket_urlpatterns: list = [
    re_path(r"^ws/threads/(?P<thread_id>[0-9]{1,18})/$", ThreadConsumer.as_asgi()),
    re_path(r"^ws/groups/(?P<group_id>[0-9]{1,18})/$", GroupConsumer.as_asgi()),
    re_path(r"^ws/boards/(?P<board_id>[0-9]{1,18})/$", BoardConsumer.as_asgi()),
    re_path(r"^ws/notifications/$", NotificationConsumer.as_asgi()),
    re_path(r"", NotFoundConsumer.as_asgi()),
]
