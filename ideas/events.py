"""Board events as the client sees them (WIP: frames and the consumer come next)."""

from hub.realtime import stream_name


def board_stream(board_id: int) -> str:
    return stream_name("board", board_id)


def publish_board_event(board_id: int, seq: int) -> None:
    """After commit: publish the board event ``seq`` (implemented with the board consumer)."""
