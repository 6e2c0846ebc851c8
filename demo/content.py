"""The demo programme: seven weeks of coaching skills for managers, written for Rapport.

Everything here is original text in the spirit of the source articles (docs/seeds): connection
before content, the communication-skills competency, a mindset that becomes behaviour, and a
relationship with the learner that is warm, open, confidential and free of judgement. Every
question a learner is asked is open and asks about their own experience; none implies a right
answer. Markdown bodies are rendered by rapport.lib.markdown (CommonMark plus tables).
"""

from dataclasses import dataclass
from textwrap import dedent

from programs.models import ActivityKind

ORGANISATION_NAME = "Northwind Biopharma"
FRAMEWORK = "Communication skills"
PROGRAMME_TITLE = "Coaching for connection"
PROGRAMME_SUMMARY = (
    "Seven weeks to build the coaching skills that make people feel heard: listening fully, "
    "feedback that can be heard, calm in conflict, clear digital communication and relationships "
    "that last. Learn with peers from every region, practise offline, reflect in private, and "
    "work with a coach who is on your side."
)

LISTEN = "Listen fully"
FEEDBACK = "Give effective feedback"
CONFLICT = "Manage conflict constructively"
CLEAR = "Communicate clearly"
RELATE = "Build genuine relationships"


def md(text: str) -> str:
    """Source text is indented with the code; the stored Markdown is not."""
    return dedent(text).strip() + "\n"


@dataclass(frozen=True)
class CompetencySpec:
    name: str
    description: str
    behaviours: tuple[str, str, str]


@dataclass(frozen=True)
class Slide:
    """One calm title card of a generated video; `lines` appear one after another."""

    heading: str
    lines: tuple[str, ...] = ()
    seconds: float = 8.0


@dataclass(frozen=True)
class VideoScript:
    key: str
    title: str
    slides: tuple[Slide, ...]


@dataclass(frozen=True)
class SessionTime:
    """When a live session runs, relative to the first day of its week (UTC)."""

    day: int
    hour_utc: int
    minutes: int


@dataclass(frozen=True)
class ActivitySpec:
    kind: ActivityKind
    title: str
    summary: str
    body: str
    minutes: int
    competencies: tuple[str, ...]
    media: str = ""  # key of an asset rendered by demo.media
    external_url: str = ""
    session: SessionTime | None = None


@dataclass(frozen=True)
class WeekSpec:
    number: int
    title: str
    summary: str
    activities: tuple[ActivitySpec, ...]


COMPETENCIES: tuple[CompetencySpec, ...] = (
    CompetencySpec(
        LISTEN,
        "Gives people full attention and understands their point of view before responding.",
        (
            "Sets devices and other work aside and gives the speaker full attention.",
            "Plays back what they heard, feelings included, and checks they understood.",
            "Asks open questions and leaves silence so the other person can think.",
        ),
    ),
    CompetencySpec(
        FEEDBACK,
        "Shares specific, timely observations that help people grow, and asks for feedback "
        "in return.",
        (
            "Describes specific behaviour and its impact rather than judging the person.",
            "Gives feedback close to the moment, in a setting where it can be heard.",
            "Asks for the other person's view and agrees a next step together.",
        ),
    ),
    CompetencySpec(
        CONFLICT,
        "Treats disagreement as useful information and works through it with care and candour.",
        (
            "Prepares for a difficult conversation by getting calm and clear on values and "
            "purpose.",
            "Names a disagreement early and separates the issue from the person.",
            "Looks for shared interests and options that both people can commit to.",
        ),
    ),
    CompetencySpec(
        CLEAR,
        "Makes messages easy to understand and act on, face to face and in digital channels.",
        (
            "States the purpose and the request at the start of a message or meeting.",
            "Chooses the channel that fits the message: chat, email, call or face to face.",
            "Checks understanding rather than assuming it, across languages and time zones.",
        ),
    ),
    CompetencySpec(
        RELATE,
        "Takes an interest in people as whole people and builds trust that lasts.",
        (
            "Shows interest in people's lives, strengths and hopes, not only in their output.",
            "Keeps confidences and does what they said they would do.",
            "Makes it safe to admit a mistake, ask for help or disagree.",
        ),
    ),
)

VIDEO_SCRIPTS: dict[str, VideoScript] = {
    "connection-first": VideoScript(
        key="connection-first",
        title="Connection before content",
        slides=(
            Slide("Connection before content", ("Week 1 · Coaching for connection",), 7.0),
            Slide(
                "When people feel connected",
                ("they lean in, say more and trust more.", "When they don't, they go quiet."),
                8.0,
            ),
            Slide(
                "A mindset you can practise",
                (
                    "Beliefs: what I hold to be true",
                    "Principles: how I choose to act",
                    "Routines: what I do each week",
                    "Behaviours: what others see",
                ),
                11.0,
            ),
            Slide(
                "Before your next conversation",
                ("Pause for one breath.", "Ask: what does this person need today?"),
                8.0,
            ),
            Slide(
                "This week",
                ("Notice one belief about connection", "that shapes how you lead."),
                7.0,
            ),
        ),
    ),
    "feedback-heard": VideoScript(
        key="feedback-heard",
        title="Feedback that can be heard",
        slides=(
            Slide("Feedback that can be heard", ("Week 3 · Coaching for connection",), 6.0),
            Slide(
                "Start with what you noticed",
                ("Describe what you saw or heard,", "not what you assume it meant."),
                7.0,
            ),
            Slide(
                "Share the impact",
                ("Say what difference it made:", "to the work, the team or to you."),
                7.0,
            ),
            Slide("Get curious", ("Ask how they see it.", "Then listen fully."), 6.0),
            Slide(
                "Agree one next step",
                ("Owned by them,", "supported by you."),
                6.0,
            ),
            Slide(
                "Feedback flows both ways",
                ("Ask for it as often as you give it.",),
                6.0,
            ),
        ),
    ),
}

_NOTE_PRIVATE = (
    "*Your reflection is private. Share it with your coach only if you want to: they will read "
    "it to understand you, never to grade you.*"
)

WEEK_1 = WeekSpec(
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
            3,
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

                {_NOTE_PRIVATE}
            """),
            30,
            (RELATE,),
        ),
    ),
)

WEEK_2 = WeekSpec(
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
            3,
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

                {_NOTE_PRIVATE}
            """),
            30,
            (LISTEN, RELATE),
        ),
    ),
)

WEEK_3 = WeekSpec(
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
            3,
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

                {_NOTE_PRIVATE}
            """),
            30,
            (FEEDBACK,),
        ),
    ),
)

WEEK_4 = WeekSpec(
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
            3,
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

                {_NOTE_PRIVATE}
            """),
            40,
            (CONFLICT, CLEAR),
        ),
    ),
)

WEEK_5 = WeekSpec(
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

                {_NOTE_PRIVATE}
            """),
            30,
            (CLEAR,),
        ),
    ),
)

WEEK_6 = WeekSpec(
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

                {_NOTE_PRIVATE}
            """),
            30,
            (RELATE, LISTEN),
        ),
    ),
)

WEEK_7 = WeekSpec(
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

                {_NOTE_PRIVATE}
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

WEEKS: tuple[WeekSpec, ...] = (WEEK_1, WEEK_2, WEEK_3, WEEK_4, WEEK_5, WEEK_6, WEEK_7)
