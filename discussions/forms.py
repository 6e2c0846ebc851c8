"""Forms for every parameter the discussion views read: strict choices and limits (a post's
length, a reaction from the vocabulary, a draft's place), so bad input is a clear error and
nothing changes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from discussions.models import MAX_POST_LENGTH, MAX_PSEUDONYM_LENGTH, ReactionKind
from rapport.lib.text import SingleLineFormField, single_line_problem, validate_single_line

BODY_HELP = _(
    "Markdown works: **bold**, *italic*, lists and links. To mention someone who can read this "
    "discussion, write @[their full name], for example @[Amara Okafor]."
)


class PostForm(forms.Form):
    """A new post or a reply. `parent` is the public id of the post replied to, if any."""

    body = forms.CharField(
        label=_("Your post"),
        max_length=MAX_POST_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=BODY_HELP,
        error_messages={
            "required": _("Write something before you post."),
            "max_length": _(
                "A post can be at most %(limit_value)d characters; this one is %(show_value)d."
            ),
        },
    )
    parent = forms.UUIDField(required=False, widget=forms.HiddenInput)
    pseudonym = SingleLineFormField(
        label=_("Post under a pseudonym (optional)"),
        max_length=MAX_PSEUDONYM_LENGTH,
        required=False,
        help_text=_(
            "Your peers will see this name instead of yours. The cohort's coaches and the "
            "organisation's moderators can still see who wrote it; nobody else can."
        ),
        validators=[validate_single_line],
    )

    def __init__(self, *args: object, allow_pseudonym: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not allow_pseudonym:
            del self.fields["pseudonym"]


class EditForm(forms.Form):
    body = PostForm.base_fields["body"]


class ReactionForm(forms.Form):
    """A reaction given or taken back. The thread page's one form per post sends the pressed
    button: `give=<kind>` or `take=<kind>`; `kind` with `on` ("1" or absent gives, "0" takes
    back) says the same. Cleans to `kind` and `on` (a bool); exactly one way, or a clear
    error."""

    _choices = {"invalid_choice": _("That is not one of the reactions you can give.")}
    kind = forms.ChoiceField(choices=ReactionKind.choices, required=False, error_messages=_choices)
    on = forms.ChoiceField(choices=[("1", "1"), ("0", "0")], required=False)
    give = forms.ChoiceField(choices=ReactionKind.choices, required=False, error_messages=_choices)
    take = forms.ChoiceField(choices=ReactionKind.choices, required=False, error_messages=_choices)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        given = [name for name in ("kind", "give", "take") if data.get(name)]
        if self.errors:
            return data
        if len(given) != 1:
            raise forms.ValidationError(_("Choose one of the reactions you can give."))
        name = given[0]
        data["kind"] = data[name]
        data["on"] = data.get("on") != "0" if name == "kind" else name == "give"
        return data


class DraftForm(forms.Form):
    """What someone is typing: `key` is "" for a new post or the replied post's public id."""

    key = forms.CharField(required=False, max_length=36)
    body = forms.CharField(required=False, strip=False, max_length=MAX_POST_LENGTH + 1000)

    def clean_key(self) -> str:
        import uuid

        key = self.cleaned_data.get("key") or ""
        if key:
            try:
                return str(uuid.UUID(key))
            except ValueError:
                raise forms.ValidationError(_("Not a place in this thread.")) from None
        return key


class PageForm(forms.Form):
    """A thread page's address: `page` (absent: where the person left off) and `reply`, the
    public id of the post whose reply form is open (the "Reply" link without JavaScript)."""

    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)
    reply = forms.UUIDField(required=False)


class MentionQueryForm(forms.Form):
    """What follows the `@` someone is typing: up to 60 characters on one line, without the
    brackets that end a mention (`q` absent or empty asks for the first names)."""

    q = forms.CharField(
        required=False,
        max_length=60,
        strip=True,
        error_messages={
            "max_length": _("Type at most %(limit_value)d characters of a name."),
        },
    )

    def clean_q(self) -> str:
        value = self.cleaned_data.get("q") or ""
        if any(c in value for c in "[]<>\n\r") or single_line_problem(value):
            raise forms.ValidationError(
                _("A name is one line of letters, without [ ] < or >."), code="invalid"
            )
        return value
