"""The default leadership model every organisation starts from: the communication-skills
competency (listen fully, give effective feedback, manage conflict constructively, communicate
clearly, build genuine relationships), each with three behaviours anyone can observe.

`organizations.actions.seed_default_framework` writes it for a new organisation; admins then edit
it in the studio or replace it with their own (`organizations.framework_import`).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class CompetencySpec:
    """One competency of a framework: its name, a one-sentence description and its observable
    behaviours, in order."""

    name: str
    description: str
    behaviours: tuple[str, ...]


DEFAULT_FRAMEWORK = "Communication skills"

LISTEN = "Listen fully"
FEEDBACK = "Give effective feedback"
CONFLICT = "Manage conflict constructively"
CLEAR = "Communicate clearly"
RELATE = "Build genuine relationships"

DEFAULT_COMPETENCIES: tuple[CompetencySpec, ...] = (
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
