"""The demo organisation's programme as a whole: its names, its competency model (with the
behaviours each competency shows in), and the scripts of the generated videos."""

from demo.content.specs import CompetencySpec, Slide, VideoScript

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

NOTE_PRIVATE = (
    "*Your reflection is private. Share it with your coach only if you want to: they will read "
    "it to understand you, never to grade you.*"
)
