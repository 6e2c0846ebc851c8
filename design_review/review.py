"""Assembling the review of an activity and of a whole programme from the current text (the
checker, run now) and the stored decisions (the audit log): which findings are open, which were
dismissed, and the counts by week and by kind that the programme review shows."""

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from design_review.checker import DEFAULT_MAX_GRADE, Finding, ReviewContext, review_each
from design_review.codes import CODES, Category
from design_review.models import REVIEWED_FIELDS, Decision, DecisionKind, reading_grade_of
from design_review.visibility import answer_visibility
from programs.models import Activity


def digest(text: str) -> str:
    """The sha256 of a field's text: the review a form was made from, so a decision made on a
    text that has changed since is refused rather than applied to other words."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def context_for(activity: Activity, *, max_grade: float | None = None) -> ReviewContext:
    """The review context of an activity: its kind, that kind's real answer visibility, and
    the organisation's reading level (`max_grade`; when None, read from the activity's
    organisation: no query if it was loaded with `organization__review_settings`)."""
    if max_grade is None:
        max_grade = float(reading_grade_of(activity.organization))
    return ReviewContext(
        kind=activity.kind, visibility=answer_visibility(activity.kind), max_grade=max_grade
    )


@dataclass(frozen=True)
class Item:
    """One finding on one field of an activity, with whether a dismissal covers it."""

    activity: Activity
    field: str
    text: str
    finding: Finding
    dismissal: Decision | None

    @property
    def is_open(self) -> bool:
        """Not dismissed (an accepted rewrite makes the finding go away)."""
        return self.dismissal is None

    @property
    def digest(self) -> str:
        """The digest of the field's text, for the decision forms."""
        return digest(self.text)

    @property
    def sentence_parts(self) -> tuple[str, str, str]:
        """The sentence split around the highlighted words: (before, words, after)."""
        f = self.finding
        return (
            self.text[f.rewrite_start : f.start],
            self.text[f.start : f.end],
            self.text[f.end : f.rewrite_end],
        )

    @property
    def label(self) -> str:
        """The code's short label."""
        return CODES[self.finding.code].label


@dataclass
class ActivityReview:
    """The findings of one activity, open and dismissed."""

    activity: Activity
    items: list[Item] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def open_items(self) -> list[Item]:
        return [i for i in self.items if i.is_open]


def review_activities(
    activities: list[Activity],
    decisions: list[Decision],
    *,
    max_grade: float = DEFAULT_MAX_GRADE,
) -> list[ActivityReview]:
    """Review each activity's title, summary and body now, against the organisation's reading
    level `max_grade` (a Flesch-Kincaid grade), marking findings a dismissal covers (same
    activity, field, code and words). No query: the caller loads both lists."""
    dismissed = {
        (d.activity_id, d.field, d.code, d.words): d
        for d in reversed(decisions)  # newest last, so the newest dismissal wins
        if d.kind == DecisionKind.DISMISSED
    }
    out = [ActivityReview(activity) for activity in activities]
    fields = [
        (result, name, getattr(result.activity, name) or "", context)
        for result in out
        for context in [context_for(result.activity, max_grade=max_grade)]
        for name in REVIEWED_FIELDS
    ]
    # One call for the whole programme: its passages share length-sorted batches.
    reviews = review_each([(text, context) for _, _, text, context in fields])
    for (result, name, text, _), rev in zip(fields, reviews, strict=True):
        for f in rev.findings:
            key = (result.activity.pk, name, f.code, f.words)
            result.items.append(Item(result.activity, name, text, f, dismissed.get(key)))
        result.notes += [n for n in rev.notes if n != "empty"]
    return out


@dataclass
class ProgrammeReview:
    """The programme review: each activity's findings, in journey order, with the counts."""

    activities: list[ActivityReview]
    decisions: list[Decision]

    @property
    def items(self) -> list[Item]:
        return [i for a in self.activities for i in a.items]

    @property
    def open_count(self) -> int:
        return sum(1 for i in self.items if i.is_open)

    @property
    def resolved_count(self) -> int:
        """Rewrites accepted plus findings dismissed, from the audit log."""
        return len(self.decisions)

    def by_week(self) -> list[tuple[int, str, int, list[ActivityReview]]]:
        """(week number, week title, open findings, activity reviews) per week."""
        weeks: dict[int, tuple[str, list[ActivityReview]]] = {}
        for a in self.activities:
            week = a.activity.week
            weeks.setdefault(week.number, (week.title, []))[1].append(a)
        return [
            (number, title, sum(len(r.open_items) for r in reviews), reviews)
            for number, (title, reviews) in sorted(weeks.items())
        ]

    def open_by_kind(self) -> list[tuple[str, int]]:
        """Open findings per activity kind (its label), most first."""
        counts = Counter(i.activity.get_kind_display() for i in self.items if i.is_open)
        return counts.most_common()

    def open_by_category(self) -> list[tuple[Category, int]]:
        """Open findings per category (one of the four questions), in the questions' order."""
        counts = Counter(i.finding.category for i in self.items if i.is_open)
        return [(c, counts[c]) for c in Category]

    def resolved_by_kind(self) -> dict[str, int]:
        """Decisions per kind of decision."""
        return dict(Counter(d.kind for d in self.decisions))


def review_programme(
    activities: list[Activity],
    decisions: list[Decision],
    *,
    max_grade: float = DEFAULT_MAX_GRADE,
) -> ProgrammeReview:
    """The whole programme's review (see `review_activities`)."""
    return ProgrammeReview(review_activities(activities, decisions, max_grade=max_grade), decisions)
