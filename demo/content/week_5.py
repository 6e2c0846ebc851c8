"""Week 5 of the demo programme: Communicate clearly in a digital world."""

from demo.content.programme import NOTE_PRIVATE
from demo.content.specs import ActivitySpec, WeekSpec, md
from organizations.frameworks import CLEAR, RELATE
from programs.models import ActivityKind

WEEK = WeekSpec(
    5,
    "Communicate clearly in a digital world",
    "Messages that are easy to understand and act on, the right channel for the message, and "
    "video conversations that feel human.",
    (
        ActivitySpec(
            ActivityKind.ARTICLE,
            "Clear by design",
            "Purpose first, one topic at a time, the right channel, and a check that you were "
            "understood.",
            md("""
                Your team reads your messages on phones between meetings, in their second or
                third language, in a time zone where it may be late in the evening. Clear
                communication is a way of respecting their time and attention.

                ## Purpose and request first

                Open with why you are writing and what you need: *"Decision needed by Thursday:
                which of two suppliers we test first."* Context can follow. If someone reads
                only the first two lines, they should still know what to do.

                ## One message, one topic

                Several topics in one message means that some of them get lost. Split them, or
                number them so that people can reply to each.

                ## Plain words travel further

                Idioms, abbreviations and jokes rarely survive translation. Short sentences and
                ordinary words are not a sign of a simple mind; they are a sign of a considerate
                one.

                ## Choose the channel for the message

                | If the message is... | consider |
                |---|---|
                | quick, factual and low-stakes | chat |
                | something people need to keep or think about | email or a shared document |
                | complex, sensitive or likely to stir emotion | a call or video conversation |
                | about someone's performance, wellbeing or future | a conversation, not text |

                ## Asynchronous by default, live when it matters

                Writing first gives quieter people and those in other time zones time to think
                before they respond. Save live meetings for the conversations that need them:
                deciding together, resolving disagreement, building relationships.

                ## Making video conversations human

                Learn your tools well enough that they disappear. Turn on your camera when your
                connection and circumstances allow, and invite others to do the same without
                making it a test. Silence notifications. Check your connection before important
                conversations, and have a plan for when it fails.

                ## Check understanding

                Ask people to play back the decision or next step in their own words, rather
                than asking "is that clear?", which almost everyone answers with yes.
            """),
            9,
            (CLEAR,),
        ),
        ActivitySpec(
            ActivityKind.ELEARNING,
            "Making video conversations work",
            "A 20-minute module: light, sound, connection, and running inclusive hybrid meetings.",
            md("""
                A practical, self-paced module on the Northwind learning platform. You will
                set up your own space with simple changes to light and sound, learn what to
                check before an important call, and practise running a hybrid meeting where
                the people on screen are as included as the people in the room.

                Each section takes about five minutes, so you can do it in pieces. The module
                opens in a new tab; Rapport notes only that you opened it.
            """),
            20,
            (CLEAR,),
            external_url="https://learning.northwind.example/modules/video-conversations",
        ),
        ActivitySpec(
            ActivityKind.DISCUSSION,
            "Messages that are a pleasure to receive",
            "Share what helps you understand a message the first time.",
            md("""
                Think about the messages you receive in a typical week: emails, chats,
                updates, requests.

                - Can you recall one that was a pleasure to receive? What made it so?
                - What helps you understand a message the first time, especially across
                  languages or time zones?
                - In your region or team, which unwritten rules about communication might
                  surprise a colleague from elsewhere?

                When you reply to a peer, you might share how the same situation works where
                you are. Differences are welcome here: they are one of the reasons this
                programme brings together managers from every region.
            """),
            10,
            (CLEAR, RELATE),
        ),
        ActivitySpec(
            ActivityKind.MISSION,
            "Read your week through someone else's eyes",
            "An offline practice: reread five of your messages as their recipients would.",
            md(f"""
                ## The practice

                1. Choose **five messages** you sent this week to different people.
                2. Reread each one **as its recipient**: on a phone, in their time zone, perhaps
                   in their second language, in the middle of their own busy day.
                3. For each, note: is the purpose clear in the first two lines? Is there one
                   topic? Was this the right channel?
                4. **Rewrite one** of them as you would send it now.
                5. If it feels right, **ask one recipient** what would make your messages
                   easier for them, and listen to the answer.

                ## Reflection

                - What did you notice when you read your messages as someone else?
                - What did the person you asked tell you, and how did it feel to hear it?
                - Which habit would make the biggest difference to the people who read your
                  messages?

                {NOTE_PRIVATE}
            """),
            30,
            (CLEAR,),
        ),
    ),
)
