from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from discussions.models import Post, Thread

BODY_MAX = Post._meta.get_field("body").max_length
# The largest id a bigint holds: anything above is no post, and never reaches the database.
MAX_ID = 2**63 - 1


class _Body(forms.CharField):
    """The message text: Markdown, NUL characters dropped (PostgreSQL refuses them)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Message"))
        kwargs.setdefault(
            "help_text", _("You can use Markdown: **bold**, *italic*, lists, links and > quotes.")
        )
        super().__init__(max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 6}), **kwargs)

    def to_python(self, value):
        return super().to_python((value or "").replace("\x00", ""))


class OptionalId(forms.IntegerField):
    """A hidden reference to another row: anything that is not a sane id means "none"."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        try:
            number = int(str(value or "").strip())
        except ValueError:
            return None
        return number if 0 < number <= MAX_ID else None


class ThreadForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=Thread._meta.get_field("title").max_length,
        help_text=_("What is the discussion about? For example: Bicycle parking at the office."),
    )
    body = _Body(label=_("First message"))

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].replace("\x00", "").split())


class ReplyForm(forms.Form):
    body = _Body()
    reply_to = OptionalId()


class EditForm(forms.Form):
    body = _Body()


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=Post._meta.get_field("hidden_reason").max_length,
        help_text=_("The author and every reader see this reason in place of the message."),
    )

    def clean_reason(self):
        return self.cleaned_data["reason"].replace("\x00", "").strip()


class FlagForm(forms.Form):
    """Pin/unpin, lock/unlock: the button says which, so a double click cannot undo itself."""

    value = forms.TypedChoiceField(
        choices=[("1", _("on")), ("0", _("off"))], coerce=lambda value: value == "1"
    )


class MarkReadForm(forms.Form):
    post = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class MoveForm(forms.Form):
    group = forms.ModelChoiceField(
        label=_("Move to group"),
        queryset=None,
        empty_label=None,
        help_text=_("Only active groups that you moderate are listed."),
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


def quote(post: Post) -> dict:
    """``?citeer=``: the reply starts with the post as a Markdown blockquote, and answers it."""
    name = post.author.name if post.author else gettext("former colleague")
    lines = [gettext("%(name)s wrote:") % {"name": name}, *post.body.splitlines()]
    text = "\n".join(f"> {line}".rstrip() for line in lines)
    return {"body": text + "\n\n", "reply_to": post.pk}
