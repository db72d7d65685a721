"""Groups, members and the people who run them, for the groups tests."""

import functools
import itertools

import pytest
from django.utils import timezone

from groups import services
from groups.models import Group, Membership

_numbers = itertools.count(1)


@pytest.fixture
def owner(make_user):
    return make_user(display_name="Olga Eigenaar")


@pytest.fixture
def moderator(make_user):
    return make_user(display_name="Mehmet Moderator")


@pytest.fixture
def make_group(make_user):
    """A group made the way an employee makes one (``create_group``), then put in ``status``.

    The owner gets the owner membership and the creation is logged, as in real life.
    """

    def make(
        *,
        owner=None,
        name=None,
        kind=Group.Kind.INTEREST,
        visibility=Group.Visibility.OPEN,
        status=Group.Status.ACTIVE,
        archived=False,
        description="",
    ) -> Group:
        group = services.create_group(
            creator=owner or make_user(),
            name=name or f"Werkgroep {next(_numbers)}",
            kind=kind,
            visibility=visibility,
            description=description,
        )
        changes = {}
        if group.status != status:
            changes["status"] = status
        if archived:
            changes["archived_at"] = timezone.now()
        if changes:
            Group.objects.filter(pk=group.pk).update(**changes)
            group.refresh_from_db()
        return group

    return make


@pytest.fixture
def add_member(make_user):
    """Put someone (a new colleague if not given) straight into a group."""

    def add(group, user=None, role=Membership.Role.MEMBER) -> Membership:
        return Membership.objects.create(group=group, user=user or make_user(), role=role)

    return add


@pytest.fixture
def group(make_group, owner):
    """An active, open special-interest group run by ``owner``."""
    return make_group(owner=owner, name="Fietsen naar het werk")


@pytest.fixture
def closed_group(make_group, owner):
    return make_group(owner=owner, name="Snellere vergunningen", visibility="closed")


@pytest.fixture
def private_group(make_group, owner):
    return make_group(owner=owner, name="Vertrouwelijk overleg", visibility="private")


@functools.cache
def _acc_handler():
    from django.test.client import ClientHandler

    return ClientHandler(enforce_csrf_checks=False)


@pytest.fixture
def acc_client(client):
    """The test client with one shared request handler.

    A fresh client builds the middleware again, and WhiteNoise then scans static/ (about
    40 ms a test, a third of the access tests' time). The handler keeps no state between requests.
    """
    client.handler = _acc_handler()
    return client
