"""The demo's expert: Inès Duarte holds an expert's seat in the demo learner's cohort (given by
demo.seed, through cohorts.actions.enroll_many), with
office hours later this week on giving feedback upwards, and the questions the cohort asked
ahead, upvoted by their peers (the demo learner's among them, asked without her name), through
experts.actions as the pages would."""

from datetime import datetime, time, timedelta

from accounts.models import User
from cohorts.models import Cohort, Enrollment, EnrollmentRole
from events.models import Event, Verb
from experts import actions
from experts.models import Question, ThreadKind
from rapport.lib.timezones import get_zone

TITLE = "Office hours: feedback that travels upwards"
ROOM = "https://meet.northwind.example/ines-duarte"
# (author: "learner" or the index of another learner of the cohort, show name, text, votes)
QUESTIONS: tuple[tuple[str | int, bool, str, int], ...] = (
    (
        0,
        True,
        "My director asks for feedback at the end of every meeting, when everyone is already "
        "standing up. How do I tell her that the timing makes honest answers unlikely, without "
        "sounding like I am complaining?",
        14,
    ),
    (
        "learner",
        False,
        "I gave a new team lead feedback in front of others and it landed badly. I want to go "
        "back to it. Is it better to name what happened first, or to ask how it felt for her?",
        11,
    ),
    (
        1,
        True,
        "In our plant, people nod in the meeting and disagree in the corridor. What is one "
        "small thing a manager can do to make disagreement safe *in the room*?",
        9,
    ),
    (
        2,
        False,
        "How do you give feedback to a peer in another region when you have never met them in "
        "person and every call is late at night for one of you?",
        6,
    ),
    (
        3,
        True,
        "Is there a way to ask my own manager for feedback that does not put them on the spot?",
        4,
    ),
)


def seed_experts(cohort: Cohort, *, expert: str, learner: str, now: datetime) -> dict[str, int]:
    """Open the expert's office hours in `cohort` three days ahead at 17:00 in her zone,
    and add the cohort's questions with their upvotes. Returns counts by kind."""
    ines = User.objects.get(email=expert)
    amara = User.objects.get(email=learner)
    day = now.astimezone(get_zone(ines.time_zone)).date() + timedelta(days=3)
    starts_at = datetime.combine(day, time(17), tzinfo=get_zone(ines.time_zone))
    thread = actions.open_thread(
        ines,
        cohort=cohort,
        kind=ThreadKind.OFFICE_HOURS,
        title=TITLE,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=60),
        video_url=ROOM,
    )
    others = list(
        User.objects.filter(
            pk__in=Enrollment.objects.filter(cohort=cohort, role=EnrollmentRole.LEARNER).values(
                "user_id"
            )
        )
        .exclude(pk=amara.pk)
        .order_by("pk")[:40]
    )
    votes = 0
    for index, (author, show_name, text, wanted) in enumerate(QUESTIONS):
        person = amara if author == "learner" else others[int(author) % len(others)]
        question = actions.ask_question(person, thread=thread, body=text, show_name=show_name)
        # At most half the cohort upvotes any one question (a small demo stays plausible).
        voters = [p for p in [amara, *others] if p.pk != person.pk]
        voters = voters[: min(wanted, max(1, len(voters) // 2))]
        for voter in voters:
            votes += actions.set_vote(voter, question=question, up=True)
        # Asked over the past two days and upvoted since: the demo's record is in its past.
        asked_at = now - timedelta(days=2, hours=-5 * index)
        Question.objects.filter(pk=question.pk).update(created_at=asked_at)
        Event.objects.filter(object_id=question.public_id, verb=Verb.ASKED).update(
            timestamp=asked_at
        )
        Event.objects.filter(object_id=question.public_id, verb=Verb.UPVOTED).update(
            timestamp=asked_at + timedelta(hours=3)
        )
    return {"threads": 1, "questions": len(QUESTIONS), "votes": votes}
