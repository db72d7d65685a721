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
