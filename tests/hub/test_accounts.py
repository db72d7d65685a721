import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from tests.conftest import DEMO_PASSWORD

NEW_PASSWORD = "een-nieuw-wachtwoord-2026"


def _link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def _signup(client, email="nieuw@provincie.example", **extra):
    data = {
        "email": email,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "display_name": "Noor Nieuw",
        "department": "Mobiliteit",
        **extra,
    }
    return client.post(reverse("account_signup"), data)


@pytest.mark.django_db
def test_signup_sends_a_verification_mail_and_login_waits_for_it(client, django_user_model):
    response = _signup(client)
    assert response.status_code == 302
    user = django_user_model.objects.get(email="nieuw@provincie.example")
    assert (user.display_name, user.department) == ("Noor Nieuw", "Mobiliteit")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nieuw@provincie.example"]
    assert mail.outbox[0].subject.startswith("[Kring]")

    client.logout()
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": NEW_PASSWORD}
    )
    # Not verified yet: allauth sends the person to "check your email", not in.
    assert response.status_code == 302
    assert "/confirm-email/" in response["Location"]
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_following_the_verification_link_logs_the_person_in(client, django_user_model):
    _signup(client)
    confirm_url = _link_in(mail.outbox[0])
    page = client.get(confirm_url)
    assert page.status_code == 200
    response = client.post(confirm_url, follow=True)
    user = django_user_model.objects.get(email="nieuw@provincie.example")
    assert EmailAddress.objects.get(user=user).verified
    assert "Welkom, Noor Nieuw" in response.content.decode()


@pytest.mark.django_db
def test_signup_with_a_taken_email_changes_nothing_and_tells_only_the_owner(
    client, member, django_user_model
):
    # allauth prevents account enumeration: the page looks the same as for a new
    # address, and the mail goes to the address's real owner.
    _signup(client, email=member.email)
    assert django_user_model.objects.filter(email=member.email).count() == 1
    member.refresh_from_db()
    assert member.display_name == "Anna de Vries"
    assert member.check_password(DEMO_PASSWORD)
    assert [m.to for m in mail.outbox] == [[member.email]]


@pytest.mark.django_db
def test_signup_without_a_display_name_is_a_form_error(client, django_user_model):
    response = _signup(client, display_name="")
    assert response.status_code == 200
    assert "display_name" in response.context["form"].errors
    assert not django_user_model.objects.filter(email="nieuw@provincie.example").exists()


@pytest.mark.django_db
def test_a_verified_member_logs_in_and_out(client, member):
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": DEMO_PASSWORD}, follow=True
    )
    assert "Welkom, Anna de Vries" in response.content.decode()
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_wrong_password_is_a_clear_error(client, member):
    response = client.post(reverse("account_login"), {"login": member.email, "password": "fout"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_repeated_failed_logins_are_rate_limited(client, member):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": member.email, "password": "fout"})
    # Even the right password is refused until the window passes.
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": DEMO_PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)
    assert "te veel" in response.content.decode().lower()


@pytest.mark.django_db
def test_password_reset_by_mail(client, member):
    client.post(reverse("account_reset_password"), {"email": member.email})
    assert len(mail.outbox) == 1
    reset_url = client.get(_link_in(mail.outbox[0])).url  # allauth hides the key behind a redirect
    response = client.post(
        reset_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_reveals_nothing(client):
    response = client.post(reverse("account_reset_password"), {"email": "niemand@elders.example"})
    assert response.status_code == 302
    # allauth mails the unknown address (no account enumeration through the page).
    assert all("niemand@elders.example" in m.to for m in mail.outbox)
