"""Week 1 of the demo programme: Connection first."""

from demo.content.programme import NOTE_PRIVATE
from demo.content.specs import ActivitySpec, WeekSpec, md
from organizations.frameworks import LISTEN, RELATE
from programs.models import ActivityKind

WEEK = WeekSpec(
    1,
    "Connection first",
    "Why connection comes before content, and how a mindset becomes everyday behaviour: "
    "beliefs, principles, routines, behaviours.",
    (
        ActivitySpec(
            ActivityKind.VIDEO,
            "Connection before content",
            "A short, quiet film about the one idea underneath this whole journey.",
            md("""
                This short film has no narration: just a few title cards and calm music, so you
                can watch it anywhere, with or without sound. Captions and a full transcript are
                included.

                It introduces the idea the next seven weeks are built on. People who feel
                connected to us bring more of themselves to a conversation; people who do not
                protect themselves. Connection is not a soft extra on top of the "real" content
                of a conversation. It is what makes the content land.

                After watching, take a minute with one question before moving on: *when did
                someone last make you feel genuinely heard at work, and what did they do?*
            """),
            None,  # the media file's own length, measured by the seed
            (RELATE, LISTEN),
            media="connection-first",
        ),
        ActivitySpec(
            ActivityKind.ARTICLE,
            "Beliefs, principles, routines, behaviours",
            "How a mindset turns into something other people can see, and how to shift one.",
            md("""
                Nobody can see your mindset. What people see is how you behave: whether you look
                up when they come to your desk, whether your camera is on, whether you finish
                their sentences, whether the first question in a one-to-one is about them or
                about the project. Yet every one of those behaviours rests on something deeper.

                ## Four layers

                - **Beliefs** are what we hold to be true, often without noticing. *"Real
                  relationships need a shared office." "If I show uncertainty, people will
                  lose confidence in me."*
                - **Principles** are the commitments we choose in light of those beliefs.
                  *"I give people my full attention." "I ask before I advise."*
                - **Routines** are the small, repeatable habits that keep a principle alive when
                  we are busy. *Notifications off for one-to-ones. The first five minutes
                  belong to the other person.*
                - **Behaviours** are what other people actually experience.

                When we try to change a behaviour without touching the layers beneath it, the
                change rarely survives a stressful week. When we change a belief but never
                build the routines, the new belief stays an intention.

                ## Beliefs are worth testing, not defending

                Most of our beliefs about leading people were formed long before we led anyone.
                Many were useful once. Some were simply the way things were done. A helpful
                way to test one is to ask: *what if the opposite were also true?* If you believe
                that digital conversations are second best, what would it take for a video call
                to be as human as a conversation in a corridor? Many managers in this programme
                have discovered that a well-run call, where both people are fully present, can
                be more focused and more personal than a rushed chat by the coffee machine.

                ## For a while, the old and the new will compete

                A new mindset does not replace the old one on the day you decide to change. For
                a while they take turns, and under pressure the old one usually wins. Routines
                are how you tip the balance: they make the new principle the easy default, so
                you do not have to rely on willpower in the moment.

                ## A question to take with you

                Think about one behaviour of yours that people around you would recognise
                instantly. Which routine keeps it in place, which principle does it serve, and
                which belief sits underneath it? There is no wrong answer; the point is simply
                to see the layers.
            """),
            8,
            (RELATE,),
        ),
        ActivitySpec(
            ActivityKind.DISCUSSION,
            "A conversation that stayed with you",
            "Share a moment when you felt genuinely heard, and what made it so.",
            md("""
                Think of a conversation at work that stayed with you because you felt genuinely
                heard. It might have been with a manager, a colleague, a customer or someone
                you led. It might have been recent, or many years ago.

                - What was happening for you at the time?
                - What did the other person do, or choose not to do, that made the difference?
                - How did it shape the way you lead today, if it did?

                Share as much or as little as feels right. Then read a few of your peers'
                stories and reply to one of them with a question that helps you understand
                their experience better, rather than with advice.

                Your peers are managers from other regions and functions. Some of the most
                useful ideas in this programme come from noticing how similar our experiences
                are across very different contexts, and where they differ.
            """),
            15,
            (RELATE, LISTEN),
        ),
        ActivitySpec(
            ActivityKind.MISSION,
            "Notice your default",
            "An offline practice: watch which belief steers you in two ordinary conversations.",
            md(f"""
                This week's mission happens away from the screen, in conversations you would
                have anyway.

                ## The practice

                1. Choose **two ordinary conversations** in the coming days: a one-to-one, a
                   quick call, a question from someone in your team.
                2. **Just before each one**, take a breath and notice what you expect from it.
                   Is it a task to get through? A problem to solve? A person to catch up with?
                3. **Just after each one**, jot down three things: what you believed going in,
                   what you actually did, and what you think the other person experienced.

                There is nothing to fix this week. The aim is only to notice your default, the
                mindset you bring when you are not thinking about it.

                ## Reflection

                When you have had both conversations, come back and reflect on these questions.
                Answer the ones that are useful to you.

                - What did you notice about how you showed up in each conversation?
                - Which belief seemed to be steering you? Where might it have come from?
                - Was there a moment when you felt more connected to the other person? What
                  was different about it?
                - What is one small routine that would make connection easier for you?

                {NOTE_PRIVATE}
            """),
            30,
            (RELATE,),
        ),
    ),
)
