"""Forms for leadership review: the filters (GET) and the decision form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from groups.models import Group
from hub.review.selectors import PERIODS, DecisionFilters, ReviewFilters
from ideas.forms import StatusForm
from ideas.models import Idea

SORT_CHOICES = [("stemmen", _("Most votes")), ("trending", _("Trending"))]


def _period_choices():
    return [("", _("All time"))] + [
        (str(days), _("Last %(days)d days") % {"days": days}) for days in PERIODS
    ]


def _group_choices(groups):
    return [("", _("All groups"))] + [(group.slug, group.name) for group in groups]


class _Filters(forms.Form):
    """Query-string filters: a value that is not on offer is ignored, never an error page."""

    def valid(self) -> dict:
        self.is_valid()
        return self.cleaned_data

    @staticmethod
    def _days(value) -> int | None:
        return int(value) if value else None


class ReviewFilterForm(_Filters):
    periode = forms.ChoiceField(label=_("Posted in"), required=False)
    soort = forms.ChoiceField(
        label=_("Kind of group"),
        required=False,
        choices=[("", _("All kinds")), *Group.Kind.choices],
    )
    groep = forms.ChoiceField(label=_("Group"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Idea.Status.choices]
    )
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    wacht = forms.BooleanField(label=_("Only ideas awaiting a response"), required=False)
    sortering = forms.ChoiceField(required=False, choices=SORT_CHOICES, widget=forms.HiddenInput)

    def __init__(self, *args, groups, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["periode"].choices = _period_choices()
        self.fields["groep"].choices = _group_choices(groups)
        self.fields["tag"].choices = [("", _("All tags"))] + [(name, name) for name in tags]

    def filters(self) -> ReviewFilters:
        data = self.valid()
        return ReviewFilters(
            days=self._days(data.get("periode")),
            kind=data.get("soort", ""),
            group=data.get("groep", ""),
            status=data.get("status", ""),
            tag=data.get("tag", ""),
            sort=data.get("sortering") or "stemmen",
            awaiting=data.get("wacht", False),
        )


class DecisionFilterForm(_Filters):
    groep = forms.ChoiceField(label=_("Group"), required=False)
    status = forms.ChoiceField(
        label=_("Decision"),
        required=False,
        choices=[("", _("All decisions")), *Idea.Status.choices],
    )
    periode = forms.ChoiceField(label=_("Period"), required=False)
    antwoord = forms.BooleanField(label=_("Only decisions with a response"), required=False)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["periode"].choices = _period_choices()
        self.fields["groep"].choices = _group_choices(groups)

    def filters(self) -> DecisionFilters:
        data = self.valid()
        return DecisionFilters(
            group=data.get("groep", ""),
            status=data.get("status", ""),
            days=self._days(data.get("periode")),
            with_response=data.get("antwoord", False),
        )


class _OwnerChoice(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.name} ({user.department})" if user.department else user.name


class DecideForm(StatusForm):
    """The idea form's status, response and duplicate, plus who is responsible."""

    owner = _OwnerChoice(
        label=_("Responsible for follow-up"),
        queryset=None,
        required=False,
        empty_label=_("Nobody yet"),
        help_text=_(
            "A member of the group, or someone from leadership. They are told, and they "
            "follow the idea from then on."
        ),
    )

    def __init__(self, *args, owners, offered_owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].label = _("Status")
        field = self.fields["owner"]
        field.queryset = owners  # what is accepted
        field.widget.choices = [("", field.empty_label)] + [
            (user.pk, field.label_from_instance(user)) for user in offered_owners
        ]
