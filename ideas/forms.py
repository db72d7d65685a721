"""Forms for idea boards: they parse and validate; the services decide (ideas/services.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from discussions.forms import MAX_ID, OptionalId
from ideas.models import Board, Comment, Idea, StatusChange
from ideas.services import MAX_TAGS

MARKDOWN_HELP = _("You can use Markdown: **bold**, *italic*, lists, links and > quotes.")


def _clean_text(value) -> str:
    """NUL characters dropped (PostgreSQL refuses them), outer whitespace trimmed."""
    return (value or "").replace("\x00", "").strip()


class _Text(forms.CharField):
    def to_python(self, value):
        return super().to_python(_clean_text(value))


class _Markdown(_Text):
    def __init__(self, *, max_length, rows=6, **kwargs):
        kwargs.setdefault("help_text", MARKDOWN_HELP)
        super().__init__(
            max_length=max_length, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
        )


class _Title(_Text):
    def to_python(self, value):
        return " ".join(super().to_python(value).split())


class _DateTime(forms.DateTimeField):
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, **kwargs):
        super().__init__(
            required=False, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"], **kwargs
        )

    def to_python(self, value):
        return super().to_python(_clean_text(value) if isinstance(value, str) else value)


class BoardForm(forms.Form):
    """A new board, and its settings later (with ``state``)."""

    title = _Title(
        label=_("Title"),
        max_length=Board._meta.get_field("title").max_length,
        help_text=_("For example: Ideas for the 2027 mobility plan."),
    )
    brief = _Markdown(
        label=_("Brief"),
        max_length=Board._meta.get_field("brief").max_length,
        required=False,
        help_text=_("What ideas are you looking for, and what happens to them? Markdown works."),
    )
    voting_opens_at = _DateTime(
        label=_("Voting opens"), help_text=_("Leave empty to open voting right away.")
    )
    voting_closes_at = _DateTime(
        label=_("Voting closes"), help_text=_("Leave empty to keep voting open until you close it.")
    )
    votes_per_member = forms.IntegerField(
        label=_("Votes per member"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=_(
            "Leave empty for unlimited votes. With a limit, members choose what matters most."
        ),
    )
    tags = _Text(
        label=_("Tags"),
        required=False,
        max_length=MAX_TAGS * 42,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Categories for ideas on this board, one per line (at most 20)."),
    )

    def clean_tags(self) -> list[str]:
        names = [" ".join(line.split()) for line in self.cleaned_data["tags"].splitlines()]
        names = [name for name in names if name]
        if len(names) > MAX_TAGS:
            raise forms.ValidationError(
                _("A board can have at most %(count)d tags.") % {"count": MAX_TAGS}
            )
        if any(len(name) > 40 for name in names):
            raise forms.ValidationError(_("A tag can be at most 40 characters long."))
        return names

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("voting_opens_at"), cleaned.get("voting_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("voting_closes_at", _("Voting must close after it opens."))
        return cleaned


class BoardSettingsForm(BoardForm):
    state = forms.ChoiceField(
        label=_("State"),
        choices=Board.State.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Voting closed keeps the ideas and their votes; archived boards are read-only."
        ),
    )
    field_order = ["title", "brief", "state"]

    @staticmethod
    def initial_for(board: Board) -> dict:
        return {
            "title": board.title,
            "brief": board.brief,
            "state": board.state,
            "voting_opens_at": board.voting_opens_at,
            "voting_closes_at": board.voting_closes_at,
            "votes_per_member": board.votes_per_member,
            "tags": "\n".join(tag.name for tag in board.tags.all()),
        }


class _TagChoice(forms.ModelMultipleChoiceField):
    """Tag ids: a number beyond any id is no tag, refused here as any unknown tag is. Django
    would pass it to ``pk__in``, where SQLite overflows and PostgreSQL fails the query."""

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(str(pk).strip())
            except ValueError:
                continue  # not a number: Django's own check refuses it
            if abs(number) > MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class IdeaForm(forms.Form):
    title = _Title(
        label=_("Title"),
        max_length=Idea._meta.get_field("title").max_length,
        help_text=_("Say what you propose in a few words."),
    )
    body = _Markdown(
        label=_("Description"),
        max_length=Idea._meta.get_field("body").max_length,
        rows=8,
        help_text=_("What is the problem, what do you propose, and who benefits? Markdown works."),
    )
    tags = _TagChoice(
        label=_("Tags"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, board: Board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].queryset = board.tags.all()
        if not board.tags.exists():
            del self.fields["tags"]

    def tag_ids(self) -> list[int]:
        return [tag.pk for tag in self.cleaned_data.get("tags", [])]


class CommentForm(forms.Form):
    body = _Markdown(
        label=_("Comment"), max_length=Comment._meta.get_field("body").max_length, rows=4
    )


class HideForm(forms.Form):
    reason = _Text(
        label=_("Reason"),
        max_length=Idea._meta.get_field("hidden_reason").max_length,
        help_text=_("The author and every reader see this reason in place of the text."),
    )


class FlagForm(forms.Form):
    """Follow/unfollow, lock/unlock: the button says which, so a double click cannot undo itself."""

    value = forms.TypedChoiceField(
        choices=[("1", _("on")), ("0", _("off"))], coerce=lambda value: value == "1"
    )


class FollowForm(forms.Form):
    follow = forms.TypedChoiceField(
        choices=[("1", _("follow")), ("0", _("unfollow"))], coerce=lambda value: value == "1"
    )


class _IdeaChoice(forms.ModelChoiceField):
    def label_from_instance(self, idea):
        return f"{idea.board.title}: {idea.title} (#{idea.pk})"


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Idea.Status.choices)
    response = _Markdown(
        label=_("Official response"),
        max_length=StatusChange._meta.get_field("response").max_length,
        required=False,
        help_text=_(
            "Explain the decision: everyone who can see the idea reads it, and followers are "
            "told. Markdown works."
        ),
    )
    duplicate_of = _IdeaChoice(
        label=_("Duplicate of"),
        queryset=None,
        required=False,
        help_text=_("Only for the status Duplicate: the original idea in this group."),
    )

    def __init__(self, *args, idea: Idea, candidates, offered=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["duplicate_of"]
        field.queryset = candidates  # what is accepted: any idea of the group
        if offered is not None:  # what is listed: a short, useful selection
            field.widget.choices = [("", field.empty_label)] + [
                (idea.pk, field.label_from_instance(idea)) for idea in offered
            ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Idea.Status.DUPLICATE and not cleaned.get("duplicate_of"):
            self.add_error("duplicate_of", _("Choose the idea that this one duplicates."))
        return cleaned


class PromoteForm(forms.Form):
    board = forms.ModelChoiceField(
        label=_("Idea board"),
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
        help_text=_("Only open boards of this group are listed."),
    )
    title = _Title(
        label=_("Title of the idea"),
        max_length=Idea._meta.get_field("title").max_length,
        help_text=_("The text of the message becomes the description."),
    )
    post = OptionalId()

    def __init__(self, *args, boards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = boards


def parse_id(value) -> int | None:
    """A query-string id (``?tag=``, ``?bericht=``): anything that is not a sane id is None."""
    try:
        number = int(str(value or "").strip())
    except ValueError:
        return None
    return number if 0 < number <= MAX_ID else None
