"""The WebSocket of a board's pages (board list and idea page). The protocol is docs/realtime.md.

The catch-up, gap filling and re-checks are the thread socket's (discussions
.consumers.SequencedSocket); frames arrive serialised once per language from
``ideas.events`` and go out as they are: no per-recipient query except a
permission re-check now and then.
"""

import time
from dataclasses import dataclass

from channels.db import database_sync_to_async

from discussions.consumers import SLOW, SequencedSocket, viewer_language
from discussions.events import access_stream
from hub.consumers import CLOSE_FORBIDDEN, CLOSE_NOT_FOUND
from ideas import events, permissions
from ideas.models import Board


@dataclass(frozen=True)
class BoardAccess:
    group_id: int
    last_seq: int
    can_view: bool


@database_sync_to_async
def _board_access(user, board_id: int) -> BoardAccess | None:
    board = Board.objects.select_related("group").filter(pk=board_id).first()
    if board is None:
        return None
    return BoardAccess(
        group_id=board.group_id,
        last_seq=board.last_seq,
        can_view=permissions.can_view_board(user, board),
    )


class BoardConsumer(SequencedSocket):
    """``/ws/boards/<id>/?after=<seq>``: a board's events (new ideas, votes, changes)."""

    catch_up_limit = events.CATCH_UP_LIMIT

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.board_id = 0
        self.group_id = 0

    async def open(self):
        self.board_id = int(self.scope["url_route"]["kwargs"]["board_id"])
        self.language = viewer_language(self.scope)
        async with self.lock:
            access = await _board_access(self.user, self.board_id)
            if access is None:
                await self.end(CLOSE_NOT_FOUND)
                return
            if not access.can_view:
                await self.end(CLOSE_FORBIDDEN)
                return
            self.checked_at = time.monotonic()
            self.group_id = access.group_id
            await self.share(events.board_stream(self.board_id))
            await self.subscribe(access_stream(self.group_id))
            await self.start(access.last_seq)

    async def check_access(self) -> int | None:
        access = await _board_access(self.user, self.board_id)
        if access is None:
            return CLOSE_NOT_FOUND
        return None if access.can_view else CLOSE_FORBIDDEN

    def current_seq(self) -> int:
        return (
            Board.objects.filter(pk=self.board_id).values_list("last_seq", flat=True).first() or 0
        )

    def frames_after(self, after: int, limit: int) -> list[dict]:
        return events.frames_after(self.board_id, after, self.language, limit=limit)

    def quick(self, message) -> str:
        return self.quick_forward(message) if message["type"] == "board.event" else SLOW

    async def board_event(self, message):
        await self.forward(message)
