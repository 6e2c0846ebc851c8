"""The demo's feedback between rounds: Amara (the demo learner) asked about two moments of her
own, through the app's actions, as a learner would.

- Eight days ago, her first skip-level meeting: she asked Rafael (the demo peer), two more peers
  of her circle or cohort and her coach Grace. Rafael, one peer and Grace answered with warm,
  specific situation-behaviour-impact feedback; the third peer declined. She shares this one
  with Grace.
- Two days ago, a hard conversation about a missed deadline: she asked Rafael and one more peer.
  Nobody has answered yet, so Rafael finds it waiting for him (Feedback between rounds, and a
  notification).

Every notification is dated when it happened and marked emailed then (as demo.notifications
does), so the demo starts with the inbox a person would have, not a burst of old emails. The
rows, and the events the actions recorded, are then dated into the past.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from assessments import actions
from assessments.models import FeedbackAnswer, FeedbackRequest
from cohorts.models import Cohort, Enrollment, EnrollmentRole
from events.models import Event
from notifications.models import Notification, NotificationKind
from organizations.models import Behaviour

SKIP_LEVEL = (
    "I ran my first skip-level meeting with the Porto packaging team on Tuesday. How did I come "
    "across, and did people feel they could say what is really slowing them down?"
)
DEADLINE = (
    "Yesterday I talked with Jonas about the stability report that slipped for the second time. "
    "I tried to describe the impact instead of blaming. Did it land as fair, from where you sat?"
)

# (situation, behaviour, impact) for (strength, growth edge), by who wrote it.
ANSWERS = {
    "peer": (
        (
            "Tuesday's skip-level, when Inês said the night shift never hears about changes.",
            "You stopped, asked her for one recent example, and wrote it on the whiteboard in "
            "her words rather than yours.",
            "Two operators who had said nothing in months added their own examples. The room "
            "went from polite to honest in about five minutes.",
        ),
        (
            "The last ten minutes, when the agenda ran over.",
            "You summarised the actions yourself and closed the call before asking who would own "
            "each one.",
            "Afterwards three of us were not sure whether the rota fix was ours or yours. Leaving "
            "two minutes for owners would have kept the momentum you had built.",
        ),
    ),
    "second": (
        (
            "The opening of the meeting.",
            "You told us why you were there: to listen, not to announce anything, and that "
            "nobody's manager would hear who said what.",
            "I saw shoulders drop. People took you at your word, and the questions were sharper "
            "than in any all-hands I have been to.",
        ),
        (
            "When Marco complained about the new labelling machine.",
            "You started explaining the business case for it while he was still talking.",
            "He stopped mid-sentence and did not speak again. Letting him finish, then asking "
            "what would make it workable, might have kept him with you.",
        ),
    ),
    "coach": (
        (
            "How you prepared: the three questions you sent the team two days before.",
            "You asked what gets in the way, what they would change first, and what they wanted "
            "you to stop doing.",
            "The team came ready to talk instead of waiting to be told. That is the listening "
            "work of weeks one and two, done in public.",
        ),
        (
            "Your own account of the meeting in our session.",
            "You spent most of it on what you would fix for them, and little on what you heard.",
            "Their trust grows when they see their words come back unchanged first. Try opening "
            "the next one by reading back last time's board before any plan.",
        ),
    ),
}


def _at(now: datetime, days_ago: float, hour: int) -> datetime:
    moment = now - timedelta(days=days_ago)
    return moment.replace(hour=hour, minute=15, second=0, microsecond=0)


def seed_feedback(
    cohort: Cohort, *, learner: str, peer: str, coach: str, now: datetime
) -> dict[str, int]:
    """Amara's two requests for feedback (module docstring), made and answered through
    `assessments.actions`. Returns counts: requests, answers, waiting."""
    amara = User.objects.get(email=learner)
    rafael = User.objects.get(email=peer)
    grace = User.objects.get(email=coach)
    seat = Enrollment.objects.select_related("cohort", "coach").get(cohort=cohort, user=amara)
    others = list(
        Enrollment.objects.filter(cohort=cohort, role=EnrollmentRole.LEARNER, user__is_active=True)
        .exclude(user__in=[amara, rafael])
        .select_related("user")
        .order_by("pk")[:3]
    )
    rafael_seat = Enrollment.objects.get(cohort=cohort, user=rafael)
    listen = (
        Behaviour.objects.filter(organization=cohort.organization)
        .order_by("competency__position", "competency__name", "position")
        .first()
    )
    today = timezone.localdate(now)
    with transaction.atomic():
        first = actions.request_feedback(
            amara,
            seat=seat,
            focus=SKIP_LEVEL,
            behaviour=listen,
            peers=[rafael_seat, others[0], others[1]],
            ask_coach=seat.coach_id == grace.pk,
            due_on=None,
            today=today,
        )
        parts = {a.writer_id: a for a in first.answers.select_related("request__seat__cohort")}
        by = {rafael.pk: "peer", others[0].user_id: "second", grace.pk: "coach"}
        writers = {rafael.pk: rafael, others[0].user_id: others[0].user, grace.pk: grace}
        for writer_id, key in by.items():
            if writer_id not in parts:
                continue
            (s_sit, s_beh, s_imp), (e_sit, e_beh, e_imp) = ANSWERS[key]
            actions.give_feedback(
                writers[writer_id],
                answer=parts[writer_id],
                comments={
                    "strength_situation": s_sit,
                    "strength_behaviour": s_beh,
                    "strength_impact": s_imp,
                    "edge_situation": e_sit,
                    "edge_behaviour": e_beh,
                    "edge_impact": e_imp,
                },
            )
        actions.decline_feedback(others[1].user, answer=parts[others[1].user_id])
        actions.share_feedback_with_coach(amara, request=first, shared=True)
        second = actions.request_feedback(
            amara,
            seat=seat,
            focus=DEADLINE,
            behaviour=None,
            peers=[rafael_seat, others[2]],
            ask_coach=False,
            due_on=today + timedelta(days=5),
            today=today,
        )
        # Into the past: asked eight and two days ago, answered over the following days.
        asked_first = _at(now, 8, 17)
        FeedbackRequest.objects.filter(pk=first.pk).update(created_at=asked_first)
        FeedbackAnswer.objects.filter(request=first).update(asked_at=asked_first)
        for n, writer_id in enumerate((rafael.pk, others[0].user_id, grace.pk, others[1].user_id)):
            FeedbackAnswer.objects.filter(request=first, writer_id=writer_id).update(
                answered_at=_at(now, 7 - n, 9 + 2 * n)
            )
        asked_second = _at(now, 2, 12)
        FeedbackRequest.objects.filter(pk=second.pk).update(created_at=asked_second)
        FeedbackAnswer.objects.filter(request=second).update(asked_at=asked_second)
        # The events the actions recorded happened when the rows say, not at seeding time.
        Event.objects.filter(object_id=first.public_id).update(timestamp=asked_first)
        Event.objects.filter(object_id=second.public_id).update(timestamp=asked_second)
        for answer in FeedbackAnswer.objects.filter(request__in=[first, second]):
            Event.objects.filter(object_id=answer.public_id).update(
                timestamp=answer.answered_at or answer.asked_at
            )
        heard = Notification.objects.filter(
            kind__in=[NotificationKind.FEEDBACK_ASKED, NotificationKind.FEEDBACK_GIVEN],
            recipient__in=[amara, rafael, grace, *[o.user for o in others]],
        )
        for notification in heard:
            when = (
                asked_second
                if notification.target_id in {a.public_id for a in second.answers.all()}
                else asked_first + timedelta(days=1)
            )
            Notification.objects.filter(pk=notification.pk).update(
                created_at=when,
                emailed_at=when,
                read_at=None if notification.recipient_id == rafael.pk else when,
            )
    return {
        "requests": 2,
        "answers": FeedbackAnswer.objects.filter(
            request__in=[first, second], state="answered"
        ).count(),
        "waiting": FeedbackAnswer.objects.filter(request=second, state="waiting").count(),
    }
