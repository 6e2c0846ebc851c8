"""Week 4 of the demo programme: Manage conflict constructively."""

from demo.content.programme import NOTE_PRIVATE
from demo.content.specs import ActivitySpec, SessionTime, WeekSpec, md
from organizations.frameworks import CLEAR, CONFLICT, LISTEN
from programs.models import ActivityKind

WEEK = WeekSpec(
    4,
    "Manage conflict constructively",
    "Disagreement as useful information: a planner for difficult conversations built on calm, "
    "values and purpose.",
    (
        ActivitySpec(
            ActivityKind.AUDIO,
            "Calm before a difficult conversation",
            "A guided breathing pacer in soft tones, for the minutes before a hard conversation.",
            md("""
                A short podcast of soft tones to pace your breathing, with no words. Use it in
                the few minutes before a conversation you feel nervous about, or at any time
                you want to slow down.

                - A **rising tone** is your cue to breathe in gently, for four seconds.
                - A **steady, quiet tone** is your cue to hold, for four seconds.
                - A **falling tone** is your cue to breathe out slowly, for six seconds.
                - A short rest follows, and the cycle begins again.

                A longer out-breath than in-breath is a simple way many people find helpful for
                settling the body. If breathing exercises are not comfortable for you, there is
                no need to follow the pattern: simply listen and let the tones set a slower
                pace. The transcript lists every cue with its timing.
            """),
            None,  # the media file's own length, measured by the seed
            (CONFLICT,),
            media="calm-breathing",
        ),
        ActivitySpec(
            ActivityKind.ARTICLE,
            "The difficult-conversation planner: calm, values, purpose",
            "Three questions to prepare a conversation you would rather avoid.",
            md("""
                Difficult conversations are rarely difficult because of the facts. They are
                difficult because something matters to both people, and both expect the other
                to push back. Preparation will not make them easy, but it can make them calmer,
                fairer and more likely to lead somewhere good.

                The planner in this programme has three steps. You can use it in ten minutes.

                ## 1. Calm

                Before you think about what to say, notice how you are. Where do you feel the
                tension in your body? What emotion is strongest: worry, frustration,
                disappointment? Naming an emotion, even silently, tends to take some of its
                heat away. Then slow your breathing for a minute or two; this week's podcast
                is there for exactly this moment.

                ## 2. Values

                Ask yourself: *what matters to me here, and how do I want to show up, whatever
                the other person does?* Perhaps you want to be honest and kind at the same
                time, or fair to the rest of the team, or respectful of someone's experience.
                Your values are the part of the conversation you control completely.

                ## 3. Purpose

                Then ask: *what is the deeper purpose of this conversation?* Not "to make them
                see they are wrong", but something you would be glad to say out loud: to
                understand what happened, to rebuild trust, to agree how we work from now on.
                Think about what a good outcome would look like for the other person too.

                ## Your first sentence

                With calm, values and purpose in place, write the first sentence you will say.
                Name the topic and your purpose plainly, and invite their view: *"I'd like to
                talk about how handovers have been going between our shifts, because I want us
                to trust each other's work again. I'd really like to hear how it looks from
                your side."*

                ## When connection does not come

                Sometimes you prepare with care and the other person stays guarded. You cannot
                force anyone to connect with you, and that is not a failure on your part. Keep
                offering respect and clarity, and talk it through with your coach.

                And if someone ever uses what you shared in openness against you, that is not
                acceptable: using another person's vulnerability to gain power over them is a
                form of bullying. Speak to your coach, your HR partner or someone you trust.
                In Rapport you can also report, hide or block anything that makes you feel
                unsafe.
            """),
            10,
            (CONFLICT, CLEAR),
        ),
        ActivitySpec(
            ActivityKind.LIVE_SESSION,
            "Practice lab: the difficult-conversation planner",
            "A live session with your coach: practise the planner in small groups.",
            md("""
                A 60-minute live session on video with your coach and a small group of peers.

                **What we will do:** a short warm-up, then practice in groups of three. Each
                person brings one difficult conversation (real, changed enough to protect
                others, or imagined) and walks through calm, values and purpose with the help
                of the other two. We will end with what each of us will try next.

                **Before you join:** check your camera, microphone and connection a few minutes
                early, and find a quiet place where you can speak freely.

                **Confidentiality:** what people share in the lab stays in the lab. Nothing is
                recorded. If you cannot attend, your coach will share a short written summary
                of the ideas, never of what individuals said.
            """),
            60,
            (CONFLICT, LISTEN),
            external_url="https://meet.northwind.example/rapport/practice-lab-conflict",
            session=SessionTime(day=3, hour_utc=14, minutes=60),
        ),
        ActivitySpec(
            ActivityKind.MISSION,
            "Plan one conversation you have been putting off",
            "An offline practice: use the planner for a real conversation, then reflect.",
            md(f"""
                ## The practice

                Think of a conversation you have been putting off, at work or, if you prefer,
                somewhere else in your life. Using the planner from this week, write down:

                1. **Calm:** what you feel when you think about the conversation, and what will
                   help you settle before it.
                2. **Values:** how you want to show up, whatever the other person does.
                3. **Purpose:** the deeper purpose you would be glad to say out loud, and what a
                   good outcome might look like for both of you.
                4. **Your first sentence.**

                Then, if the time is right, have the conversation. If it is not, that is a
                legitimate choice too: note what would need to change for it to be right.

                ## Reflection

                - What did planning change about how you approached the conversation?
                - What happened, and what surprised you?
                - What did you learn about the other person's point of view?
                - What would you keep, or do differently, next time?

                {NOTE_PRIVATE}
            """),
            40,
            (CONFLICT, CLEAR),
        ),
    ),
)
