"""WebSocket routes. Apps add theirs here (discussions, ideas, notifications)."""

websocket_urlpatterns: list = []
