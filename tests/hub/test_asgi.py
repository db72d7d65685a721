"""The real ASGI application: HTTP through Django, WebSockets through the origin check and auth."""

import pytest
from channels.testing import HttpCommunicator, WebsocketCommunicator

from hub.asgi import application
from hub.consumers import CLOSE_NOT_FOUND

pytestmark = pytest.mark.django_db(transaction=True)


async def test_http_is_served_by_django():
    communicator = HttpCommunicator(
        application, "GET", "/toegankelijkheid/", headers=[(b"host", b"127.0.0.1")]
    )
    response = await communicator.get_response()
    assert response["status"] == 200
    assert "Toegankelijkheidsverklaring" in response["body"].decode()


async def test_a_websocket_from_another_site_is_refused():
    communicator = WebsocketCommunicator(
        application, "/ws/anything/", headers=[(b"origin", b"https://evil.example")]
    )
    connected, _ = await communicator.connect()
    assert not connected
    await communicator.disconnect()


async def test_an_unknown_websocket_path_closes_with_not_found():
    communicator = WebsocketCommunicator(
        application, "/ws/nothing-here/", headers=[(b"origin", b"http://127.0.0.1:8000")]
    )
    connected, _ = await communicator.connect()
    assert connected  # accepted, so that the browser gets to see the close code
    closing = await communicator.receive_output()
    assert closing == {"type": "websocket.close", "code": CLOSE_NOT_FOUND}
    await communicator.disconnect()
