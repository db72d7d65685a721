from django import forms
from django.utils.translation import gettext_lazy as _

from hub.search.backends import MAX_QUERY_LENGTH


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        help_text=_(
            'Words are found in any form ("meeting" also finds "meetings"). Put a minus '
            'before a word to leave it out: "bike -rain".'
        ),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        error_messages={
            "max_length": _(
                "Please use at most %(limit_value)d characters (you typed %(show_value)d)."
            )
        },
    )
