# ruff: noqa: F401, F811  (fixtures shared with the realtime tests)
from tests.realtime.conftest import (
    _clean_realtime_state,
    add_member,
    make_group,
    no_post_limit,
    open_socket,
    owner,
)
