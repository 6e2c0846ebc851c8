"""The weekly check-in prompt of every circle: one open question per week of the cohort.

Written to the project's design review (docs: relationship-centred design): open, free of
judgement, about the learner's own experience, and safe to answer briefly.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

BEFORE_START = _(
    "Before we begin: what would make this circle a good place for you to think out loud?"
)

PROMPTS: tuple[Promise, ...] = (
    _("What is one conversation you want to have this week?"),
    _("When did you last feel really listened to, and what did the other person do?"),
    _("Which moment this week would you like to replay, and what would you try differently?"),
    _(
        "What is a piece of feedback you are carrying, given or received, that you would "
        "like to talk through?"
    ),
    _("Where did a disagreement this week turn out to be useful?"),
    _("What did you notice about your own energy in your conversations this week?"),
    _("What have you started doing since we began that you want to keep?"),
    _("What will you take from this circle into the months ahead?"),
)


def check_in_prompt(week: int) -> Promise:
    """The prompt for a week of the cohort (1-based); before week 1, a welcome question. Past
    the last prompt, the cycle starts again."""
    if week < 1:
        return BEFORE_START
    return PROMPTS[(week - 1) % len(PROMPTS)]
