"""The demo's design review: a draft programme a designer is still writing, with a few findings
planted on purpose so that the review has something to show (the published programme, written
in demo/content, passes review with none; design_review/tests/test_metrics.py checks that).

designer@ finds it from home: Open the studio → Programmes → the draft → Design review.
"""

from django.db import transaction

from organizations.models import Organization
from programs.models import Activity, ActivityKind, Program, Week

DRAFT_TITLE = "Feedback foundations (draft)"

# (kind, title, summary, body): three activities carry planted findings, one is clean.
DRAFT_ACTIVITIES = (
    (
        ActivityKind.DISCUSSION,
        "A feedback moment you let pass",
        "Think back to feedback you meant to give.",
        "Only you will see your answer, so be as honest as you like.\n\n"
        "Why didn't you give the feedback you had in mind? What would you like to say now?",
    ),
    (
        ActivityKind.MISSION,
        "Ask one colleague for feedback",
        "A small, brave step this week.",
        "Hurry: the best managers ask for feedback every single week. Pick one colleague and "
        "ask them what you could do differently in your next meeting together.\n\n"
        "Your reflection afterwards is private unless you choose to share it with your coach.",
    ),
    (
        ActivityKind.ARTICLE,
        "Feedback that lands",
        "Observation, impact and a curious question.",
        "Start with the low-hanging fruit: one specific thing you noticed, the effect it had, "
        "and a question that invites the other person's view. Feedback about behaviour can be "
        "heard; feedback about a person's character usually cannot.",
    ),
    (
        ActivityKind.DISCUSSION,
        "Phrases that helped you hear feedback",
        "Collect kind, clear phrases with your cohort.",
        "Your cohort will read your reply. Share one phrase someone used when giving you "
        "feedback that made it easier to hear, and what it did for you.",
    ),
)


def seed_draft_review(organization: Organization) -> dict[str, int]:
    """Create the draft programme (one week, four activities) with its planted findings.
    Returns counts for the seed's log."""
    with transaction.atomic():
        program = Program.objects.create(
            organization=organization,
            title=DRAFT_TITLE,
            summary="A short module on giving and asking for feedback, still in review.",
        )
        week = Week.objects.create(program=program, number=1, title="Asking and offering")
        Activity.objects.bulk_create(
            Activity(
                organization=organization,
                week=week,
                position=position,
                kind=kind,
                title=title,
                summary=summary,
                body=body,
                estimated_minutes=10,
            )
            for position, (kind, title, summary, body) in enumerate(DRAFT_ACTIVITIES)
        )
    return {"activities": len(DRAFT_ACTIVITIES)}
