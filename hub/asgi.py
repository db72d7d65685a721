import gc
import os

import django
from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler


class SyncMiddlewareASGIHandler(ASGIHandler):
    """Django's ASGI handler with the middleware chain and the view run as one synchronous
    call, on the request's thread.

    Django's own builds an async chain under ASGI; a sync-only middleware in it then turns
    back to the event loop for what lies below it, and the sync views come back to the
    thread again: ten thread switches a request where four do (measured with
    bench/votes.py: about 0.9 ms of CPU a request, and each switch waits for the event
    loop, which is busy writing live events). Every Kring view but /healthz is
    synchronous; that one runs as Django runs any async view from a sync chain.
    """

    def load_middleware(self, is_async=False):
        super().load_middleware(is_async=False)

    async def get_response_async(self, request):
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
# Django must be set up before the routing imports models and consumers.
django.setup(set_prefix=False)
django_asgi_app = SyncMiddlewareASGIHandler()

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
