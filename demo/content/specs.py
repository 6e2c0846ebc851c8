"""The shapes the demo programme is written in: weeks, activities, video scripts."""

from dataclasses import dataclass
from textwrap import dedent

from programs.models import ActivityKind


def md(text: str) -> str:
    """Source text is indented with the code; the stored Markdown is not."""
    return dedent(text).strip() + "\n"


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
    """One activity of the demo programme. `minutes` is the time it takes, and None for a video
    or podcast: the seed states the generated file's own length (demo.media.MediaAsset.minutes).
    """

    kind: ActivityKind
    title: str
    summary: str
    body: str
    minutes: int | None
    competencies: tuple[str, ...]
    media: str = ""  # key of an asset rendered by demo.media
    external_url: str = ""
    session: SessionTime | None = None

    def __post_init__(self) -> None:
        if (self.minutes is None) != bool(self.media):
            raise ValueError(
                f"{self.title}: a media activity takes its minutes from its file, and only it"
            )


@dataclass(frozen=True)
class WeekSpec:
    number: int
    title: str
    summary: str
    activities: tuple[ActivitySpec, ...]
