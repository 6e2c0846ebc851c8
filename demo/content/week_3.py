"""Week 3 of the demo programme: Give effective feedback."""

from demo.content.programme import NOTE_PRIVATE
from demo.content.specs import ActivitySpec, WeekSpec, md
from organizations.frameworks import FEEDBACK, RELATE
from programs.models import ActivityKind

WEEK = WeekSpec(
    3,
    "Give effective feedback",
    "Feedback that can be heard: specific observations, honest impact, real curiosity and a "
    "next step agreed together.",
    (
        ActivitySpec(
            ActivityKind.VIDEO,
            "Feedback that can be heard",
            "A short film: four moves that make feedback easier to give and to receive.",
            md("""
                A short film in six title cards, with calm music and no narration. Captions and
                a transcript are included.

                It sets out a simple shape for feedback you will explore this week: start with
                what you noticed, share the impact, get curious about the other person's view,
                and agree one next step together. The same shape works for appreciation as
                well as for concerns.

                As you watch, you might think of one piece of feedback you have been meaning
                to give, and one you would like to receive.
            """),
            None,  # the media file's own length, measured by the seed
            (FEEDBACK,),
            media="feedback-heard",
        ),
        ActivitySpec(
            ActivityKind.ARTICLE,
            "Observation, impact, curiosity",
            "A shape for feedback that describes rather than judges, and invites a response.",
            md("""
                Feedback goes wrong in familiar ways. It is vague ("great job", "you need to be
                more strategic"), it arrives weeks late, it is delivered in front of others, or
                it is really a verdict about the person dressed up as information. None of these
                help anyone grow.

                ## Observation

                Start with what you saw or heard, as specifically as you can, without
                interpretation. *"In yesterday's review, you presented the stability data
                before anyone asked"* is an observation. *"You were really on top of things"*
                is a judgement, however kind.

                ## Impact

                Say what difference it made: to the work, to the team, to customers or to you.
                *"It meant the regulatory team could sign off in the meeting instead of next
                week."* Impact is what turns an observation into something worth hearing.

                ## Curiosity

                Then ask, and mean it: *"How did it feel from your side?"* or *"What was going
                on for you in that meeting?"* You only ever see part of the picture. The other
                person's answer may change your view entirely, which is the point of asking.

                ## A next step, agreed together

                End with one step, owned by the other person and supported by you. Keep it
                small enough to start this week.

                ## A few things that help

                - **Check your intention first.** Is this feedback for their growth, or for
                  your relief? If it is the second, wait until it can be the first.
                - **Appreciation deserves the same care.** Specific positive feedback tells
                  people what to keep doing, and it builds the trust that makes harder
                  feedback possible later.
                - **Choose the channel with care.** Concerns belong in a conversation, on a
                  call or face to face, never only in a chat message.
                - **Ask how people like to receive feedback.** Preferences differ between
                  people and between cultures. Asking is a sign of respect, not weakness.
                - **Ask for feedback yourself,** often and specifically: *"What is one thing I
                  could do to make our one-to-ones more useful for you?"*
            """),
            8,
            (FEEDBACK,),
        ),
        ActivitySpec(
            ActivityKind.DISCUSSION,
            "Feedback you still remember",
            "A piece of feedback that helped you grow: what made it possible to hear?",
            md("""
                Most of us can recall a piece of feedback that changed something for us. Some
                of it was easy to hear. Some of it stung at first and only made sense later.

                - Think of one piece of feedback that helped you grow. What made it possible
                  for you to hear it?
                - What helps you to receive feedback when it is difficult to hear?
                - Where you work, what is the custom around feedback? Is it direct, gentle,
                  rare, frequent? How does that shape what you do?

                Share whatever feels comfortable; you do not need to name anyone. When you
                reply to a peer, you might ask how the feedback they describe is changing the
                way they give feedback today.
            """),
            15,
            (FEEDBACK, RELATE),
        ),
        ActivitySpec(
            ActivityKind.MISSION,
            "Catch someone doing something well",
            "An offline practice: three pieces of specific appreciation, and one request for "
            "feedback on you.",
            md(f"""
                ## The practice

                Over the coming week:

                1. **Three times, give specific appreciation** to someone whose work you
                   noticed. Use the shape from this week: what you observed, and the impact it
                   had. Keep each one short, sincere and close to the moment.
                2. **Once, ask for feedback on yourself.** Choose one person and one specific
                   question, such as *"What is one thing I could do differently in our team
                   meetings?"* Listen, thank them, and resist the urge to explain.

                If it suits your context, one of the three can be given in writing, but try to
                give at least two in a conversation.

                ## Reflection

                - How did people respond to the appreciation? Did anything surprise you?
                - What was it like to give feedback in this specific way?
                - What was it like to ask for feedback on yourself, and to hear the answer?
                - What might make feedback a more ordinary part of your team's week?

                {NOTE_PRIVATE}
            """),
            30,
            (FEEDBACK,),
        ),
    ),
)
