"""The demo programme: seven weeks of coaching skills for managers, written for Rapport.

Everything here is original text in the spirit of the source articles (docs/seeds): connection
before content, the communication-skills competency, a mindset that becomes behaviour, and a
relationship with the learner that is warm, open, confidential and free of judgement. Every
question a learner is asked is open and asks about their own experience; none implies a right
answer. Markdown bodies are rendered by rapport.lib.markdown (CommonMark plus tables).
"""

from demo.content import week_1, week_2, week_3, week_4, week_5, week_6, week_7
from demo.content.programme import (
    COMPETENCIES,
    FRAMEWORK,
    ORGANISATION_NAME,
    PROGRAMME_SUMMARY,
    PROGRAMME_TITLE,
    VIDEO_SCRIPTS,
)
from demo.content.specs import (
    ActivitySpec,
    SessionTime,
    Slide,
    VideoScript,
    WeekSpec,
)
from organizations.frameworks import CompetencySpec

WEEKS: tuple[WeekSpec, ...] = tuple(
    module.WEEK for module in (week_1, week_2, week_3, week_4, week_5, week_6, week_7)
)

__all__ = [
    "COMPETENCIES",
    "FRAMEWORK",
    "ORGANISATION_NAME",
    "PROGRAMME_SUMMARY",
    "PROGRAMME_TITLE",
    "VIDEO_SCRIPTS",
    "WEEKS",
    "ActivitySpec",
    "CompetencySpec",
    "SessionTime",
    "Slide",
    "VideoScript",
    "WeekSpec",
]
