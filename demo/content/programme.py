"""The demo organisation's programme as a whole: its names, its competency model (the default
one every organisation starts from, organizations.frameworks), and the scripts of the generated
videos."""

from demo.content.specs import Slide, VideoScript
from organizations.frameworks import DEFAULT_COMPETENCIES as COMPETENCIES
from organizations.frameworks import DEFAULT_FRAMEWORK as FRAMEWORK

__all__ = [
    "COMPETENCIES",
    "FRAMEWORK",
    "NOTE_PRIVATE",
    "ORGANISATION_NAME",
    "PROGRAMME_SUMMARY",
    "PROGRAMME_TITLE",
    "VIDEO_SCRIPTS",
]

ORGANISATION_NAME = "Northwind Biopharma"
PROGRAMME_TITLE = "Coaching for connection"
PROGRAMME_SUMMARY = (
    "Seven weeks to build the coaching skills that make people feel heard: listening fully, "
    "feedback that can be heard, calm in conflict, clear digital communication and relationships "
    "that last. Learn with peers from every region, practise offline, reflect in private, and "
    "work with a coach who is on your side."
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
