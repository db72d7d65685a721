# ruff: noqa: F401, F811  (fixtures shared with the discussions tests)
from tests.discussions.conftest import (
    _no_rate_limit,
    acc_client,
    add_member,
    make_group,
    make_post,
    make_thread,
    moderator,
    owner,
    world,
)
