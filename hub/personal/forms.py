from django import forms
from django.utils.translation import gettext_lazy as _


class DeleteAccountForm(forms.Form):
    """Typing the address is the confirmation: a slip of the mouse cannot delete an account."""

    email = forms.CharField(
        label=_("Type your email address to confirm"),
        max_length=254,
        help_text=_("The address you log in with, as shown above."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self):
        typed = self.cleaned_data["email"].strip()
        # Addresses are case-insensitive in practice; every character must be there.
        if typed.casefold() != self.user.email.casefold():
            raise forms.ValidationError(
                _("That is not the email address of this account. Nothing has been deleted.")
            )
        return typed
