"""Week 7 of the demo programme: Bring it home."""

from demo.content.programme import NOTE_PRIVATE
from demo.content.specs import ActivitySpec, SessionTime, WeekSpec, md
from organizations.frameworks import CLEAR, CONFLICT, FEEDBACK, LISTEN, RELATE
from programs.models import ActivityKind

WEEK = WeekSpec(
    7,
    "Bring it home",
    "What is in it for you, your team and Northwind, and a plan for the next ninety days.",
    (
        ActivitySpec(
            ActivityKind.ARTICLE,
            "What's in it for you?",
            "Connect what you practised to your own goals, your team and Northwind's model.",
            md("""
                Seven weeks ago you started by noticing your default. Since then you have
                listened without an agenda, given specific appreciation, prepared for a
                difficult conversation, reread your messages through other people's eyes and
                opened one-to-ones with a question about the person.

                Before the journey ends, it is worth asking an honest question: *what is in it
                for me?* Skills stick when they serve something we care about.

                ## For you

                Look back at your reflections. Where did something shift? Perhaps a
                conversation went differently, or you felt calmer in one that used to drain
                you. Notice what you can now do more easily than seven weeks ago.

                ## For your team

                The people you lead experience your behaviour, not your intentions. Which
                changes do you think they have noticed? If you are not sure, that is a good
                question to ask them.

                ## For Northwind

                Northwind's leadership model describes communication skills through five
                competencies, each with behaviours anyone can observe:

                - **Listen fully**
                - **Give effective feedback**
                - **Manage conflict constructively**
                - **Communicate clearly**
                - **Build genuine relationships**

                Read the behaviours for each one and ask where you see yourself today. This is
                not a test. It is a mirror you can come back to, and the self-assessment at the
                end of the programme uses the same words so that you can see your own growth
                over time.

                ## From insight to habit

                Remember the layers from week 1: beliefs, principles, routines, behaviours. An
                action plan works best when it names a routine, something small you will do
                every week, rather than a good intention. This week's mission helps you write
                one.
            """),
            8,
            (LISTEN, FEEDBACK, CONFLICT, CLEAR, RELATE),
        ),
        ActivitySpec(
            ActivityKind.DISCUSSION,
            "One thing you will keep doing",
            "Share one habit you will keep after the programme, and how peers could help.",
            md("""
                As the programme comes to an end, share with your peers:

                - One thing you have started doing in these seven weeks that you want to keep.
                - What helped it stick, or what might get in its way.
                - One way your peers could support you in the months ahead.

                Then read what others have shared and reply to at least one person, perhaps
                with something you noticed about them during the programme. Many circles agree
                to check in with each other again in a month; you are welcome to suggest it.
            """),
            15,
            (RELATE, LISTEN),
        ),
        ActivitySpec(
            ActivityKind.MISSION,
            "Write your action plan",
            "An offline practice: a 90-day plan built on routines, with the support you need.",
            md(f"""
                ## The practice

                Find thirty quiet minutes away from your screen. Look back through your
                reflections from the last seven weeks, then write a short plan for the next
                ninety days.

                1. **One or two behaviours** from the leadership model that you most want to
                   strengthen.
                2. For each, **a routine**: something small and specific you will do every
                   week. *"The first five minutes of every one-to-one are about the person."*
                3. **A first step** you will take in the next seven days.
                4. **Who will notice** if it is working, and how you might ask them.
                5. **The support you need**: from your coach, your peers, your own manager.

                You may want to share your plan with your coach before the closing circle, but
                that is entirely your choice.

                ## Reflection

                - Looking back, what are you most glad you tried?
                - What has this journey shown you about yourself as a leader?
                - What would make it easier to keep going when work gets busy?

                {NOTE_PRIVATE}
            """),
            40,
            (LISTEN, FEEDBACK, CONFLICT, CLEAR, RELATE),
        ),
        ActivitySpec(
            ActivityKind.LIVE_SESSION,
            "Closing circle with your coach",
            "A 60-minute live session: look back together, share plans and say thank you.",
            md("""
                A 60-minute live session with your coach and your peer circle to close the
                journey.

                We will look back at what each of us has practised, share one part of our
                action plans (only what you choose to share), and agree how we might support
                each other after the programme ends.

                Check your camera, microphone and connection before joining. If you cannot make
                it, your coach will be glad to arrange a short one-to-one instead.
            """),
            60,
            (RELATE, FEEDBACK),
            external_url="https://meet.northwind.example/rapport/closing-circle",
            session=SessionTime(day=4, hour_utc=13, minutes=60),
        ),
    ),
)
