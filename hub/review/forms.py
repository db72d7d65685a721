"""Forms for leadership review: the filters (GET) and the decision form."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
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


class _PlainSelect(forms.Select):
    """Django's select markup, built without a template per option: the group filter lists
    every visible group (100+), which made up a good part of the dashboard's time. Flat
    choices only, one value."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>',
            (
                (option, " selected" if str(option) in chosen else "", label)
                for option, label in self.choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            options,
        )


class _Filters(forms.Form):
    """Query-string filters: a value that is not on offer is ignored, never an error page."""

    def valid(self) -> dict:
        self.is_valid()
        return self.cleaned_data

    @staticmethod
    def _days(value) -> int | None:
        return int(value) if value else None


class ReviewFilterForm(_Filters):
    periode = forms.ChoiceField(label=_("Posted in"), required=False, widget=_PlainSelect)
    soort = forms.ChoiceField(
        label=_("Kind of group"),
        required=False,
        choices=[("", _("All kinds")), *Group.Kind.choices],
        widget=_PlainSelect,
    )
    groep = forms.ChoiceField(label=_("Group"), required=False, widget=_PlainSelect)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Idea.Status.choices],
        widget=_PlainSelect,
    )
    tag = forms.ChoiceField(label=_("Tag"), required=False, widget=_PlainSelect)
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
    groep = forms.ChoiceField(label=_("Group"), required=False, widget=_PlainSelect)
    status = forms.ChoiceField(
        label=_("Decision"),
        required=False,
        choices=[("", _("All decisions")), *Idea.Status.choices],
        widget=_PlainSelect,
    )
    periode = forms.ChoiceField(label=_("Period"), required=False, widget=_PlainSelect)
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
