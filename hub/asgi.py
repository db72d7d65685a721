import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
# Django must be set up before the routing imports models and consumers.
django_asgi_app = get_asgi_application()

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
gc.set_threshold(50_000, 20, 100)
