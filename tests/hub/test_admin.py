"""Every model in the admin opens for a superuser: the list, the add form and one object."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from discussions import services
from groups import services as group_services
from ideas import services as idea_services


@pytest.fixture
def content(make_user, settings):
    settings.KRING_POSTS_PER_MINUTE = 0
    author = make_user(display_name="Schrijver")
    group = group_services.create_group(
        creator=author, name="Beheergroep", kind="interest", visibility="open"
    )
    thread = services.create_thread(author=author, group=group, title="Onderwerp", body="Hoi")
    post = services.create_post(author=author, thread=thread, body=f"Hoi @{author.username}")
    services.edit_post(editor=author, post=post, body="Hoi allemaal")
    services.toggle_reaction(user=author, post=post, emoji="heart")
    board = idea_services.create_board(moderator=author, group=group, title="Bord", tags=["A"])
    idea = idea_services.create_idea(author=author, board=board, title="Idee", body="Tekst")
    idea_services.add_comment(author=author, idea=idea, body="Reactie")
    idea_services.change_status(actor=author, idea=idea, status="planned", response="Komt")
    voter = make_user(display_name="Stemmer")
    group.memberships.create(user=voter)
    idea_services.cast_vote(user=voter, idea=idea)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", list(admin.site._registry), ids=lambda m: f"{m._meta.app_label}.{m.__name__}"
)
def test_admin_pages_open(model, client, make_user, content):
    superuser = make_user(staff=True, is_superuser=True)
    client.force_login(superuser)
    info = model._meta.app_label, model._meta.model_name
    assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    request = RequestFactory().get("/")
    request.user = superuser
    if admin.site._registry[model].has_add_permission(request):
        assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200
    first = model._default_manager.first()
    if first is not None:
        url = reverse("admin:{}_{}_change".format(*info), args=[first.pk])
        assert client.get(url).status_code == 200
