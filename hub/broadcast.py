"""One channel-layer subscription per stream per process, and each frame framed once.

With a channel per socket, an event on a thread with 1,000 readers was deserialised,
queued, awaited, checked and framed 1,000 times in each process: most of the fan-out's
cost (bench/README.md). Here the sockets of a process that are on one stream share one
subscription. Each event is handed to every one of them in a single pass, and a socket
that is in step (no catch-up running, nothing to re-check) writes the frame, prepared
once per language, straight onto its connection. A socket that is not in step takes the
event through its normal, awaited handler, so the consumer's rules (seq order, gaps,
re-checks) still decide everything; this module only makes the common case cheap.

Consumers call ``join``/``leave``; what they must offer is ``Member`` below.
"""

import asyncio
import functools
import logging
from dataclasses import dataclass, field
from typing import Protocol

logger = logging.getLogger(__name__)

# channels-redis's core layer forgets a group member after group_expiry (a day by
# default); a stream's subscription can live longer than that, so it is renewed.
RENEW_EVERY = 3600.0  # seconds


class Member(Protocol):
    def offer(self, message: dict, frames: "Frames") -> None:
        """Take ``message`` now, without awaiting: write it or schedule its handler."""

    def layer_gone(self) -> None:
        """The stream's subscription failed (the channel layer is down)."""


class Wire:
    """The daphne connection under a socket, for frames prepared once for many sockets
    (autobahn's ``prepareMessage``/``sendPreparedMessage``, made for broadcasting)."""

    def __init__(self, server, protocol):
        self.server = server
        self.protocol = protocol

    @classmethod
    def under(cls, send) -> "Wire | None":
        """The wire behind daphne's ASGI ``send``, or None under another server (a test's
        communicator, say): those sockets take every event through their handlers."""
        if not isinstance(send, functools.partial) or len(send.args) != 1:
            return None
        server = getattr(send.func, "__self__", None)
        protocol = send.args[0]
        needs = ("sendPreparedMessage", "factory", "state", "STATE_OPEN", "send_queue")
        if getattr(send.func, "__name__", "") != "handle_reply" or not all(
            hasattr(protocol, name) for name in needs
        ):
            return None
        return cls(server, protocol)

    def is_open(self) -> bool:
        connection = self.server.connections.get(self.protocol)
        return (
            self.protocol.state == self.protocol.STATE_OPEN
            and connection is not None
            and "disconnected" not in connection
        )

    def write(self, frames: "Frames", text: str) -> None:
        prepared = frames.prepared(self.protocol.factory, text)
        if self.protocol.send_queue or not self._write_now(prepared.payloadHybi):
            self.protocol.sendPreparedMessage(prepared)

    def _write_now(self, data: bytes) -> bool:
        """Onto the socket at once, as asyncio's own transports do, if nothing is waiting
        before it; False to leave it all to Twisted. Twisted's ``write`` only buffers and
        waits for the next turn of the loop: per socket two epoll changes and a callback,
        half of what a frame to 1,000 readers costs. Only what the socket does not take
        goes to Twisted, after what was sent, so the order of bytes is kept."""
        transport = self.protocol.transport
        try:
            if (
                getattr(transport, "TLS", True)  # daphne terminating TLS itself: Twisted
                or not transport.connected
                or transport._writeDisconnected
                or transport.dataBuffer
                or transport._tempDataBuffer
            ):
                return False
            sock = transport.socket
        except AttributeError:  # another Twisted: its own way
            return False
        try:
            sent = sock.send(data)
        except (BlockingIOError, InterruptedError):
            sent = 0
        except OSError:  # a dead connection: Twisted finds out and closes it
            return False
        if sent < len(data):
            transport.write(data[sent:])
        return True


class WireMiddleware:
    """Outermost on the WebSocket route: notes daphne's ``send`` in the scope, before other
    middleware wraps it, as ``scope["kring.wire"]`` (a ``Wire`` or None)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket":
            scope = {**scope, "kring.wire": Wire.under(send)}
        return await self.app(scope, receive, send)


def in_language(texts: dict, language: str) -> str:
    """Of a message's frames (language -> text), the one in ``language``, else the first."""
    return texts.get(language) or next(iter(texts.values()))


class Frames:
    """One event's frames, each framed at most once, whatever the number of sockets."""

    def __init__(self, message: dict):
        self.message = message
        self._prepared: dict[str, object] = {}

    def text(self, language: str) -> str:
        texts = self.message.get("frames")
        return self.message["frame"] if texts is None else in_language(texts, language)

    def prepared(self, factory, text: str):
        prepared = self._prepared.get(text)
        if prepared is None:
            prepared = self._prepared[text] = factory.prepareMessage(text.encode())
        return prepared


@dataclass(eq=False)
class Stream:
    name: str
    layer: object
    channel: str = ""
    members: set = field(default_factory=set)
    ready: asyncio.Future | None = None
    tasks: list = field(default_factory=list)


# (event loop, layer, stream name) -> Stream. daphne runs one loop; tests one per test.
_streams: dict[tuple, Stream] = {}


async def join(layer, name: str, member: Member) -> None:
    """Put ``member`` on stream ``name``; raises if the channel layer cannot subscribe."""
    loop = asyncio.get_running_loop()
    key = (loop, layer, name)
    stream = _streams.get(key)
    if stream is None:
        stream = _streams[key] = Stream(name=name, layer=layer, ready=loop.create_future())
        try:
            stream.channel = await layer.new_channel()
            await layer.group_add(name, stream.channel)
        except asyncio.CancelledError:
            _forget(key, stream)
            stream.ready.cancel()
            raise
        except Exception as error:
            _forget(key, stream)
            stream.ready.set_exception(error)
            stream.ready.exception()  # retrieved: members waiting on it raise it themselves
            raise
        stream.ready.set_result(None)
        stream.tasks = [loop.create_task(_pump(key, stream)), loop.create_task(_renew(stream))]
    else:
        await asyncio.shield(stream.ready)
    stream.members.add(member)


async def leave(layer, name: str, member: Member) -> None:
    """Take ``member`` off the stream; the last one out ends the subscription."""
    key = (asyncio.get_running_loop(), layer, name)
    stream = _streams.get(key)
    if stream is None or member not in stream.members:
        return
    stream.members.discard(member)
    if not stream.members:
        _forget(key, stream)
        for task in stream.tasks:
            task.cancel()  # a cancelled receive also unsubscribes (RedisPubSubChannelLayer)
        try:
            await layer.group_discard(name, stream.channel)
        except Exception:  # the layer is down: its entries expire by themselves
            logger.warning("could not leave %s", name, exc_info=True)


def _forget(key: tuple, stream: Stream) -> None:
    if _streams.get(key) is stream:
        del _streams[key]


async def _pump(key: tuple, stream: Stream) -> None:
    """Every message of the stream, to every member, in one pass each."""
    while True:
        try:
            message = await stream.layer.receive(stream.channel)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            logger.warning("stream %s lost the channel layer: %r", stream.name, error)
            _forget(key, stream)
            for member in list(stream.members):
                member.layer_gone()
            stream.members.clear()
            return
        frames = Frames(message)
        for member in list(stream.members):
            try:
                member.offer(message, frames)
            except Exception:  # one broken socket must not cost the others the event
                logger.exception("stream %s could not offer %s", stream.name, message.get("type"))


async def _renew(stream: Stream) -> None:
    while True:
        await asyncio.sleep(RENEW_EVERY)
        try:
            await stream.layer.group_add(stream.name, stream.channel)
        except Exception:  # the pump notices a dead layer; try again next time
            logger.warning("could not renew %s", stream.name, exc_info=True)
