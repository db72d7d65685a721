from django import forms
from django.utils.translation import gettext_lazy as _

from hub.models import Delivery, Notification

Kind = Notification.Kind

# The question each radio group answers (the kind's own label, "mentioned you", is written
# to follow a name in the list; a legend needs a whole sentence).
QUESTIONS = {
    Kind.MENTION: _("Someone mentions you"),
    Kind.REPLY: _("Someone replies to you or in your discussion"),
    Kind.JOIN_DECISION: _("Your request to join a group is answered"),
    Kind.INVITATION: _("Someone invites you to a group"),
    Kind.IDEA_STATUS: _("An idea you follow changes status"),
    Kind.IDEA_RESPONSE: _("An idea you follow gets a response or an update"),
    Kind.IDEA_OWNER: _("You are made responsible for an idea"),
}


class PreferencesForm(forms.Form):
    """One radio group per kind of notification, offering each way of delivery."""

    # Every group starts with a choice made: a "(required)" mark on each would be noise.
    choice_always_made = True

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=QUESTIONS.get(kind, kind.label),
                choices=Delivery.choices,
                widget=forms.RadioSelect,
                initial=current[kind.value],
            )

    def choices(self) -> dict[str, str]:
        return {kind: self.cleaned_data[kind] for kind in Kind.values}
