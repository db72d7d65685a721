import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.urls import reverse

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "nl" / "LC_MESSAGES"


@pytest.mark.django_db
def test_the_site_speaks_dutch_even_to_an_english_browser(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "nl"
    assert '<html lang="nl">' in response.content.decode()
    assert "Direct naar de inhoud" in response.content.decode()


@pytest.mark.django_db
def test_the_switcher_turns_the_site_english_and_back(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/toegankelijkheid/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/toegankelijkheid/"
    page = client.get("/toegankelijkheid/").content.decode()
    assert '<html lang="en">' in page
    assert "Accessibility statement" in page

    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    assert "Toegankelijkheidsverklaring" in client.get("/toegankelijkheid/").content.decode()


@pytest.mark.django_db
def test_a_signed_in_choice_follows_the_person_to_another_browser(
    client, member, django_app_client
):
    client.force_login(member)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    member.refresh_from_db()
    assert member.language == "en"

    django_app_client.force_login(member)  # a fresh browser: no language cookie
    assert "Welcome, Anna de Vries" in django_app_client.get("/").content.decode()


@pytest.mark.django_db
def test_an_unknown_language_is_ignored(client, member):
    client.force_login(member)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    member.refresh_from_db()
    assert member.language == ""
    assert '<html lang="nl">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_an_offsite_next_is_not_followed(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_the_dutch_catalogue_is_complete():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []


def test_the_compiled_catalogue_matches_the_source():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    with open(LOCALE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr, entry.msgid


def test_every_text_in_the_code_is_in_the_dutch_catalogue(tmp_path):
    """Extract the msgids afresh (as `make messages` does) and compare with the catalogue.

    Catches UI text added without running `make messages`, which the completeness
    test above cannot see.
    """
    if not shutil.which("xgettext"):
        pytest.skip("GNU gettext (xgettext) is not installed")
    root = Path(__file__).resolve().parents[2]
    copy = tmp_path / "kring"
    for name in ("hub", "groups", "discussions", "ideas", "templates", "manage.py"):
        source = root / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, copy / name)
    (copy / "locale" / "nl" / "LC_MESSAGES").mkdir(parents=True)
    env = {**os.environ, "KRING_DATA_DIR": str(tmp_path / "var")}
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "nl", "--no-location"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    extracted = {e.msgid for e in polib.pofile(str(copy / "locale/nl/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(LOCALE / "django.po")) if not e.obsolete}
    assert sorted(extracted - committed) == [], "run `make messages` and translate"
    assert sorted(committed - extracted) == [], "run `make messages` to drop stale entries"
