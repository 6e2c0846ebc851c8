"""The demo's growth tools: the demo learner's "what's in it for me", the behaviours she chose,
her goals, a belief she is challenging with its routines and weeks of check-ins, a team charter,
a difficult conversation planned and debriefed (and one still ahead), and her emotion and energy
check-ins; and emotion check-ins (numbers only) for the learners of the first cohort, so the
admin's organisation trends have groups large enough to show.

Written through growth.actions for the learner; the other learners' check-ins are inserted in
bulk. Original text for the demo, in the voice of the source articles.
"""

import random
import uuid
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cohorts.models import Cohort, EnrollmentRole
from events.models import Event
from growth import actions
from growth.models import Cadence, GoalStatus, MoodCheckIn
from organizations.models import Behaviour
from rapport.lib.timezones import local_today

WHATS_IN_IT = (
    "My team is spread over three sites and two time zones, and I have started to notice that "
    "people only bring me problems once they are already fires. I want to be the manager "
    "people talk to early, because they know I will listen before I fix. For me that means "
    "calmer weeks, fewer surprises, and a team that grows instead of waiting for me."
)

GOALS: tuple[tuple[str, str, str, str, int, str], ...] = (
    # (title, why, how I'll know, behaviour text prefix, weeks from now, status)
    (
        "Hold one listening-only 1:1 with each of my five direct reports",
        "Our 1:1s have become status updates. I want people to feel heard before they feel "
        "managed.",
        "Each of them has talked for most of the meeting, and I have played back what I heard "
        "before offering anything.",
        "Plays back what they heard",
        3,
        GoalStatus.ACTIVE,
    ),
    (
        "Give feedback within two days, on a call, not in a chat message",
        "Feedback I save up for the monthly review lands as a verdict instead of help.",
        "For a month, every piece of feedback I gave was close to the moment and spoken.",
        "Gives feedback close to the moment",
        6,
        GoalStatus.ACTIVE,
    ),
    (
        "Start every team call with its purpose and the decision we need",
        "Our calls drift, and the quieter people in Porto never find a way in.",
        "Two weeks of calls that end five minutes early with a clear owner for each action.",
        "States the purpose and the request",
        -1,
        GoalStatus.ACHIEVED,
    ),
)

BELIEFS: tuple[tuple[str, str, tuple[tuple[str, str, float], ...]], ...] = (
    (
        "If I'm not instantly available on chat, my team will think I don't care.",
        "Care shows in the quality of my attention, not in how fast I reply.",
        (
            ("Close chat for my first focused hour and tell the team when I'm back", "daily", 0.7),
            ("Ask “How are you, really?” at the start of one conversation", "daily", 0.8),
        ),
    ),
    (
        "Difficult conversations go better if I keep them short and stick to facts.",
        "People hear hard things when they first feel understood; connection before content.",
        (("Prepare one hard conversation with the planner before I have it", "weekly", 0.75),),
    ),
)

CHARTER = {
    "team": "Medical Affairs, UK and Portugal",
    "how_we_meet": (
        "Cameras on for the first five minutes so we see each other; after that, whatever "
        "the day needs.\nEvery meeting starts with its purpose and ends with who does what."
    ),
    "our_attention": (
        "Notifications off and other windows closed while we talk.\nIf someone is "
        "distracted, they say so and we find another time, no hard feelings."
    ),
    "staying_connected": (
        "We test sound before a big call.\nIf someone drops off, we pause until they are "
        "back, and recap the last point for them."
    ),
    "feedback": (
        "We describe what we saw and its effect, never the person.\nFeedback comes within "
        "two days, spoken rather than written."
    ),
    "our_promise": (
        "What is said in confidence stays with us.\nWe assume good intent and ask before we judge."
    ),
}

PLAN_DONE = {
    "subject": "The handover that keeps slipping in the Lisbon team",
    "purpose": (
        "Not to win the argument about dates, but to understand what is getting in the way "
        "and agree something we can both keep."
    ),
    "values": "Honesty and respect. I want to be clear about the impact and kind about the person.",
    "feelings": "Frustrated, and a little anxious that I'll come across as blaming.",
    "calming": (
        "Five slow breaths before the call, a glass of water on the desk, and permission to "
        "pause if I feel my voice rising."
    ),
    "outcome": "We both leave knowing the real blocker and one change we will each make.",
    "opening_line": (
        "I'd like to talk about the handovers, because I think something is making them hard "
        "and I'd rather understand it than guess."
    ),
    "listen_for": (
        "What is happening on their side that I can't see from here; how they feel about it."
    ),
}
DEBRIEF = {
    "what_happened": (
        "We talked for thirty minutes. The handover slips because the Lisbon lab only gets "
        "results on Thursday afternoons, which I didn't know."
    ),
    "what_went_well": (
        "Opening with curiosity instead of the dates. Once I asked, the whole story came out."
    ),
    "what_i_noticed": (
        "My shoulders were tight for the first few minutes. When I stopped talking and just "
        "listened, they dropped."
    ),
    "next_time": "Ask what I might not be seeing before I decide what the problem is.",
}
PLAN_AHEAD = {
    "subject": "Telling a long-serving team member the role is changing",
    "purpose": "That they hear it from me first, with room for their questions and feelings.",
    "values": "Care and candour.",
    "feelings": "Heavy. I like and respect them.",
    "calming": "A short walk beforehand; no meetings booked straight after.",
    "outcome": "They feel respected, informed and not alone with it.",
    "opening_line": (
        "I have some news about the team that affects you, and I wanted you to hear it from me."
    ),
    "listen_for": "Worry about what it means for them; what they need from me this month.",
}

MOOD_WORDS = ("steady", "stretched", "hopeful", "tired", "focused", "lighter", "scattered")


def _behaviour(organization_id: int, prefix: str) -> Behaviour | None:
    return Behaviour.objects.filter(
        organization_id=organization_id, text__startswith=prefix
    ).first()


@transaction.atomic
def seed_growth(cohort: Cohort, *, learner: str, now: datetime) -> dict[str, int]:
    """The growth tools of the demo learner (`learner`, an email) and emotion check-ins of the
    cohort's learners over the last eight weeks before `now`. Returns counts by kind."""
    amara = User.objects.select_related("membership").get(email=learner)
    since = timezone.now()  # the writes below record events at the real time
    organization_id = cohort.organization_id
    today = local_today(amara.time_zone, now)
    rng = random.Random(8)  # the same demo on every run

    actions.save_whats_in_it_for_me(amara, text=WHATS_IN_IT)
    goals = 0
    picks = []
    for title, why, how, prefix, weeks, status in GOALS:
        behaviour = _behaviour(organization_id, prefix)
        if behaviour is not None:
            picks.append(behaviour)
        goal, _ = actions.create_goal(
            amara,
            submission=uuid.uuid4(),
            title=title,
            why=why,
            how_i_will_know=how,
            behaviour=behaviour,
            target_date=today + timedelta(weeks=weeks),
        )
        if status != GoalStatus.ACTIVE:
            actions.update_row(goal, status=status)
        goals += 1
    actions.pick_behaviours(amara, behaviours=picks[:2])

    check_ins = 0
    for belief_text, principle, routines in BELIEFS:
        belief, _ = actions.create_belief(
            amara, submission=uuid.uuid4(), belief=belief_text, principle=principle
        )
        for text, cadence, rate in routines:
            routine, _ = actions.add_routine(
                amara, belief=belief, submission=uuid.uuid4(), text=text, cadence=Cadence(cadence)
            )
            if cadence == Cadence.DAILY:
                periods = [today - timedelta(days=n) for n in range(1, 29)]
            else:
                monday = today - timedelta(days=today.weekday())
                periods = [monday - timedelta(weeks=n) for n in range(1, 5)]
            for period in periods:
                if rng.random() < 0.15:
                    continue  # some days pass without a check-in, and that is fine
                actions.check_in_routine(
                    amara, routine=routine, period=period, done=rng.random() < rate
                )
                check_ins += 1

    actions.create_charter(amara, submission=uuid.uuid4(), **CHARTER)
    done, _ = actions.create_conversation_plan(
        amara, submission=uuid.uuid4(), planned_for=today - timedelta(days=9), **PLAN_DONE
    )
    actions.save_debrief(amara, plan=done, **DEBRIEF)
    actions.create_conversation_plan(
        amara, submission=uuid.uuid4(), planned_for=today + timedelta(days=4), **PLAN_AHEAD
    )

    moods = 0
    for n in range(20, 0, -1):
        if n % 3 == 0:
            continue
        feeling = 3 + (1 if n % 4 == 0 else 0) - (1 if n % 7 == 0 else 0)
        actions.record_mood(
            amara,
            submission=uuid.uuid4(),
            day=today - timedelta(days=n),
            feeling=feeling,
            energy=max(1, min(5, feeling + rng.choice((-1, 0, 0, 1)))),
            word=MOOD_WORDS[n % len(MOOD_WORDS)] if n % 2 == 0 else "",
        )
        moods += 1
    moods += _cohort_moods(cohort, exclude=amara.pk, today=today, rng=rng)
    # Her events are dated in the demo's past, like every other seeded event.
    Event.objects.filter(actor=amara, timestamp__gte=since).update(
        timestamp=now - timedelta(hours=2)
    )
    return {"goals": goals, "routine_check_ins": check_ins, "mood_check_ins": moods}


def _cohort_moods(cohort: Cohort, *, exclude: int, today: date, rng: random.Random) -> int:
    """Two or three check-ins a week for eight weeks from each of the cohort's learners: numbers
    only (no word, no note), so the admin's trends have groups above the threshold."""
    learners = list(
        cohort.enrollments.filter(role=EnrollmentRole.LEARNER)
        .exclude(user_id=exclude)
        .values_list("user_id", flat=True)[:60]
    )
    rows = []
    for user_id in learners:
        mood = rng.choice((2.8, 3.2, 3.6, 4.0))
        for week in range(8):
            for _ in range(rng.choice((2, 3))):
                day = today - timedelta(days=week * 7 + rng.randrange(7))
                feeling = max(1, min(5, round(mood + rng.uniform(-1.2, 1.2) - 0.1 * (week % 3))))
                rows.append(
                    MoodCheckIn(
                        organization_id=cohort.organization_id,
                        owner_id=user_id,
                        submission=uuid.uuid4(),
                        day=day,
                        feeling=feeling,
                        energy=max(1, min(5, feeling + rng.choice((-1, 0, 1)))),
                    )
                )
    MoodCheckIn.objects.bulk_create(rows, batch_size=500)
    return len(rows)
