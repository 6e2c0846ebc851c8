"""The demo's conversations: the first cohort's threads, written through discussions.actions.

- Week 1's prompt ("A conversation that stayed with you") is an open thread: several voices,
  replies, reactions, one edited post, and posts new since the demo learner's last visit.
- Week 3's prompt ("Feedback you still remember") is set to *respond before you see others*
  and allows pseudonyms: peers have answered (one under a pseudonym), the demo learner has not,
  so the gate is what she sees until she posts.
- The cohort's community space has a welcome from the coach with fourteen hellos from around
  the world (more than the thread page shows under a post: the rest are on its replies page).

Everything here is original text for the demo, in the warm, practical voice of
/work/shared/seeds/ (leaders learning to build human connection at a distance).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from accounts.models import User
from cohorts.models import Cohort, EnrollmentRole
from discussions import actions
from discussions.models import Post, ReactionKind, Thread
from programs.models import Activity, ActivityKind

OPEN_PROMPT = "A conversation that stayed with you"
GATED_PROMPT = "Feedback you still remember"


@dataclass(frozen=True)
class Line:
    """One post: who (an index into the cast), how many hours before now, the text, the post it
    answers (an index into the thread's lines, or None), a pseudonym, reactions by cast index."""

    who: int
    hours_ago: float
    text: str
    reply_to: int | None = None
    pseudonym: str = ""
    reactions: tuple[tuple[int, str], ...] = ()


# The cast: 0 the demo learner (Amara), 1 the peer (Rafael), 2 the coach (Grace), 3.. other
# learners of the cohort.
OPEN_THREAD = [
    Line(
        3,
        140,
        (
            "Mine was years ago, in my first month as a supervisor. I had made a scheduling "
            "mistake "
            "that left a line short for a whole night shift. My manager, Ines, asked me to walk "
            "her "
            "through what happened, and then she just... waited. No sigh, no fixing it for me. She "
            "asked what I thought we should change, and wrote down what I said.\n\n"
            "What stayed with me is that she **wrote it down**. It told me my thinking mattered "
            "more than my mistake. I still carry a notebook into one-to-ones because of her."
        ),
        reactions=((1, ReactionKind.RELATE), (2, ReactionKind.THANKS), (4, ReactionKind.HELPED)),
    ),
    Line(
        1,
        120,
        (
            "The notebook detail is lovely. I have never thought about what writing something down "
            "says to the other person. Do you think your team notices when you do it?"
        ),
        reply_to=0,
    ),
    Line(
        3,
        118,
        (
            "They do. One of my team leads told me she prepares more for our one-to-ones now, "
            "because she knows the ideas will go somewhere."
        ),
        reply_to=0,
        reactions=((1, ReactionKind.THINK),),
    ),
    Line(
        4,
        96,
        (
            "Mine is not a work conversation at first glance. After my father's surgery I came "
            "back "
            "to work distracted and short with people. A colleague from the Singapore office, whom "
            'I had only met on video calls, messaged me: *"You sound tired. Do you want to talk, '
            "or "
            'do you want me to take the Thursday review?"*\n\n'
            "Two options, no pressure, and she had noticed from a voice on a call. I took the "
            "Thursday review offer, and we have talked every month since. Distance was not the "
            "barrier I assumed it was."
        ),
        reactions=((0, ReactionKind.RELATE), (3, ReactionKind.THANKS), (1, ReactionKind.RELATE)),
    ),
    Line(
        0,
        90,
        (
            "Offering two options is such a kind way to make it easy to say yes. I am going to "
            "borrow that. Did you find it hard to accept the help at the time?"
        ),
        reply_to=3,
        reactions=((4, ReactionKind.HELPED), (1, ReactionKind.RELATE)),
    ),
    Line(
        4,
        88,
        (
            "Very hard. I think the choice made it possible: she was not deciding for me that I "
            "was struggling."
        ),
        reply_to=3,
        reactions=((0, ReactionKind.HELPED),),
    ),
    Line(
        2,
        70,
        (
            "Thank you both for these. Notice what the two stories share: neither person solved "
            "anything in the moment. They **paid attention and left room**. That is the whole of "
            "this week in two examples. When you try the offline mission, see whether you can "
            "leave that kind of room once."
        ),
        reactions=((3, ReactionKind.THANKS), (4, ReactionKind.THANKS), (0, ReactionKind.THINK)),
    ),
    Line(
        5,
        30,
        (
            "I am late to this thread, sorry. Mine is a customer, not a colleague: a pharmacist in "
            "Lyon who told me, very patiently, that our product training was useless to her staff "
            "because it assumed they had time to read. She was right, and she was generous enough "
            "to explain instead of just complaining. I rebuilt the training with her input.\n\n"
            "What made me able to hear it? She started by saying what she valued about working "
            "with us. I try to do the same now before difficult feedback."
        ),
        reactions=((2, ReactionKind.HELPED),),
    ),
    Line(
        1,
        6,
        (
            "Reading this on a Sunday evening in São Paulo. I realise my own story is about the "
            "opposite: a manager who never looked up from his laptop while I talked. I promised "
            "myself I would never do that, and this week I caught myself doing it twice. Writing "
            "it here so I keep myself honest."
        ),
        reactions=((4, ReactionKind.RELATE),),
    ),
    Line(
        5,
        3,
        "Thank you for being honest about it. Twice noticed is twice more than most.",
        reply_to=8,
    ),
    Line(
        2,
        2,
        (
            "@[Amara Okafor], your question about accepting help is one I would love you to bring "
            "to your circle this week. Offering a choice is generous; *taking* one can be the "
            "harder skill for a manager, and I suspect you are not the only one who finds it so."
        ),
        reply_to=3,
    ),
]

GATED_THREAD = [
    Line(
        1,
        50,
        (
            "The feedback that changed me came in a corridor, not a review. A plant director told "
            'me: "You present solutions before people have finished describing the problem." It '
            "stung because it was true. What made it possible to hear: she said it once, "
            "privately, "
            "and then asked how she could help me practise. Where I work feedback is usually "
            "indirect, so the directness itself was a gift."
        ),
        reactions=((3, ReactionKind.RELATE), (2, ReactionKind.THANKS)),
    ),
    Line(
        3,
        40,
        (
            "In my last team the custom was to save feedback for the annual review, so it arrived "
            "as a surprise and felt like a verdict. I now try to give small, frequent observations "
            "instead. The hard part is receiving them: I still feel my face get hot."
        ),
        reactions=((1, ReactionKind.RELATE),),
    ),
    Line(
        4,
        26,
        (
            'I was told I was "too careful" in meetings, which I heard at first as "not good '
            'enough". It took me a year to understand it meant "we want to hear what you think '
            'earlier". I am sharing under a pseudonym because the person who said it may read '
            "this, and I would like to thank them one day in person instead."
        ),
        pseudonym="Quiet Harbour",
        reactions=((1, ReactionKind.HELPED), (2, ReactionKind.THANKS)),
    ),
    Line(
        2,
        20,
        (
            "Such thoughtful answers. A question to carry into this week: when you give feedback, "
            "how will the other person know it is meant to help them grow, and not to judge them?"
        ),
    ),
    Line(
        1,
        12,
        (
            'Quiet Harbour, "we want to hear what you think earlier" is a beautiful way to '
            "translate it. Did it change how you prepare for meetings?"
        ),
        reply_to=2,
    ),
]

COMMUNITY = [
    Line(
        2,
        300,
        (
            "Welcome to the community space! This is the place for anything that does not belong "
            "to one prompt: questions about the programme, something you read, a small win. I read "
            "everything here and I reply within a day on weekdays. Say hello, and tell us where in "
            "the world you are reading from."
        ),
        reactions=((0, ReactionKind.THANKS), (1, ReactionKind.THANKS), (3, ReactionKind.THANKS)),
    ),
    Line(0, 290, "Hello from London! Medical Affairs, and very glad to be here.", reply_to=0),
    Line(
        1,
        280,
        "Olá from São Paulo. Manufacturing, and the only person awake at this hour.",
        reply_to=0,
        reactions=((0, ReactionKind.RELATE),),
    ),
    Line(
        5,
        60,
        (
            'A small win: I tried the "two options" idea from the week 1 thread with a new '
            "starter who looked lost. She picked the second option and told me afterwards it was "
            "the first time she felt she could ask for help. Thank you to whoever shared it."
        ),
        reactions=((4, ReactionKind.THANKS), (2, ReactionKind.HELPED)),
    ),
]


# More hellos under the coach's welcome in the community space, one from each of the next
# learners of the cohort, with the city of their own time zone: 14 replies in all, so the
# thread page shows the latest ten and links to the post's page of all its replies.
HELLOS = [
    (
        270,
        (
            "Hi everyone, {place} here. I lead a field team of nine and I joined to get better at "
            "one-to-ones that are not just status updates."
        ),
    ),
    (
        262,
        "Hello from {place}! Regulatory Affairs. I am the one who will ask for the reading list.",
    ),
    (
        250,
        (
            "Good morning from {place}, where it is very much still morning. Looking forward to "
            "the peer circles most of all."
        ),
    ),
    (
        236,
        (
            "{place}, Quality. First time in a programme like this: I have been a manager for four "
            "months and I am still learning what the job is."
        ),
    ),
    (
        220,
        (
            "Greetings from {place}. My team is spread over three sites, so the part about "
            "connection at a distance is exactly why I am here."
        ),
    ),
    (
        205,
        (
            "Hello! {place}, Supply Chain. I have been told I am a good problem-solver and a less "
            "good listener. Working on the second."
        ),
    ),
    (
        190,
        (
            "Joining from {place}. Thank you for the welcome, Grace. Is it all right to post in my "
            "own words even if my English is not perfect?"
        ),
    ),
    (
        170,
        (
            "Hi from {place}! New to the company and new to managing. This space already feels "
            "friendlier than my inbox."
        ),
    ),
    (
        150,
        (
            "{place} here, Commercial. I like that nobody has to be on camera for this. I think "
            "better when I can write first."
        ),
    ),
    (
        130,
        (
            "Hello from {place}. Clinical Operations, a team of twelve, and a newborn at home, so "
            "I will be reading at odd hours."
        ),
    ),
    (
        110,
        (
            "Hi all, writing from {place}. Finance. My goal for these weeks is to ask more "
            "questions and give fewer answers."
        ),
    ),
    (
        96,
        (
            "Late to say hello, sorry! {place}, Medical Information. Reading everyone's posts "
            "made me feel less alone in this."
        ),
    ),
]


def _place(user: User) -> str:
    """The city of a person's time zone, as they would name it ("America/Sao_Paulo" ->
    "Sao Paulo")."""
    return user.time_zone.rsplit("/", 1)[-1].replace("_", " ")


def _hellos(thread: Thread, welcome: Post, people: Sequence[User], now: datetime) -> int:
    """The HELLOS under the welcome, each by one of `people` (as many as there are)."""
    for (hours_ago, text), person in zip(HELLOS, people, strict=False):
        actions.create_post(
            thread,
            author=person,
            body=text.format(place=_place(person)),
            parent=welcome,
            now=now - timedelta(hours=hours_ago),
        )
    return min(len(HELLOS), len(people))


def _cast(cohort: Cohort, named: Sequence[str]) -> list[User]:
    """The demo's named people (by email, in order) and then other learners of the cohort."""
    by_email = {u.email: u for u in User.objects.filter(email__in=named)}
    people = [by_email[email] for email in named]
    others = (
        User.objects.filter(enrollments__cohort=cohort, enrollments__role=EnrollmentRole.LEARNER)
        .exclude(pk__in=[p.pk for p in people])
        .order_by("pk")[: 3 + len(HELLOS)]
    )
    return [*people, *others]


def _write(thread: Thread, lines: Sequence[Line], cast: list[User], now: datetime) -> list[Post]:
    posts: list[Post] = []
    for line in lines:
        parent = posts[line.reply_to] if line.reply_to is not None else None
        post = actions.create_post(
            thread,
            author=cast[line.who],
            body=line.text,
            parent=parent,
            pseudonym=line.pseudonym,
            mentioned=[person for person in cast if f"@[{person.full_name}]" in line.text],
            now=now - timedelta(hours=line.hours_ago),
        )
        posts.append(post)
        for who, kind in line.reactions:
            if cast[who].pk != post.author_id:
                actions.react(post, user=cast[who], kind=kind)
    return posts


def seed_discussions(
    cohort: Cohort, *, learner: str, peer: str, coach: str, now: datetime
) -> dict[str, int]:
    """Threads for the demo cohort (see the module's docstring). Returns counts by kind."""
    prompts = {
        a.title: a
        for a in Activity.objects.filter(
            week__program_id=cohort.program_id, kind=ActivityKind.DISCUSSION
        )
    }
    gated = prompts[GATED_PROMPT]
    gated.respond_before_reveal = True
    gated.allow_pseudonyms = True
    gated.save(update_fields=["respond_before_reveal", "allow_pseudonyms"])
    cast = _cast(cohort, [learner, peer, coach])
    posts = _write(
        actions.thread_for_activity(cohort, activity_id=prompts[OPEN_PROMPT].pk),
        OPEN_THREAD,
        cast,
        now,
    )
    # The demo learner read the thread up to her own reply two days ago: what came after is new.
    actions.mark_read(posts[0].thread, user=cast[0], until=posts[5].created_at)
    actions.edit_post(
        posts[6],
        by=cast[2],
        body=posts[6].body + "\n\n(Edited to add: no need to post about the mission.)",
    )
    _write(actions.thread_for_activity(cohort, activity_id=gated.pk), GATED_THREAD, cast, now)
    community = actions.community_thread(cohort)
    welcome = _write(community, COMMUNITY, cast, now)[0]
    hellos = _hellos(community, welcome, cast[6:], now)
    return {
        "threads": 3,
        "posts": len(OPEN_THREAD) + len(GATED_THREAD) + len(COMMUNITY) + hellos,
    }
