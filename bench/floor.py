"""The floor of the fan-out benchmark: a bare ``websockets`` broadcast server.

``python -m bench.floor PORT``: WebSocket clients connect to any path; a plain
``GET /broadcast?seq=K&size=B`` sends every connected client one text frame of B
bytes that starts like Kring's ``post.created`` frame (so the same client code
reads both) and answers 204. No authentication, no database, no channel layer:
what is left is the cost of writing one frame to N sockets from one Python process.
"""

import asyncio
import contextlib
import http
import sys
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import broadcast, serve
from websockets.datastructures import Headers
from websockets.http11 import Response

CLIENTS: set = set()


def frame(seq: int, size: int) -> str:
    head = f'{{"type":"post.created","seq":{seq},"html":"'
    tail = '"}'
    return head + "x" * max(0, size - len(head) - len(tail)) + tail


def process_request(connection, request):
    if not request.path.startswith("/broadcast"):
        return None  # a WebSocket handshake
    query = parse_qs(urlsplit(request.path).query)
    seq, size = int(query["seq"][0]), int(query["size"][0])
    broadcast(CLIENTS, frame(seq, size))
    return Response(http.HTTPStatus.NO_CONTENT, "No Content", Headers(), b"")


async def handler(connection):
    CLIENTS.add(connection)
    try:
        await connection.send('{"type":"ready","seq":0}')
        async for _message in connection:
            pass
    finally:
        CLIENTS.discard(connection)


async def serve_forever(port: int) -> None:
    # No compression: daphne does not offer it either.
    async with serve(
        handler,
        "127.0.0.1",
        port,
        process_request=process_request,
        compression=None,
        ping_interval=None,
        backlog=4096,
    ) as server:
        await server.serve_forever()


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    with contextlib.suppress(KeyboardInterrupt):  # how the benchmark stops it
        asyncio.run(serve_forever(int(argv[0])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
