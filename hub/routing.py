"""WebSocket routes. Apps add theirs before the catch-all (discussions, ideas, notifications)."""

from django.urls import re_path

from hub.consumers import NotFoundConsumer

websocket_urlpatterns: list = [
    re_path(r"", NotFoundConsumer.as_asgi()),
]
