import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_a_member_edits_their_profile(client, member):
    client.force_login(member)
    response = client.post(
        reverse("profile"),
        {"display_name": "Anna de Vries-Jansen", "department": "Natuur en Water"},
        follow=True,
    )
    assert "Je profiel is opgeslagen." in response.content.decode()
    member.refresh_from_db()
    assert (member.display_name, member.department) == ("Anna de Vries-Jansen", "Natuur en Water")


@pytest.mark.django_db
def test_an_oversized_name_is_a_form_error_and_saves_nothing(client, member):
    client.force_login(member)
    response = client.post(reverse("profile"), {"display_name": "x" * 81, "department": "HR"})
    assert response.status_code == 200
    assert "display_name" in response.context["form"].errors
    member.refresh_from_db()
    assert (member.display_name, member.department) == ("Anna de Vries", "")


@pytest.mark.django_db
def test_the_profile_page_shows_the_login_email(client, member):
    client.force_login(member)
    assert member.email in client.get(reverse("profile")).content.decode()
