from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from groups.models import Group, Membership


class GroupForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = ["name", "kind", "visibility", "colour", "description"]
        widgets = {
            "kind": forms.RadioSelect,
            "visibility": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "name": _("Short and clear, for example: Faster permits."),
            "description": _(
                "What the group is for and who should join. You can use Markdown: "
                "**bold**, *italic*, lists and links."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:  # radios need no "---------" choice
            self.fields["kind"].choices = Group.Kind.choices

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not slugify(name):
            raise forms.ValidationError(_("Use at least one letter or digit in the name."))
        duplicate = Group.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if duplicate.exists():
            raise forms.ValidationError(_("There is already a group with this name."))
        return name


class GroupSettingsForm(GroupForm):
    """The kind is fixed once a group exists: an improvement group was approved as one."""

    class Meta(GroupForm.Meta):
        fields = ["name", "visibility", "colour", "description"]


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the moderators (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=500)


class DecisionForm(ReasonForm):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("decline", _("Decline"))])


class InviteForm(forms.Form):
    who = forms.CharField(
        label=_("Email address or username of the colleague"),
        max_length=254,
        help_text=_("They get an email with a link to accept or decline."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_who(self):
        """An email address (with or without an account yet) or an existing username."""
        who = self.cleaned_data["who"].strip()
        users = get_user_model().objects.filter(is_active=True)
        if "@" not in who:
            self.invited_user = users.filter(username__iexact=who).first()
            if self.invited_user is None:
                raise forms.ValidationError(_("No colleague has this username."))
            return self.invited_user.email
        # The service links the address to an account only if that address is verified.
        self.invited_user = None
        return forms.EmailField().clean(who).lower()


class RoleForm(ReasonForm):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


MUTE_PERIODS = {
    "1h": (timedelta(hours=1), _("1 hour")),
    "1d": (timedelta(days=1), _("1 day")),
    "7d": (timedelta(days=7), _("1 week")),
    "30d": (timedelta(days=30), _("30 days")),
}


class MuteForm(ReasonForm):
    period = forms.ChoiceField(
        label=_("Mute for"), choices=[(key, label) for key, (_d, label) in MUTE_PERIODS.items()]
    )

    @property
    def duration(self) -> timedelta:
        return MUTE_PERIODS[self.cleaned_data["period"]][0]


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Group.Kind.choices]
    )
    mine = forms.BooleanField(label=_("Only my groups"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("activity", _("Recent activity")),
            ("members", _("Most members")),
            ("newest", _("Newest")),
            ("name", _("Name")),
        ],
    )


class ConfirmForm(forms.Form):
    """An action button with nothing to fill in."""
