import pytest

from groups.models import Group, Membership
from ideas.models import Board, Idea


def _groups(n, owner):
    groups = Group.objects.bulk_create(
        Group(name=f"Groep {i}", slug=f"groep-{i}", kind="interest") for i in range(n)
    )
    Membership.objects.bulk_create(Membership(group=g, user=owner, role="owner") for g in groups)
    boards = Board.objects.bulk_create(Board(group=g, title="Ideeën") for g in groups)
    Idea.objects.bulk_create(
        Idea(board=b, title=f"Idee {b.pk}", body="", vote_count=b.pk) for b in boards
    )


@pytest.mark.django_db
def test_home_lists_groups_and_top_ideas_in_a_fixed_number_of_queries(
    client, member, django_assert_max_num_queries
):
    client.force_login(member)
    _groups(3, member)
    with django_assert_max_num_queries(8) as few:
        client.get("/")
    Group.objects.all().delete()
    _groups(40, member)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/").content.decode()
    assert "Groep 39" in page  # ideas are ranked by votes: the newest board has the most


@pytest.mark.django_db
def test_ideas_of_private_and_pending_groups_stay_off_the_home_page(client, member, make_user):
    outsider_group = Group.objects.create(
        name="Geheim", slug="geheim", kind="interest", visibility="private"
    )
    proposal = Group.objects.create(
        name="Voorstel",
        slug="voorstel",
        kind="improvement",
        status="pending",
        created_by=make_user(),
    )
    for group in (outsider_group, proposal):
        board = Board.objects.create(group=group, title="Bord")
        Idea.objects.create(board=board, title=f"Idee van {group.name}", body="", vote_count=99)
    client.force_login(member)
    page = client.get("/").content.decode()
    assert "Geheim" not in page and "Idee van Geheim" not in page
    assert "Voorstel" not in page and "Idee van Voorstel" not in page
