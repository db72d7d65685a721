"""The real ASGI application: HTTP through Django, WebSockets through the origin check and auth."""

import pytest
from asgiref.sync import sync_to_async
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


# --- The HTTP handler (hub.asgi.KringASGIHandler): one trip to a pool thread a request ---

CSRF = "k" * 32  # a valid unmasked CSRF secret


def _headers(session_key=None, **extra) -> list[tuple[bytes, bytes]]:
    cookies = f"csrftoken={CSRF}" + (f"; sessionid={session_key}" if session_key else "")
    headers = {
        "host": "127.0.0.1",
        "origin": "http://127.0.0.1",
        "cookie": cookies,
        "x-csrftoken": CSRF,
        **extra,
    }
    return [(name.encode(), value.encode()) for name, value in headers.items()]


@pytest.fixture
def session_key(make_user):
    from django.test import Client

    client = Client()
    client.force_login(make_user(display_name="Streaming Sanne"))
    return client.cookies["sessionid"].value


async def _ask(method, path, headers, body=b"") -> dict:
    communicator = HttpCommunicator(application, method, path, body=body, headers=headers)
    return await communicator.get_response(timeout=10)


async def test_a_streamed_download_arrives_whole(session_key):
    """The data export streams its JSON; the handler reads it to the end on its thread."""
    import json

    response = await _ask("POST", "/profiel/mijn-gegevens/", _headers(session_key))
    assert response["status"] == 200, response["body"][:300]
    headers = dict(response["headers"])
    assert headers[b"Content-Disposition"].startswith(b'attachment; filename="kring-gegevens-')
    exported = json.loads(response["body"])
    assert "Streaming Sanne" in json.dumps(exported)


async def test_cookies_set_by_a_page_reach_the_browser():
    response = await _ask("GET", "/accounts/login/", _headers())
    assert response["status"] == 200
    cookies = [value for name, value in response["headers"] if name == b"Set-Cookie"]
    assert any(value.startswith(b"csrftoken=") for value in cookies), response["headers"]


async def test_a_post_without_its_csrf_token_is_refused_and_changes_nothing(session_key):
    headers = [h for h in _headers(session_key) if h[0] != b"x-csrftoken"]
    response = await _ask("POST", "/profiel/mijn-gegevens/", headers)
    assert response["status"] == 403


async def test_more_requests_at_once_than_threads_all_get_their_page(session_key, settings):
    """Requests beyond the pool's threads wait their turn; each thread hands its database
    connection back, so none waits for ever."""
    import asyncio

    from hub.asgi import django_asgi_app

    many = django_asgi_app.threads * 3
    responses = await asyncio.gather(
        *(_ask("GET", "/profiel/", _headers(session_key)) for _ in range(many))
    )
    assert [r["status"] for r in responses] == [200] * many
    assert all(b"Streaming Sanne" in r["body"] for r in responses)


async def test_the_async_health_view_runs_through_the_handler():
    import json

    response = await _ask("GET", "/healthz", _headers())
    assert response["status"] == 200
    assert json.loads(response["body"])["database"]["ok"] is True


def _serve_one_in_child(pipe) -> None:
    import asyncio

    async def ask():
        communicator = HttpCommunicator(
            application, "GET", "/toegankelijkheid/", headers=[(b"host", b"127.0.0.1")]
        )
        return (await communicator.get_response(timeout=10))["status"]

    try:
        pipe.send(asyncio.run(ask()))
    except Exception as error:  # reported to the parent, which fails the test
        pipe.send(repr(error))


async def test_a_forked_process_serves_requests_with_threads_of_its_own():
    """daphne's test servers fork from a process whose pool threads are already running;
    the child must not inherit a pool without threads (every request would wait)."""
    import asyncio
    import multiprocessing

    from django.db import connections

    warm = [_ask("GET", "/toegankelijkheid/", _headers()) for _ in range(8)]
    assert {r["status"] for r in await asyncio.gather(*warm)} == {200}
    await sync_to_async(connections.close_all)()  # not shared across the fork

    receiving, sending = multiprocessing.get_context("fork").Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(target=_serve_one_in_child, args=(sending,))
    child.start()
    try:
        answered = await asyncio.to_thread(receiving.poll, 20)
        assert answered, "the forked process never answered the request"
        assert receiving.recv() == 200
    finally:
        child.join(5)
        if child.is_alive():
            child.kill()
