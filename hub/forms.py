from django import forms
from django.utils.translation import gettext_lazy as _

from hub.models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "department"]


class SignupProfileForm(forms.Form):
    """Extra fields on allauth's signup form: how colleagues will see you."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        help_text=_("How colleagues see you, for example: Anna de Vries."),
    )
    department = forms.CharField(label=_("Department or unit"), max_length=120, required=False)

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"].strip()
        user.department = self.cleaned_data.get("department", "").strip()
        user.save(update_fields=["display_name", "department"])
