"""Week 2 of the demo programme: Listen fully."""

from demo.content.programme import NOTE_PRIVATE
from demo.content.specs import ActivitySpec, WeekSpec, md
from organizations.frameworks import LISTEN, RELATE
from programs.models import ActivityKind

WEEK = WeekSpec(
    2,
    "Listen fully",
    "Listening to understand rather than to reply: attention, playing back, open questions and "
    "the courage to leave a silence.",
    (
        ActivitySpec(
            ActivityKind.AUDIO,
            "A minute of full attention",
            "A short listening practice without words: notice each sound as it arrives.",
            md("""
                This podcast has no words. It is a short practice in the kind of attention that
                listening fully asks of us.

                Over a little more than a minute, soft sounds arrive one at a time: a low tone,
                a bell, a slow pulse, a high shimmer. Then they leave, one by one, and the
                recording ends in a few seconds of silence.

                **Your only task is to notice.** Notice each new sound as it arrives, without
                naming it or judging it. Notice when your mind wanders to your inbox or your
                next meeting, and gently come back. At the end, notice the silence: it is the
                same space that good listening leaves for another person to think.

                Headphones help, but are not necessary. The transcript describes every sound
                and when it arrives, if you prefer to read.
            """),
            None,  # the media file's own length, measured by the seed
            (LISTEN,),
            media="listening-practice",
        ),
        ActivitySpec(
            ActivityKind.ARTICLE,
            "Three ways of listening",
            "Listening to reply, to understand, and for what is not being said.",
            md("""
                Most of us listen much of the time in order to reply. We hear enough to
                recognise the problem, and then part of our mind starts composing the answer.
                It is efficient, and it is often exactly why people do not feel heard.

                ## Listening to reply

                The attention is on ourselves: what we will say, whether we agree, how to
                move things along. You can recognise it when you interrupt, finish someone's
                sentence, or jump to a solution before the problem has been fully described.

                ## Listening to understand

                The attention moves to the other person. You are curious about how they see
                the situation, not only about the facts. Three simple moves help:

                - **Play back** what you heard in your own words, including how the person
                  seems to feel about it: *"So the deadline moved again, and it sounds like
                  you're worried the team will stop trusting the plan."*
                - **Ask open questions** that begin with *what* or *how*: *"What would help most
                  right now?"* Questions that begin with *why* can sound like a challenge,
                  especially in a second language.
                - **Ask "and what else?"** The first thing someone says is rarely the whole
                  story.

                ## Listening for what is not said

                With practice you start to notice the energy behind the words: the pause
                before an answer, the topic that keeps being avoided, the "it's fine" that does
                not sound fine. You do not need to interpret it. You can simply name what you
                notice, gently, and leave the choice with them: *"You went quiet when we got to
                the budget. Is there more there?"*

                ## Listening on a screen

                Digital conversations make full attention harder and more visible. Turn off
                notifications, close the other windows, and if you are taking notes, say so,
                so that typing is not mistaken for distraction. When the connection allows,
                keep your camera on: it tells the other person they have your attention.

                ## Silence is part of listening

                After you ask a good question, wait. Count to five if you need to. People who
                think before they speak, or who are working in a second language, often need
                that space, and what they say after a silence is usually worth hearing.
            """),
            8,
            (LISTEN,),
        ),
        ActivitySpec(
            ActivityKind.ELEARNING,
            "Listening under pressure: an interactive scenario",
            "A 15-minute branching scenario: a team member raises a concern on a busy day.",
            md("""
                In this interactive scenario, one of your team members, Sam, asks for "a quick
                word" at the end of a difficult day. You choose how to respond at each step
                and see how the conversation unfolds from Sam's side.

                There are no trick questions and no score. Several paths lead to a good
                conversation; the scenario simply shows what each choice makes more or less
                likely. You can replay it as often as you like.

                The module opens in a new tab on the Northwind learning platform. Rapport notes
                only that you opened it.
            """),
            15,
            (LISTEN,),
            external_url="https://learning.northwind.example/modules/listening-under-pressure",
        ),
        ActivitySpec(
            ActivityKind.MISSION,
            "One conversation, no agenda",
            "An offline practice: a 15-minute conversation where your only aim is to understand.",
            md(f"""
                ## The practice

                Ask someone in your team, or a colleague, for fifteen minutes this week. Tell
                them honestly that you are practising listening and that there is no agenda:
                you would simply like to hear how things are going for them, in their work or
                more broadly, as they choose.

                During the conversation:

                - Put your phone away and close your laptop, or turn off notifications if you
                  are on a call.
                - Resist the urge to solve, advise or share a similar story of your own.
                - Play back what you hear at least twice, and ask "and what else?" at least
                  once.
                - When there is a silence, let it last a little longer than feels comfortable.

                At the end, thank them, and if it feels right, ask what the conversation was
                like for them.

                ## Reflection

                - What did you learn about this person that you did not know before?
                - When was it hardest to simply listen? What was pulling at your attention?
                - What did you notice in the other person as the conversation went on?
                - What would you like to carry into your everyday conversations?

                {NOTE_PRIVATE}
            """),
            30,
            (LISTEN, RELATE),
        ),
    ),
)
