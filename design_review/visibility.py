"""The real visibility of a learner's answer to an activity, read from the models that hold
the answers, for the safe-space honesty check (`design_review.checker`).

- A discussion prompt's answers are posts in a thread of kind `activity`, one per prompt and
  cohort; `discussions.models.ThreadQuerySet.visible_to` lets everyone seated in the cohort
  read it, so the answer is seen by the cohort (under a pseudonym where the prompt allows).
- Every other kind is answered, if at all, in the learner's journal (`reflections`): a mission's
  reflection and the "connect it to your own experience" invitation on the other kinds. A
  `Entry` starts at its field's default visibility (private) and only the learner can
  widen it.
"""

from discussions.models import ThreadKind
from programs.models import ActivityKind
from rapport.policy import Visibility
from reflections.models import Entry


def answer_visibility(kind: str) -> Visibility:
    """Who sees a learner's answer to an activity of `kind` (an `ActivityKind` value) by default."""
    if kind == ActivityKind.DISCUSSION:
        # The thread of a prompt (ThreadKind.ACTIVITY) is read by the whole cohort.
        assert ThreadKind.ACTIVITY  # the kind the discussions app files prompt answers under
        return Visibility.COHORT
    default = Entry._meta.get_field("visibility").default
    return Visibility(default)
