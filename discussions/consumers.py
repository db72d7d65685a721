"""The WebSockets of the discussion pages. The protocol is docs/realtime.md.

Frames from the channel layer arrive serialised (once per language, by
``discussions.events``) and go to the browser as they are: no per-recipient
encoding and no per-recipient query, except a permission re-check now and then.
"""

import asyncio
import functools
import json
import logging
import time
import zlib
from collections import deque
from dataclasses import dataclass
from importlib import import_module
from urllib.parse import parse_qs

from channels.auth import get_user
from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from discussions import events, permissions, presence
from discussions.models import Thread
from groups import permissions as group_permissions
from groups.models import Group
from hub import broadcast
from hub.consumers import CLOSE_FORBIDDEN, CLOSE_NOT_FOUND, CLOSE_UNAUTHENTICATED

logger = logging.getLogger(__name__)

# Like HTTP's 413, 500 and 503, in the range an application may send: daphne (autobahn)
# refuses any other code but 1000, so a close with the protocol's 1009 or 1011 raised in
# daphne and left the socket open and deaf. The client reconnects on all three.
CLOSE_TOO_BIG = 4413
CLOSE_SERVER_ERROR = 4500
CLOSE_UNAVAILABLE = 4503
CLOSE_TOO_FAST = 4429


class LayerUnavailable(Exception):
    """The channel layer (Redis) cannot be reached: the socket closes with 4503."""


MAX_FRAME_BYTES = 4096
MAX_FRAMES_PER_SECOND = 20
RECHECK_AFTER = 60  # seconds a permission answer is trusted
TYPING_EVERY = 2  # seconds; a typing signal from one connection is forwarded at most this often

PONG = events.serialise({"type": "pong"})

# What a socket does with a message offered by its stream (KringSocket.quick).
WRITE = "write"  # in step: the frame goes out now, as it is
DROP = "drop"  # not for this socket (its own typing, a repeat)
SLOW = "slow"  # through the message's handler, awaited, in order


def _error(code: str) -> str:
    return events.serialise({"type": "error", "code": code})


def _supported(code) -> str | None:
    return code if code and code in dict(settings.LANGUAGES) else None


def viewer_language(scope) -> str:
    """As hub.middleware does for pages: the saved choice, the switcher's cookie, the default."""
    user = scope.get("user")
    cookies = scope.get("cookies") or {}
    return (
        _supported(getattr(user, "language", None))
        or _supported(cookies.get(settings.LANGUAGE_COOKIE_NAME))
        or settings.LANGUAGE_CODE
    )


async def _signed_in_user(scope):
    """The user of the socket's session as it is now (None once signed out or deactivated).

    A fresh session store, not the one in the scope: that one was loaded at connect.
    """
    session_key = getattr(scope.get("session"), "session_key", None)
    if not session_key:
        return None
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    user = await get_user({"session": store})
    return user if user.is_authenticated else None


class KringSocket(AsyncWebsocketConsumer):
    """What every Kring socket does alike: refusals by close code, frame limits, ping, errors.

    The handshake is always accepted first, so a browser sees the close code
    (a refused handshake would only show it 1006).
    """

    # Client frame "type" -> name of the method that handles it.
    client_frames = {"ping": "on_ping"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.streams: set[str] = set()
        self.shared: set[str] = set()  # streams joined through hub.broadcast
        self.closed = False
        self.language = settings.LANGUAGE_CODE
        self.wire = None  # daphne's connection, to write shared frames on
        self.behind = 0  # messages handed to their handler and not yet handled
        self._handling = set()
        self.user = None
        self.checked_at = 0.0
        self._recent = deque()
        # The channel layer hands over one message at a time, but the catch-up
        # awaits the database in between; the lock keeps replay and live
        # events from interleaving whatever the dispatcher does.
        self.lock = asyncio.Lock()

    async def dispatch(self, message):
        kind = str(message.get("type", ""))
        if kind.startswith("_") or not hasattr(self, kind.replace(".", "_")):
            # e.g. a newer event type during a rolling deploy
            logger.warning("%s ignores a message of type %r", self.scope["path"], kind)
            return
        try:
            # The handler straight away, not Channels' dispatch: that first hops to the
            # database thread to close old connections, a round trip per recipient of every
            # event (most of the cost of fan-out). Every query here goes through
            # database_sync_to_async, which closes old connections itself.
            await getattr(self, get_handler_name(message))(message)
        except StopConsumer:
            raise
        except Exception:
            logger.exception("%s failed on %s", self.scope["path"], message.get("type"))
            if message["type"] == "websocket.disconnect":
                raise StopConsumer() from None
            # The client reconnects and catches up; never a traceback on the wire.
            await self.end(CLOSE_SERVER_ERROR)

    # --- Connecting and closing ---------------------------------------------

    async def connect(self):
        self.wire = self.scope.get("kring.wire")
        await self.accept()
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.end(CLOSE_UNAUTHENTICATED)
            return
        self.user = user
        try:
            await self.open()
        except LayerUnavailable as error:
            logger.warning("%s: %s", self.scope["path"], error.__cause__ or error)
            await self.layer_lost({})

    async def open(self):
        """Check access, subscribe and greet; close with a code if not allowed."""
        raise NotImplementedError

    async def subscribe(self, stream: str) -> None:
        if stream not in self.streams:
            try:
                await self.channel_layer.group_add(stream, self.channel_name)
            except Exception as error:  # Redis down: no live events to promise
                raise LayerUnavailable(f"could not subscribe to {stream}") from error
            self.streams.add(stream)

    async def share(self, stream: str) -> None:
        """Subscribe through the process's one subscription to ``stream`` (hub.broadcast):
        for streams with many readers, whose events are the same for all of them."""
        if stream not in self.shared:
            try:
                await broadcast.join(self.channel_layer, stream, self)
            except Exception as error:
                raise LayerUnavailable(f"could not subscribe to {stream}") from error
            self.shared.add(stream)

    def offer(self, message, frames: broadcast.Frames) -> None:
        """A message of a shared stream, from hub.broadcast: in step, its frame goes out at
        once; otherwise (a catch-up or re-check running, no daphne wire) its handler takes
        it, after whatever this socket was handed before."""
        if self.closed:
            return
        if self.behind == 0 and self.wire is not None and not self.lock.locked():
            try:
                verdict = self.quick(message)
            except Exception:  # malformed: its handler fails it the usual way (4500)
                verdict = SLOW
            if verdict == DROP:
                return
            if verdict == WRITE:
                if self.wire.is_open():
                    self.wire.write(frames, frames.text(self.language))
                return
        self.handle_later(message)

    def quick(self, message) -> str:
        """WRITE, DROP or SLOW for a shared stream's message, deciding (and noting) what
        its handler would, without awaiting; SLOW whenever that takes a query."""
        return SLOW

    def handle_later(self, message) -> None:
        self.behind += 1
        task = asyncio.get_running_loop().create_task(self._handle(message))
        self._handling.add(task)  # a reference, so the task is not collected mid-way
        task.add_done_callback(self._handling.discard)

    async def _handle(self, message) -> None:
        try:
            await self.dispatch(message)
        except StopConsumer:
            pass
        finally:
            self.behind -= 1

    def layer_gone(self) -> None:
        """hub.broadcast lost a shared stream's subscription."""
        self.shared.clear()
        self.handle_later({"type": "layer.lost"})

    # --- The channel layer going away (Redis down or restarted) --------------------

    _layer_failed = False
    _layer_receive = None

    async def __call__(self, scope, receive, send):
        try:
            await super().__call__(scope, receive, send)
        except Exception as error:
            if self._layer_receive is not None or getattr(self, "channel_layer", None) is None:
                raise
            # The layer failed before the consumer began: its new_channel (Redis down,
            # RedisPubSubChannelLayer subscribes there). Close the way every other layer
            # failure closes, with 4503 after the handshake, not a crashed handshake.
            logger.warning("%s has no channel layer: %r", scope.get("path"), error)
            message = await receive()
            if message["type"] == "websocket.connect":
                await send({"type": "websocket.accept"})
                await send({"type": "websocket.close", "code": CLOSE_UNAVAILABLE})

    @property
    def channel_receive(self):
        return self._receive_from_layer

    @channel_receive.setter
    def channel_receive(self, receive):
        # AsyncConsumer.__call__ sets the layer's receive here; it is used behind the guard.
        self._layer_receive = receive

    async def _receive_from_layer(self):
        """The next message from the channel layer; if the layer fails, one ``layer.lost``
        message (instead of an exception that would crash the consumer), then nothing more."""
        if self._layer_failed:
            await asyncio.Event().wait()  # until the client's disconnect stops the consumer
        try:
            return await self._layer_receive()
        except Exception as error:
            self._layer_failed = True
            logger.warning("%s lost the channel layer: %r", self.scope["path"], error)
            return {"type": "layer.lost"}

    async def layer_lost(self, message):
        """Close with 4503, and the client reconnects with ?after= (backoff) and catches up
        from the database. Staying open would be wrong: a restarted Redis has forgotten
        this socket's groups, so it would never hear of another event.

        Nothing to leave: the layer is gone, a dead channel's group entries expire by
        themselves, and so does its presence entry (presence.TTL).
        """
        if not self.closed:
            self.closed = True
            await self.close(code=CLOSE_UNAVAILABLE)

    async def unsubscribe(self, stream: str) -> None:
        if stream in self.shared:
            self.shared.discard(stream)
            await broadcast.leave(self.channel_layer, stream, self)
        if stream in self.streams:
            self.streams.discard(stream)
            await self.channel_layer.group_discard(stream, self.channel_name)

    async def end(self, code: int) -> None:
        """Stop listening, then close with ``code``."""
        if self.closed:
            return
        self.closed = True
        try:
            await self.leave()
        except Exception:  # still close, whatever went wrong on the way out
            logger.exception("%s could not unsubscribe", self.scope["path"])
        await self.close(code=code)

    async def leave(self) -> None:
        for stream in [*self.shared, *self.streams]:
            await self.unsubscribe(stream)

    async def disconnect(self, code):
        if not self.closed:
            self.closed = True
            await self.leave()
        # Closed for a lost layer, it is still a member of its shared streams here.
        for stream in list(self.shared):
            await self.unsubscribe(stream)

    # --- Permission re-checks ---------------------------------------------------

    @functools.cached_property
    def trusted_for(self) -> float:
        # Each socket trusts its answer for 60 to 90 s (RECHECK_AFTER × 1 to 1.5, fixed per
        # socket): sockets that connected together (a restart, a meeting starting) then ask
        # the database again spread out, not all on the same event.
        return RECHECK_AFTER * (1 + zlib.crc32(self.channel_name.encode()) % 1000 / 2000)

    def check_is_stale(self) -> bool:
        return time.monotonic() - self.checked_at > self.trusted_for

    async def recheck(self) -> bool:
        """Ask the permission functions again; close the socket and return False if refused."""
        user = await _signed_in_user(self.scope)
        if user is None or user.pk != self.user.pk:
            await self.end(CLOSE_UNAUTHENTICATED)
            return False
        self.user = user
        code = await self.check_access()
        self.checked_at = time.monotonic()
        if code is not None:
            await self.end(code)
            return False
        return True

    async def check_access(self) -> int | None:
        """None if ``self.user`` may stay, else the close code; updates what the socket knows."""
        raise NotImplementedError

    async def access_changed(self, message):
        """Someone's rights in the group changed: if they may be ours, ask again at once."""
        if self.closed:
            return
        user_id = message.get("user_id")
        if user_id is None or user_id == self.user.pk:
            async with self.lock:
                if not self.closed:
                    await self.recheck()

    # --- Frames from the client ---------------------------------------------------

    def _flooding(self) -> bool:
        now = time.monotonic()
        self._recent.append(now)
        while self._recent[0] <= now - 1:
            self._recent.popleft()
        return len(self._recent) > MAX_FRAMES_PER_SECOND

    async def receive(self, text_data=None, bytes_data=None):
        if self.closed:
            return
        if self._flooding():
            await self.end(CLOSE_TOO_FAST)
            return
        size = len(bytes_data or b"") if text_data is None else len(text_data.encode())
        if size > MAX_FRAME_BYTES:
            await self.end(CLOSE_TOO_BIG)
            return
        if text_data is None:
            await self.send(text_data=_error("binary"))
            return
        try:
            data = json.loads(text_data)
        except (ValueError, RecursionError):
            await self.send(text_data=_error("invalid_json"))
            return
        kind = data.get("type") if isinstance(data, dict) else None
        handler = self.client_frames.get(kind) if isinstance(kind, str) else None
        if handler is None:
            await self.send(text_data=_error("unknown_type"))
            return
        await getattr(self, handler)(data)

    async def on_ping(self, data):
        await self.send(text_data=PONG)
        if self.check_is_stale():
            async with self.lock:
                if not self.closed:
                    await self.recheck()


# The newest seq of each log, per process: (event loop, socket class, path) ->
# (monotonic time read, task reading it). See SequencedSocket.newest_seq.
_probes: dict[tuple, tuple[float, asyncio.Future]] = {}
PROBE_EVERY = 1.0  # seconds


def _after(scope) -> int | None:
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("after")
    if not values or not values[0].isascii() or not values[0].isdigit() or len(values[0]) > 18:
        return None
    return int(values[0])


class SequencedSocket(KringSocket):
    """A socket on one object's event log (seq 1, 2, 3 …): catch-up, repeats, gaps, reload.

    Subclasses say where the log is (``current_seq``, ``frames_after``, both
    synchronous: they run in a database thread) and call ``start`` once they
    have checked access and subscribed; live events go through ``forward``.
    The client sees every committed event exactly once, in seq order.
    """

    catch_up_limit = events.CATCH_UP_LIMIT

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.last_seq = 0

    def current_seq(self) -> int:
        """The log's newest seq, from the database."""
        raise NotImplementedError

    def frames_after(self, after: int, limit: int) -> list[dict]:
        """The frames of the events after ``after``, oldest first, in ``self.language``."""
        raise NotImplementedError

    def needs_recheck(self, message) -> bool:
        """Ask the permissions again before forwarding this event?"""
        return self.check_is_stale()

    def noted(self, message, gap: bool) -> None:
        """Hook: an event is about to be forwarded (``gap``: events before it were replayed)."""

    def _missed(self, after: int, upto: int | None):
        """``(frames, upto)``: the (seq, text) of each event after ``after`` up to ``upto``
        (default: the newest), or None for frames if there are more than a client should
        replay."""
        last_seq = self.current_seq()
        upto = last_seq if upto is None else min(upto, last_seq)
        if upto - after > self.catch_up_limit:
            return None, upto
        if upto <= after:
            return [], upto
        frames = self.frames_after(after, upto - after)
        # A log with holes (rows deleted with what they were about) may reach past upto.
        return [(f["seq"], events.serialise(f)) for f in frames if f["seq"] <= upto], upto

    async def start(self, last_seq: int) -> None:
        """Replay what came after ``?after=`` and say ready. Call under the lock, subscribed:
        an event committed in between comes both ways and the seq check drops the copy."""
        after = _after(self.scope)
        self.last_seq = last_seq if after is None else min(after, last_seq)
        await self.send_missed()
        await self.send(text_data=events.serialise({"type": "ready", "seq": self.last_seq}))

    async def send_missed(self, upto: int | None = None) -> None:
        """Replay from the database what came after ``last_seq``; too much means reload."""
        frames, upto = await database_sync_to_async(self._missed)(self.last_seq, upto)
        if frames is None:
            await self.send(text_data=events.serialise({"type": "reload"}))
            # Carry on from there: the page the client loads is the truth.
            self.last_seq = upto
            return
        for seq, text in frames:
            await self.send(text_data=text)
            self.last_seq = seq

    async def newest_seq(self) -> int:
        """``current_seq``, as read at most ``PROBE_EVERY`` seconds ago by any socket of this
        process on the same log (one query per log per second, whatever the number of
        sockets pinging; a stale answer only delays the catch-up to a later ping)."""
        key = (asyncio.get_running_loop(), type(self), self.scope["path"])
        now = time.monotonic()
        probe = _probes.get(key)
        if probe is None or now - probe[0] > PROBE_EVERY:
            for old in [k for k, (at, _task) in _probes.items() if now - at > 60]:
                del _probes[old]
            probe = _probes[key] = (now, asyncio.ensure_future(self._read_current_seq()))
        return await asyncio.shield(probe[1])

    async def _read_current_seq(self) -> int:
        return await database_sync_to_async(self.current_seq)()

    async def on_ping(self, data):
        """Pong, and catch up on events the layer lost with nothing after them to show the
        gap (Redis down or reconnecting while they were published): at the latest one
        ping (25 s) later the client has them."""
        await super().on_ping(data)
        if self.closed or await self.newest_seq() <= self.last_seq:
            return
        async with self.lock:
            if self.closed:
                return
            # What was lost may be what changed the rights (a move): ask them again first.
            if await self.recheck():
                await self.send_missed()

    def quick_forward(self, message) -> str:
        """``forward``'s common case without awaiting: the next event, nothing to ask."""
        seq = message["seq"]
        if seq <= self.last_seq:
            return DROP
        if seq != self.last_seq + 1 or self.needs_recheck(message):
            return SLOW
        self.noted(message, False)
        self.last_seq = seq
        return WRITE

    def text_for(self, frames: dict) -> str:
        return broadcast.in_language(frames, self.language)

    async def forward(self, message) -> None:
        """A committed event from the layer: drop repeats, fill gaps, keep the order."""
        if self.closed:
            return
        async with self.lock:
            seq = message["seq"]
            if self.closed or seq <= self.last_seq:
                return
            if self.needs_recheck(message) and not await self.recheck():
                return
            gap = seq > self.last_seq + 1
            if gap:
                await self.send_missed(upto=seq - 1)
            self.noted(message, gap)
            if seq <= self.last_seq:
                return
            await self.send(text_data=self.text_for(message["frames"]))
            self.last_seq = seq


# Arrivals and departures within this many seconds share one presence frame (per process).
PRESENCE_EVERY = 1.0
# (event loop, thread id) -> when that thread's next presence frame may go out; daphne has
# one loop, tests one per test.
_presence_due: dict[tuple, float] = {}
_presence_later: dict[tuple, asyncio.Task] = {}


async def _announce_presence(layer, thread_id: int) -> None:
    """Send everyone on the thread who is viewing it now.

    A frame lists everyone, so when 1,000 people open a thread at once (a meeting starts,
    a process restarts) one frame per ``PRESENCE_EVERY`` says it all: without this each
    arrival would send the whole list to everyone, N² frames of size N.
    """
    loop = asyncio.get_running_loop()
    key = (loop, thread_id)
    if key in _presence_later:  # one is on its way; it reads the list after this change
        return
    now = time.monotonic()
    if len(_presence_due) > 1000:  # forget threads gone quiet and loops gone
        for stale in [k for k, due in _presence_due.items() if due < now or k[0].is_closed()]:
            del _presence_due[stale]
    wait = _presence_due.get(key, 0.0) - now
    if wait <= 0:
        _presence_due[key] = now + PRESENCE_EVERY
        await _send_presence(layer, thread_id)
        return
    _presence_later[key] = loop.create_task(_send_presence_later(layer, thread_id, key, wait))


async def _send_presence_later(layer, thread_id: int, key: tuple, wait: float) -> None:
    try:
        await asyncio.sleep(wait)
    finally:
        # Before reading the list: a change from now on schedules the next frame.
        del _presence_later[key]
    _presence_due[key] = time.monotonic() + PRESENCE_EVERY
    try:
        await _send_presence(layer, thread_id)
    except Exception:  # nobody awaits this task: say so here
        logger.warning("could not announce presence on thread %s", thread_id, exc_info=True)


async def _send_presence(layer, thread_id: int) -> None:
    frame = events.serialise({"type": "presence", "viewers": await presence.viewers(thread_id)})
    await layer.group_send(
        events.thread_stream(thread_id), {"type": "thread.presence", "frame": frame}
    )


@dataclass(frozen=True)
class ThreadAccess:
    group_id: int
    last_seq: int
    can_read: bool
    can_reply: bool


@database_sync_to_async
def _thread_access(user, thread_id: int) -> ThreadAccess | None:
    thread = Thread.objects.select_related("group").filter(pk=thread_id).first()
    if thread is None:
        return None
    membership = permissions.membership_of(user, thread.group)
    return ThreadAccess(
        group_id=thread.group_id,
        last_seq=thread.last_seq,
        can_read=permissions.can_read_thread(user, thread, membership),
        can_reply=permissions.can_reply(user, thread, membership),
    )


class ThreadConsumer(SequencedSocket):
    """``/ws/threads/<id>/?after=<seq>``: a thread's events, typing and presence."""

    client_frames = {**KringSocket.client_frames, "typing": "on_typing"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.thread_id = 0
        self.group_id = 0
        self.can_reply = False
        self.reply_is_stale = False
        self.typed_at = -TYPING_EVERY
        self.present = False
        self.presence_frame = ""

    @property
    def stream(self) -> str:
        return events.thread_stream(self.thread_id)

    async def open(self):
        self.thread_id = int(self.scope["url_route"]["kwargs"]["thread_id"])
        self.language = viewer_language(self.scope)
        async with self.lock:
            access = await _thread_access(self.user, self.thread_id)
            if access is None:
                await self.end(CLOSE_NOT_FOUND)
                return
            if not access.can_read:
                await self.end(CLOSE_FORBIDDEN)
                return
            self.checked_at = time.monotonic()
            self.group_id, self.can_reply = access.group_id, access.can_reply
            await self.share(self.stream)
            await self.subscribe(events.access_stream(self.group_id))
            await self.start(access.last_seq)
        await presence.enter(self.thread_id, self.channel_name, self.user.pk, self.user.name)
        self.present = True
        await self.announce_presence()

    async def leave(self):
        await super().leave()
        if self.present:
            self.present = False
            await presence.leave(self.thread_id, self.channel_name)
            await self.announce_presence()

    async def check_access(self) -> int | None:
        access = await _thread_access(self.user, self.thread_id)
        if access is None:
            return CLOSE_NOT_FOUND
        if not access.can_read:
            return CLOSE_FORBIDDEN
        if access.group_id != self.group_id:  # moved: listen to the new group's access changes
            await self.unsubscribe(events.access_stream(self.group_id))
            self.group_id = access.group_id
            await self.subscribe(events.access_stream(self.group_id))
        self.can_reply = access.can_reply
        self.reply_is_stale = False
        return None

    # --- Thread events -------------------------------------------------------------

    def current_seq(self) -> int:
        return (
            Thread.objects.filter(pk=self.thread_id).values_list("last_seq", flat=True).first() or 0
        )

    def frames_after(self, after: int, limit: int) -> list[dict]:
        return events.frames_after(self.thread_id, after, self.language, limit=limit)

    def needs_recheck(self, message) -> bool:
        moved = message.get("group") != self.group_id
        return moved or super().needs_recheck(message)

    def noted(self, message, gap: bool) -> None:
        # A gap may have locked the thread, and so may a thread.updated: can_reply is
        # asked again before the next typing signal is forwarded.
        if gap or message.get("kind") == "thread.updated":
            self.reply_is_stale = True

    def quick(self, message) -> str:
        kind = message["type"]
        if kind == "thread.event":
            return self.quick_forward(message)
        if kind == "thread.typing":
            return DROP if message["user"] == self.user.pk else WRITE
        if kind == "thread.presence":
            self.presence_frame = message["frame"]
            return WRITE
        if kind == "thread.idea" and message.get("group") != self.group_id:
            return DROP
        if kind == "thread.idea" and not self.check_is_stale():
            return WRITE
        return SLOW

    async def thread_event(self, message):
        await self.forward(message)

    async def thread_idea(self, message):
        """An idea promoted from this thread changed votes or status (no seq: a reload shows
        the truth). Only while the thread is in the idea's group: a thread moved elsewhere
        may be read by people who may not see that board."""
        if self.closed or message.get("group") != self.group_id:
            return
        if self.check_is_stale():
            async with self.lock:
                if self.closed or not await self.recheck():
                    return
            if message.get("group") != self.group_id:
                return
        await self.send(text_data=self.text_for(message["frames"]))

    # --- Typing ----------------------------------------------------------------------

    async def on_typing(self, data):
        now = time.monotonic()
        if now - self.typed_at < TYPING_EVERY:
            return
        if self.reply_is_stale or self.check_is_stale():
            async with self.lock:
                if self.closed or not await self.recheck():
                    return
        if not self.can_reply:
            return
        self.typed_at = now
        frame = events.serialise({"type": "typing", "user": self.user.pk, "name": self.user.name})
        await self.channel_layer.group_send(
            self.stream, {"type": "thread.typing", "user": self.user.pk, "frame": frame}
        )

    async def thread_typing(self, message):
        # Not to the typist's own tabs.
        if not self.closed and message["user"] != self.user.pk:
            await self.send(text_data=message["frame"])

    # --- Presence ------------------------------------------------------------------------

    async def presence_frame_now(self) -> str:
        viewers = await presence.viewers(self.thread_id)
        return events.serialise({"type": "presence", "viewers": viewers})

    async def announce_presence(self) -> None:
        await _announce_presence(self.channel_layer, self.thread_id)

    async def thread_presence(self, message):
        if not self.closed:
            self.presence_frame = message["frame"]
            await self.send(text_data=message["frame"])

    async def on_ping(self, data):
        await super().on_ping(data)
        if self.closed:
            return
        await presence.refresh(self.thread_id, self.channel_name, self.user.pk, self.user.name)
        # Someone whose connection died without a goodbye has expired by now:
        # correct this client's list (each client pings, so each is corrected).
        frame = await self.presence_frame_now()
        if frame != self.presence_frame:
            self.presence_frame = frame
            await self.send(text_data=frame)


@database_sync_to_async
def _group_access(user, group_id: int) -> int | None:
    group = Group.objects.filter(pk=group_id).first()
    if group is None:
        return CLOSE_NOT_FOUND
    return None if group_permissions.can_view_group(user, group) else CLOSE_FORBIDDEN


class GroupConsumer(KringSocket):
    """``/ws/groups/<id>/``: new posts in the group's threads, for its pages."""

    async def open(self):
        self.group_id = int(self.scope["url_route"]["kwargs"]["group_id"])
        async with self.lock:
            code = await self.check_access()
            if code is not None:
                await self.end(code)
                return
            self.checked_at = time.monotonic()
            await self.share(events.group_stream(self.group_id))
            await self.subscribe(events.access_stream(self.group_id))
        await self.send(text_data=events.serialise({"type": "ready"}))

    async def check_access(self) -> int | None:
        return await _group_access(self.user, self.group_id)

    def quick(self, message) -> str:
        if message["type"] == "group.activity" and not self.check_is_stale():
            return WRITE
        return SLOW

    async def group_activity(self, message):
        if self.closed:
            return
        if self.check_is_stale():
            async with self.lock:
                if self.closed or not await self.recheck():
                    return
        await self.send(text_data=message["frame"])
