"""Text from Django and allauth that Kring translates itself.

Nothing calls these at run time: they are here so `makemessages` puts the
msgids in our catalogue, and LOCALE_PATHS wins over the packages' own
catalogues. Reasons: Django 5.2's Dutch catalogue lacks the new "too short"
message, and allauth says "Aanmelden" where Kring says "Inloggen".
"""

from django.utils.translation import gettext_noop, ngettext_lazy

PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)

ALLAUTH_WORDING = [
    gettext_noop("Sign In"),
    gettext_noop("Sign Out"),
    gettext_noop("Are you sure you want to sign out?"),
    gettext_noop("Sign In Via %(provider)s"),
    gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be entirely numeric."),
]
