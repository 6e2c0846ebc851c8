"""The demo's coaching conversations: the demo coach's message threads with the demo learner and
three more of her learners (two of them waiting for her answer), her private notes on the
demo learner's two past sessions, and the action plan the two of them agreed, one item linked
to one of the learner's own goals.

Rows are written directly (dated in the demo's past), not through coaching.actions, so seeding
notifies and emails nobody. Text is original and stored encrypted like any message.
"""

from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.db import transaction

from accounts.models import User
from coaching.models import (
    ActionItem,
    Attachment,
    Booking,
    BookingStatus,
    Conversation,
    Message,
    SessionNote,
)
from cohorts.models import Cohort, EnrollmentRole
from growth.models import Goal
from organizations.models import Behaviour
from programs.models import Activity
from rapport.lib.crypto import encrypt_bytes

# (days before now, who writes: "coach" or "learner", text). The last message is the coach's,
# sent after the learner last opened the thread: one unread for her.
AMARA_THREAD: tuple[tuple[float, str, str], ...] = (
    (
        16,
        "coach",
        "Hello Amara, I'm Grace, your coach for these seven weeks. This space is just for the "
        "two of us. Write whenever something comes up, big or small: I usually answer within a "
        "working day.",
    ),
    (
        15.8,
        "learner",
        "Thank you, Grace. Honestly I'm a bit sceptical about coaching over video, but I'm "
        "curious. My team is split between London and Porto and I often feel I'm managing "
        "two teams.",
    ),
    (
        13,
        "coach",
        "Thank you for our first conversation. As promised, here are the notes from our "
        "action plan, and a small listening log you might try this week. No pressure to fill "
        "it in every day.",
    ),
    (
        9,
        "learner",
        "I tried the listening-only 1:1 with Tiago today. I talked for maybe five minutes out "
        "of thirty. He told me about a supplier problem I had no idea about. Slightly "
        "alarming, mostly encouraging.",
    ),
    (
        8.7,
        "coach",
        "That is a real shift, and the supplier story shows why it matters. What did you "
        "notice in yourself when the silence came?",
    ),
    (
        8.5,
        "learner",
        "That I wanted to fill it with a solution. I counted to five in my head instead. It "
        "felt long, and then he kept going.",
    ),
    (
        3,
        "learner",
        "Question about the feedback film: it says to give feedback close to the moment. "
        "What if the moment has passed and it was a week ago?",
    ),
    (
        2.6,
        "coach",
        "A week late is still far better than the monthly review. Name that it is late, keep it "
        "specific, and ask for their view first. Shall we practise it in our session on "
        "Thursday?",
    ),
)
# Other learners' threads: (index among the coach's other learners, messages). A thread whose
# last message is the learner's is waiting for the coach (unread for her).
OTHER_THREADS: tuple[tuple[int, tuple[tuple[float, str, str], ...]], ...] = (
    (
        0,
        (
            (
                6,
                "coach",
                "How did the team charter conversation go? I remember you were dreading it.",
            ),
            (
                1.2,
                "learner",
                "Better than expected! Two people who never speak in calls suggested the "
                "'cameras optional on Fridays' rule. Can I send you the draft before I share it?",
            ),
        ),
    ),
    (
        1,
        (
            (
                4,
                "learner",
                "I missed this week's live session, my flight was delayed. Is there anything I "
                "should catch up on before our 1:1?",
            ),
            (
                3.9,
                "learner",
                "Also, I'm finding the mission hard: my manager is the person I most need to "
                "listen to and the one I find it hardest with.",
            ),
        ),
    ),
    (
        2,
        (
            (
                10,
                "learner",
                "Thanks for yesterday. I've booked the follow-up for two weeks from now.",
            ),
            (
                9.8,
                "coach",
                "Good. Until then, try one 'what else?' in each 1:1 and jot down what changes.",
            ),
        ),
    ),
)
LISTENING_LOG = (
    "Listening log: week 2\n\n"
    "For each 1:1 this week, jot down:\n"
    "- Who talked for most of the meeting?\n"
    "- One thing you heard that you did not know before.\n"
    "- The moment you most wanted to jump in, and what you did instead.\n\n"
    "Bring it to our next session, or don't: it is yours.\n"
)
NOTES = (
    "First session. Amara is candid and quick; she moves to solutions fast, and said so "
    "herself. London/Porto split is the real theme: she feels she manages 'two teams'. Agreed "
    "to start with listening-only 1:1s. Check in on Tiago (Porto) next time.",
    "Listening 1:1 with Tiago went well: supplier issue surfaced. She is noticing the urge to "
    "fill silence. Feedback is the next edge: she saves it up for reviews. Offer to rehearse "
    "a late piece of feedback next session.",
)
# (days before now it was added, by "coach" or "learner", text, behaviour text prefix, goal?,
# done)
PLAN: tuple[tuple[float, str, str, str, bool, bool], ...] = (
    (
        13,
        "coach",
        "Hold a listening-only 1:1 with Tiago, then with the rest of the Porto team",
        "Plays back what they heard",
        True,
        True,
    ),
    (
        13,
        "learner",
        "Keep a short listening log after each 1:1 for two weeks",
        "Asks open questions",
        False,
        True,
    ),
    (
        8.5,
        "learner",
        "Give the late feedback to Inês, naming that it is late, and ask for her view first",
        "Gives feedback close to the moment",
        False,
        False,
    ),
    (
        2.6,
        "coach",
        "Open the next London and Porto call with its purpose and the one decision we need",
        "States the purpose and the request",
        False,
        False,
    ),
)
# Past sessions of the demo learner, in days before now (each 45 minutes).
PAST_SESSIONS = (13, 8.6)


@transaction.atomic
def seed_coaching_talk(
    cohort: Cohort, *, learner: str, coach: str, now: datetime
) -> dict[str, int]:
    """Threads, notes, an action plan and two past sessions (see the module docstring).
    Returns counts by kind."""
    grace = User.objects.get(email=coach)
    amara = User.objects.get(email=learner)
    others = list(
        User.objects.filter(
            enrollments__cohort=cohort,
            enrollments__role=EnrollmentRole.LEARNER,
            enrollments__coach=grace,
        )
        .exclude(pk=amara.pk)
        .order_by("-pk")[: len(OTHER_THREADS)]
    )
    counts = {"messages": 0, "notes": 0, "items": 0, "conversations": 0}

    conversation = _thread(grace, amara, AMARA_THREAD, now=now, counts=counts)
    # The listening log travels with the coach's third message; Amara's question about the
    # feedback film is asked from its activity ("Ask my coach").
    messages = list(conversation.messages.order_by("created_at"))
    log = LISTENING_LOG.encode()
    attachment = Attachment(
        message=messages[2], name="Listening log.txt", content_type="text/plain; charset=utf-8"
    )
    attachment.size = len(log)
    attachment.file.save("attachment.bin", ContentFile(encrypt_bytes(log)), save=False)
    attachment.save()
    film = (
        Activity.objects.filter(week__program=cohort.program, title="Feedback that can be heard")
        .order_by("week__number", "position")
        .first()
    )
    if film is not None:
        Message.objects.filter(pk=messages[6].pk).update(activity=film, cohort=cohort)
    # Amara opened the thread before the coach's last answer: one unread for her.
    Conversation.objects.filter(pk=conversation.pk).update(
        learner_read_at=messages[6].created_at, coach_read_at=now
    )

    for index, thread in OTHER_THREADS:
        if index < len(others):
            other = _thread(grace, others[index], thread, now=now, counts=counts)
            last = other.messages.order_by("-created_at").first()
            assert last is not None
            waiting = last.author_id != grace.pk
            first_by_learner = other.messages.exclude(author=grace).order_by("created_at").first()
            Conversation.objects.filter(pk=other.pk).update(
                coach_read_at=(
                    (first_by_learner.created_at - timedelta(minutes=1))
                    if waiting and first_by_learner
                    else now
                ),
                learner_read_at=now,
            )

    for days_ago, note in zip(PAST_SESSIONS, NOTES, strict=True):
        starts = (now - timedelta(days=days_ago)).replace(second=0, microsecond=0)
        booking = Booking.objects.create(
            coach=grace,
            learner=amara,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=45),
            status=BookingStatus.BOOKED,
            booked_by=amara,
        )
        SessionNote.objects.create(booking=booking, coach=grace, body=note)
        counts["notes"] += 1

    goal = Goal.objects.filter(owner=amara).order_by("created_at", "id").first()
    for days_ago, by, text, prefix, with_goal, done in PLAN:
        item = ActionItem.objects.create(
            conversation=conversation,
            text=text,
            behaviour=Behaviour.objects.filter(
                organization_id=grace.organization_id, text__startswith=prefix
            ).first(),
            goal=goal if with_goal else None,
            added_by=grace if by == "coach" else amara,
            done_at=now - timedelta(days=2) if done else None,
        )
        ActionItem.objects.filter(pk=item.pk).update(created_at=now - timedelta(days=days_ago))
        counts["items"] += 1
    return counts


def _thread(
    coach: User,
    learner: User,
    lines: tuple[tuple[float, str, str], ...],
    *,
    now: datetime,
    counts: dict[str, int],
) -> Conversation:
    conversation = Conversation.objects.create(coach=coach, learner=learner)
    rows = [
        Message(
            conversation=conversation,
            organization_id=conversation.organization_id,
            author=coach if who == "coach" else learner,
            body=text,
            created_at=now - timedelta(days=days_ago),
        )
        for days_ago, who, text in lines
    ]
    Message.objects.bulk_create(rows)
    Conversation.objects.filter(pk=conversation.pk).update(
        last_message_at=max(row.created_at for row in rows)
    )
    counts["messages"] += len(rows)
    counts["conversations"] += 1
    return conversation
