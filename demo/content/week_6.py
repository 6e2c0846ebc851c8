"""Week 6 of the demo programme: Build genuine relationships."""

from demo.content.programme import NOTE_PRIVATE
from demo.content.specs import ActivitySpec, SessionTime, WeekSpec, md
from organizations.frameworks import LISTEN, RELATE
from programs.models import ActivityKind

WEEK = WeekSpec(
    6,
    "Build genuine relationships",
    "Trust built from small, repeated acts, and a safe space where people can admit mistakes, "
    "ask for help and disagree.",
    (
        ActivitySpec(
            ActivityKind.ARTICLE,
            "Safe space is built, not declared",
            "Psychological safety grows from small, consistent acts, and can be lost in one.",
            md("""
                No team became a safe place to speak up because a manager announced that it
                was one. Safety is built slowly, from small acts repeated over time, and it can
                be damaged in a single moment.

                ## Small acts that build it

                - **Treat mistakes as information.** When something goes wrong, ask what
                  happened and what we can learn before asking who was responsible.
                - **Keep confidences.** What someone tells you in a one-to-one stays there
                  unless they agree otherwise. People notice, and they remember.
                - **Do what you said you would do.** Reliability in small things earns trust
                  for big ones.
                - **Talk about how people are, not only what they do.** A genuine "how are you,
                  really?" and the patience to hear the answer tells people they matter as
                  people.
                - **Thank people for disagreeing with you,** especially in public. It tells
                  everyone else that disagreement is safe.

                ## You cannot force connection

                Some people will take a long time to trust you, perhaps because of experiences
                that had nothing to do with you. Keep being consistent, respectful and open.
                Relationships grow at their own pace, and that is not a measure of your worth
                as a leader.

                ## Where the line is

                Openness needs protection. If someone uses what a colleague shared in
                confidence or in a vulnerable moment to embarrass, exclude or control them,
                that is a form of bullying, even when it is done politely. As a leader, name it
                and protect the person. In this programme, reflections are private by default,
                and you can report, hide or block anything that makes you feel unsafe.

                ## Relationships across distance

                When a team is spread across countries, the moments that build relationships
                by accident in an office have to be created on purpose: a few minutes at the
                start of a call for how people are, one-to-ones that are not only status
                updates, and attention to people who are always on the inconvenient side of the
                time zones.
            """),
            9,
            (RELATE,),
        ),
        ActivitySpec(
            ActivityKind.DISCUSSION,
            "What makes it safe for you to speak up?",
            "Describe a team or a moment where it felt safe to say what you really thought.",
            md("""
                Think of a team, a meeting or a relationship in which it felt safe to say what
                you really thought, to admit a mistake or to ask for help.

                - What was it about that place or that person that made it feel safe?
                - What is one thing you hope your own team feels able to say to you?
                - What have you seen a leader do that made speaking up easier for others?

                Share what you are comfortable sharing. This is a space for experiences, not
                judgements: reply to peers with curiosity and with care.
            """),
            15,
            (RELATE,),
        ),
        ActivitySpec(
            ActivityKind.LIVE_SESSION,
            "Coach circle: relationships across distance",
            "A 45-minute group conversation with your coach about building trust remotely.",
            md("""
                A 45-minute live conversation with your coach and your peer circle.

                We will share what is working for each of us in building relationships with
                people we rarely or never meet in person, and think together about one
                relationship each of us would like to strengthen.

                There is nothing to prepare except a relationship you would like to talk about.
                As always, what is shared in the circle stays in the circle.
            """),
            45,
            (RELATE, LISTEN),
            external_url="https://meet.northwind.example/rapport/coach-circle-distance",
            session=SessionTime(day=2, hour_utc=9, minutes=45),
        ),
        ActivitySpec(
            ActivityKind.MISSION,
            "A check-in about the person",
            "An offline practice: open your next one-to-ones with a genuine question about the "
            "person.",
            md(f"""
                ## The practice

                In your next two or three one-to-ones, begin with a few minutes that are about
                the person rather than the work. Ask a genuine, open question, for example:

                - *"How are you doing, really, this week?"*
                - *"What's been the best part of your week so far?"*
                - *"Is there anything on your mind that would help me to know about?"*

                Then listen fully, as you practised in week 2. There is nothing to solve. If
                someone prefers to go straight to the work, respect that: the invitation itself
                is what matters.

                ## Reflection

                - What did you learn about the people you spoke with?
                - How did the rest of the conversation feel after starting this way?
                - What felt natural for you, and what felt awkward?
                - Which of the small acts from this week's article would you like to make a
                  habit?

                {NOTE_PRIVATE}
            """),
            30,
            (RELATE, LISTEN),
        ),
    ),
)
