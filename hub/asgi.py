import gc
import os
from concurrent.futures import ThreadPoolExecutor

import django
from asgiref.sync import sync_to_async
from django.conf import settings
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.urls import set_script_prefix


class KringASGIHandler(ASGIHandler):
    """Django's ASGI handler, with each request's synchronous work done in one trip to a
    fixed pool of threads.

    Django's own starts a new thread for every request (asgiref's ThreadSensitiveContext)
    and goes to it three times: the request_started signal, the middleware and view, and
    the response's close (request_finished). It also builds its middleware chain for async,
    so a sync-only middleware turns back to the event loop and the sync view comes back to
    the thread again. Here the signal, the middleware chain, the view, reading the response
    and closing it run as one call on a thread that lives as long as the process (and keeps
    its database connection). A trivial signed-in view went from 3.6-4.0 to 2.5 ms of daphne
    CPU (wrk against one daphne); votes per second rose by a third (bench/README.md).
    Every Kring view but /healthz is synchronous; that one runs as Django runs any async
    view from a sync chain, on the server's event loop.

    A streaming response is read to the end on that thread, as Django does under ASGI with
    a synchronous iterator (the data exports); the client disconnecting does not cancel a
    synchronous view in Django either.
    """

    def __init__(self, threads: int):
        super().__init__()
        self.threads = threads
        self._new_pool()
        # A forked child (daphne's test servers, a pre-forking host) inherits the pool
        # without its threads: it would queue every request for ever. It gets its own.
        os.register_at_fork(after_in_child=self._new_pool)

    def _new_pool(self) -> None:
        self.executor = ThreadPoolExecutor(self.threads, thread_name_prefix="kring-http")
        self._respond_async = sync_to_async(
            self._respond, thread_sensitive=False, executor=self.executor
        )

    def load_middleware(self, is_async=False):
        super().load_middleware(is_async=False)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        try:
            status, headers, body = await self._respond_async(scope, body_file)
        finally:
            body_file.close()
        await send({"type": "http.response.start", "status": status, "headers": headers})
        for chunk, last in self.chunk_bytes(body):
            await send({"type": "http.response.body", "body": chunk, "more_body": not last})

    def _respond(self, scope, body_file) -> tuple[int, list, bytes]:
        """The request's synchronous part, on a pool thread: (status, headers, body)."""
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, response = self.create_request(scope, body_file)
        if request is not None:
            response = self.get_response(request)
        try:
            body = b"".join(response) if response.streaming else response.content
        finally:
            response.close()  # request_finished: the database connection goes back
        return response.status_code, _headers(response), body


def _headers(response) -> list[tuple[bytes, bytes]]:
    """The response's headers and cookies, as Django's ASGIHandler.send_response sends them."""
    headers = [(name.encode("ascii"), value.encode("latin1")) for name, value in response.items()]
    for cookie in response.cookies.values():
        headers.append((b"Set-Cookie", cookie.output(header="").encode("ascii").strip()))
    return headers


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
# Django must be set up before the routing imports models and consumers.
django.setup(set_prefix=False)
django_asgi_app = KringASGIHandler(threads=settings.KRING_HTTP_THREADS)

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from hub.broadcast import WireMiddleware  # noqa: E402
from hub.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": WireMiddleware(
            AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))
        ),
    }
)

# The collector, tuned for a server process (measured with bench/fanout.py: full passes
# over 1,000 open sockets took 100-200 ms, the whole p99 of a post's delivery):
# - start-up's objects (modules, Django, URL patterns) live as long as the process, so
#   they are frozen out of every pass;
# - a larger first generation lets a request's short-lived objects die young, so far fewer
#   reach the old generation and set off full passes.
gc.collect()
gc.freeze()
gc.set_threshold(20_000, 50, 100)
