import pytest
from django.test import override_settings
from django.urls import reverse

OIDC = {
    "openid_connect": {
        "APPS": [
            {
                "provider_id": "provincie",
                "name": "Provincie-account",
                "client_id": "kring",
                "secret": "geheim",
                "settings": {"server_url": "https://login.provincie.example/realms/kring"},
            }
        ]
    }
}


@pytest.mark.django_db
def test_without_configuration_there_is_no_sso_button(client):
    assert "Provincie-account" not in client.get(reverse("account_login")).content.decode()


@pytest.mark.django_db
def test_a_configured_provider_appears_on_the_login_page(client):
    with override_settings(SOCIALACCOUNT_PROVIDERS=OIDC):
        page = client.get(reverse("account_login")).content.decode()
    assert "Provincie-account" in page
    assert "/accounts/oidc/provincie/login/" in page


ENTRA = {
    "microsoft": {
        "APPS": [
            {
                "client_id": "kring-app-id",
                "secret": "geheim",
                "settings": {"tenant": "provincie.example"},
            }
        ]
    }
}


@pytest.mark.django_db
def test_entra_id_login_sends_the_person_to_the_configured_tenant(client):
    with override_settings(SOCIALACCOUNT_PROVIDERS=ENTRA):
        page = client.get(reverse("account_login")).content.decode()
        assert "Microsoft" in page
        response = client.post("/accounts/microsoft/login/")
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(
        "https://login.microsoftonline.com/provincie.example/oauth2/v2.0/authorize"
    )
    assert "client_id=kring-app-id" in location
