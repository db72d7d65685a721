# ruff: noqa: F811  (pytest fixtures imported from the groups tests)
"""The "duplicate of" choice on the status form stays short on a big board, offers the
look-alikes first, and still accepts any idea of the group."""

import pytest
from django.urls import reverse

from ideas import selectors, services
from ideas.models import Idea
from tests.groups.conftest import group, make_group, owner  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(group, owner, settings):
    settings.KRING_POSTS_PER_MINUTE = 0
    board = services.create_board(moderator=owner, group=group, title="Groot bord")
    Idea.objects.bulk_create(
        Idea(board=board, author=owner, title=f"Voorstel {n}", body="x", vote_count=n)
        for n in range(150)
    )
    return board


def test_the_form_lists_look_alikes_first_and_at_most_a_hundred_more(board, owner, client):
    idea = services.create_idea(author=owner, board=board, title="Fietsenstalling", body="x")
    twin = services.create_idea(author=owner, board=board, title="Nieuwe fietsenstalling", body="y")
    offered = selectors.duplicate_suggestions(idea)
    assert offered[0] == twin
    assert len(offered) <= 1 + selectors.DUPLICATE_CHOICES
    client.force_login(owner)
    page = client.get(reverse("ideas:change_status", args=[idea.pk])).content.decode()
    assert page.count("<option") <= len(Idea.Status.choices) + len(offered) + 1


def test_an_idea_outside_the_list_is_still_accepted(board, owner, client):
    idea = services.create_idea(author=owner, board=board, title="Fietsenstalling", body="x")
    obscure = Idea.objects.get(title="Voorstel 0")  # no votes, not similar: not listed
    assert obscure not in selectors.duplicate_suggestions(idea)
    client.force_login(owner)
    response = client.post(
        reverse("ideas:change_status", args=[idea.pk]),
        {"status": "duplicate", "response": "Zie het andere voorstel.", "duplicate_of": obscure.pk},
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert (idea.status, idea.duplicate_of) == ("duplicate", obscure)
