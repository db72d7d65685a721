"""``/ws/notifications/?after=<id>``: the signed-in person's own notifications, live.

The stream ``user.<id>`` carries only a nudge (``notification.new`` with an id, or
``notification.read``); the socket reads what to send from the database, always
filtered by its own user. So a message that reached the wrong stream could never
show someone else's notification. Frames are rendered per socket, in the viewer's
language: a person's stream has only their own few tabs on it.

Notification ids serve as the sequence: the socket remembers the highest it sent and
sends only newer ones, so every notification reaches the page once.
"""

import time

from channels.db import database_sync_to_async
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from discussions.consumers import KringSocket, _after, viewer_language
from discussions.events import serialise
from hub.notifications import selectors
from hub.notifications.services import user_stream


def _text(notification) -> str:
    """One line for the polite announcement: "Anna de Vries mentioned you (Fietsen)"."""
    actor = notification.actor.name if notification.actor else gettext("Someone")
    text = f"{actor} {notification.get_kind_display()}"
    return f"{text} ({notification.group.name})" if notification.group else text


def _frame(notification) -> dict:
    return {
        "type": "notification",
        "seq": notification.pk,
        "id": notification.pk,
        "kind": notification.kind,
        "text": _text(notification),
        "html": render_to_string(
            "notifications/_item.html", {"notification": notification}
        ).strip(),
    }


class NotificationConsumer(KringSocket):
    """The badge count and the new notifications of the signed-in person."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.last_id = 0
        self.language = settings.LANGUAGE_CODE

    async def open(self):
        self.language = viewer_language(self.scope)
        async with self.lock:
            # Subscribed before reading: a notification committed in between comes both
            # ways, and the id check drops the copy.
            await self.subscribe(user_stream(self.user.pk))
            self.checked_at = time.monotonic()
            after = _after(self.scope)
            latest = await database_sync_to_async(selectors.latest_id)(self.user)
            # No after (or one from the future): start from now, nothing to replay.
            self.last_id = latest if after is None else min(after, latest)
            if self.last_id < latest:
                await self.send_new()
            await self.send_unread()
            await self.send(text_data=serialise({"type": "ready", "seq": self.last_id}))

    async def check_access(self) -> int | None:
        return None  # signed in is all it takes: the socket only ever reads the user's own rows

    def _new_frames(self) -> tuple[list[str] | None, int]:
        """``(texts, last id)`` of the user's notifications after ``last_id``; None for the
        texts when there are more than a page should replay."""
        rows = selectors.newer_than(self.user, self.last_id, selectors.CATCH_UP_LIMIT + 1)
        if len(rows) > selectors.CATCH_UP_LIMIT:
            return None, selectors.latest_id(self.user)
        with translation.override(self.language):
            texts = [serialise(_frame(row)) for row in rows]
        return texts, rows[-1].pk if rows else self.last_id

    async def send_new(self) -> None:
        texts, last_id = await database_sync_to_async(self._new_frames)()
        if texts is None:
            # Carry on from the newest: the page the client loads is the truth.
            await self.send(text_data=serialise({"type": "reload"}))
        else:
            for text in texts:
                await self.send(text_data=text)
        self.last_id = max(self.last_id, last_id)

    async def send_unread(self) -> None:
        count = await database_sync_to_async(selectors.unread_count)(self.user)
        await self.send(text_data=serialise({"type": "unread", "count": count}))

    async def _still_signed_in(self) -> bool:
        return not self.check_is_stale() or await self.recheck()

    # --- Messages from the stream -------------------------------------------------------

    async def notification_new(self, message):
        if self.closed:
            return
        async with self.lock:
            if self.closed or not await self._still_signed_in():
                return
            new_id = message.get("id")
            if not isinstance(new_id, int) or new_id > self.last_id:  # else: sent already
                await self.send_new()
            await self.send_unread()

    async def notification_read(self, message):
        if self.closed:
            return
        async with self.lock:
            if self.closed or not await self._still_signed_in():
                return
            await self.send_unread()
