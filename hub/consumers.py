from channels.generic.websocket import AsyncWebsocketConsumer

# Close codes in the 4000-4999 range that apps may use; see docs/realtime.md.
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404


class NotFoundConsumer(AsyncWebsocketConsumer):
    """Any WebSocket path no app claims: refuse with a clear code instead of an error."""

    async def connect(self):
        # Accept first: a handshake refused outright reaches a browser only as 1006.
        await self.accept()
        await self.close(code=CLOSE_NOT_FOUND)
