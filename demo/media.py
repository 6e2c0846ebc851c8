"""Demo media made on this machine: a title-card video and two wordless podcasts.

No downloads and no text-to-speech: frames are drawn with Pillow, sound is synthesised in pure
Python, and the ffmpeg binary that ships with `imageio-ffmpeg` encodes them (VP8 + Opus in WebM
for the video, Opus in Ogg for the podcasts). Because there is no voice, every file comes with
captions and a transcript that describe each cue and when it happens, so the media is usable
without sound and with a screen reader.

Rendering takes seconds, not minutes, and each file is cached under MEDIA_ROOT/demo-cache keyed
by a hash of everything that shapes it, so seeding again (or in another test) is instant. Bump
GENERATOR_VERSION when the drawing or synthesis code changes in a way the hash cannot see.
"""

import hashlib
import math
import os
import re
import subprocess
import sys
import tempfile
from array import array
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from itertools import accumulate, chain, repeat
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

from demo.content import VIDEO_SCRIPTS, Slide, VideoScript
from demo.errors import DEMO_EXTRA_MISSING, MediaError

GENERATOR_VERSION = 1
SAMPLE_RATE = 24_000
WIDTH, HEIGHT, FPS = 640, 360, 12
SHORT_SCALE = 0.3  # tests render the same pieces at under a third of the length
TAU = 2 * math.pi

# Calm palette: deep teal to slate, warm off-white text.
BACKGROUND_TOP = (16, 58, 66)
BACKGROUND_BOTTOM = (29, 41, 61)
HEADING_COLOUR = (246, 241, 232)
LINE_COLOUR = (205, 226, 222)
ACCENT_COLOUR = (232, 176, 96)


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class MediaAsset:
    key: str
    path: Path  # the cached file; copy it, never move it
    filename: str  # the name to store on the activity
    captions: str  # WebVTT
    transcript: str
    duration: float  # seconds, measured from the file (see measured_seconds)

    @property
    def minutes(self) -> int:
        """The length an activity states: whole minutes, rounded up, so a 41-second film says
        "1 min" and an 80-second podcast "2 min"."""
        return max(1, math.ceil(self.duration / 60))


# ---------------------------------------------------------------------------------------------
# Captions and transcripts


def _clock(seconds: float, *, vtt: bool) -> str:
    millis = round(seconds * 1000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    if vtt:
        return f"{minutes // 60:02d}:{minutes % 60:02d}:{secs:02d}.{millis:03d}"
    return f"{minutes}:{secs:02d}"


def webvtt(cues: Sequence[Cue]) -> str:
    blocks = ["WEBVTT"]
    for number, cue in enumerate(cues, start=1):
        span = f"{_clock(cue.start, vtt=True)} --> {_clock(cue.end, vtt=True)}"
        blocks.append(f"{number}\n{span}\n{cue.text}")
    return "\n\n".join(blocks) + "\n"


def transcript(title: str, preface: str, cues: Sequence[Cue]) -> str:
    lines = [title, "", preface, ""]
    lines += [f"{_clock(cue.start, vtt=False)}  {cue.text.replace(chr(10), ' ')}" for cue in cues]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Sound: a score is a list of sound events, rendered by adding them into one mono track.


@dataclass(frozen=True)
class Pad:
    """Sustained soft chord with a slow swell, fading in and out."""

    start: float
    end: float
    freqs: tuple[float, ...]
    amp: float
    fade: float = 3.0
    swell_hz: float = 0.08


@dataclass(frozen=True)
class Bell:
    at: float
    freq: float
    amp: float
    decay: float = 2.5


@dataclass(frozen=True)
class Pulse:
    """A soft, low heartbeat-like thump."""

    at: float
    freq: float = 98.0  # low, but still audible on a laptop speaker
    amp: float = 0.5


@dataclass(frozen=True)
class Glide:
    """One continuous voice through segments of (seconds, from Hz, to Hz, from amp, to amp).

    A single phase runs through all segments so that pitch changes never click.
    """

    start: float
    segments: tuple[tuple[float, float, float, float, float], ...]


Sound = Pad | Bell | Pulse | Glide


def _smooth(x: float) -> float:
    return x * x * (3 - 2 * x)


def _ramp(n: int, a: float, b: float) -> list[float]:
    if n <= 1:
        return [a] * n
    step = 1 / (n - 1)
    return [a + (b - a) * _smooth(i * step) for i in range(n)]


# Pure Python runs about 10 million simple operations a second, so the synthesis avoids a
# math call per sample: steady tones repeat a one-second loop, envelopes are computed at a control
# rate and stretched, repeated sounds (bells, pulses, breaths) are rendered once and reused, and
# the gliding voice reads a wavetable.
CONTROL_RATE = 64  # samples per envelope step
TABLE_SIZE = 4096


def _stretch(coarse: list[float], n: int) -> list[float]:
    return list(chain.from_iterable(repeat(v, CONTROL_RATE) for v in coarse))[:n]


def _envelope(n: int, shape: Callable[[float], float]) -> list[float]:
    """`shape(seconds)` sampled every CONTROL_RATE samples, stretched to n samples."""
    steps = n // CONTROL_RATE + 1
    return _stretch([shape(i * CONTROL_RATE / SAMPLE_RATE) for i in range(steps)], n)


@cache
def _chord_loop(freqs: tuple[float, ...]) -> list[float]:
    """One second of the chord. Frequencies round to whole hertz (well under a semitone), so
    the second repeats seamlessly."""
    out = [0.0] * SAMPLE_RATE
    for freq in freqs:
        w = TAU * round(freq) / SAMPLE_RATE
        out = [a + math.sin(w * k) for k, a in enumerate(out)]
    return out


@cache
def _wavetable() -> list[float]:
    # A quiet second and third harmonic make the tone rounder than a bare sine.
    w = TAU / TABLE_SIZE
    return [
        math.sin(w * k) + 0.25 * math.sin(2 * w * k) + 0.08 * math.sin(3 * w * k)
        for k in range(TABLE_SIZE)
    ]


def _render_pad(pad: Pad) -> list[float]:
    n = int((pad.end - pad.start) * SAMPLE_RATE)
    length = pad.end - pad.start
    loop = _chord_loop(pad.freqs)
    tone = (loop * (n // SAMPLE_RATE + 1))[:n]
    gain = pad.amp / max(len(pad.freqs), 1)

    def shape(t: float) -> float:
        fade = _smooth(max(0.0, min(1.0, t / pad.fade, (length - t) / pad.fade)))
        return gain * fade * (0.8 + 0.2 * math.sin(TAU * pad.swell_hz * t))

    return [a * b for a, b in zip(tone, _envelope(n, shape), strict=True)]


def _decaying(level: float, per_second: float) -> Callable[[float], float]:
    return lambda t: level * math.exp(-per_second * t)


@cache
def _render_bell(freq: float, amp: float, decay: float) -> list[float]:
    n = int(decay * 2 * SAMPLE_RATE)
    partials = ((1.0, 1.0, 1.0), (2.76, 0.35, 1.8), (5.4, 0.12, 3.0))  # ratio, level, faster
    out = [0.0] * n
    for ratio, level, faster in partials:
        w = TAU * freq * ratio / SAMPLE_RATE
        env = _envelope(n, _decaying(level, 3 * faster / decay))
        out = [a + e * math.sin(w * k) for k, (a, e) in enumerate(zip(out, env, strict=True))]
    attack = int(0.004 * SAMPLE_RATE)  # a few ms of attack avoids a click
    return [v * amp * min(1.0, k / attack) for k, v in enumerate(out)]


@cache
def _render_pulse(freq: float, amp: float) -> list[float]:
    n = int(0.35 * SAMPLE_RATE)
    phases = accumulate(TAU * freq * (1 - 0.25 * k / n) / SAMPLE_RATE for k in range(n))
    attack = int(0.01 * SAMPLE_RATE)
    return [
        amp * math.sin(p) * min(1.0, k / attack) * math.exp(-9 * k / n)
        for k, p in enumerate(phases)
    ]


@cache
def _render_glide(segments: tuple[tuple[float, float, float, float, float], ...]) -> list[float]:
    freqs: list[float] = []
    amps: list[float] = []
    for seconds, f0, f1, a0, a1 in segments:
        n = int(seconds * SAMPLE_RATE)
        freqs += _ramp(n, f0, f1)
        amps += _ramp(n, a0, a1)
    # Phase in table steps; a single running phase means pitch changes never click.
    scale = TABLE_SIZE / SAMPLE_RATE
    phases = accumulate(f * scale for f in freqs)
    table, mask = _wavetable(), TABLE_SIZE - 1
    return [a * table[int(p) & mask] for a, p in zip(amps, phases, strict=True)]


def _render(sound: Sound) -> list[float]:
    match sound:
        case Pad():
            return _render_pad(sound)
        case Bell():
            return _render_bell(sound.freq, sound.amp, sound.decay)
        case Pulse():
            return _render_pulse(sound.freq, sound.amp)
        case Glide():
            return _render_glide(sound.segments)


def _start_of(sound: Sound) -> float:
    return sound.at if isinstance(sound, Bell | Pulse) else sound.start


def render_score(score: Sequence[Sound], seconds: float) -> tuple[array, float]:
    """Mix the score into mono 32-bit float samples; also returns the gain that brings the peak
    to a comfortable level (ffmpeg applies it, which is much faster than doing it here)."""
    total = int(seconds * SAMPLE_RATE)
    track = [0.0] * total
    for sound in score:
        start = int(_start_of(sound) * SAMPLE_RATE)
        values = _render(sound)[: max(0, total - start)]
        end = start + len(values)
        track[start:end] = [a + b for a, b in zip(track[start:end], values, strict=True)]
    peak = max(max(track, default=0.0), -min(track, default=0.0)) or 1.0
    return array("f", track), 0.7 / peak


def _write_raw(path: Path, score: Sequence[Sound], seconds: float) -> list[str]:
    """Write the rendered score; returns the ffmpeg input arguments that read it back."""
    samples, gain = render_score(score, seconds)
    path.write_bytes(samples.tobytes())
    raw = ["-f", "f32le" if sys.byteorder == "little" else "f32be"]
    return [*raw, "-ar", str(SAMPLE_RATE), "-ac", "1", "-i", str(path), "-af", f"volume={gain:.4f}"]


# ---------------------------------------------------------------------------------------------
# The two podcasts


@dataclass(frozen=True)
class AudioPiece:
    key: str
    title: str
    preface: str
    seconds: float
    score: tuple[Sound, ...]
    cues: tuple[Cue, ...]


def breathing_piece(*, short: bool = False) -> AudioPiece:
    """Calm before a difficult conversation: in 4, hold 4, out 6, rest 2, over a low drone."""
    intro, outro = (3.0, 4.0) if short else (8.0, 8.0)
    cycles = 1 if short else 4
    inhale, hold, exhale, rest = 4.0, 4.0, 6.0, 2.0
    cycle = inhale + hold + exhale + rest
    seconds = intro + cycles * cycle + outro
    score: list[Sound] = [
        Pad(0, seconds, (110.0, 164.8), 0.25, fade=4.0 if not short else 2.0),
        Bell(intro - 2.5, 659.3, 0.25, decay=2.0),
        Bell(seconds - outro + 1.0, 659.3, 0.25, decay=2.5),
    ]
    cues = [Cue(0, intro - 2.5, "[A low, warm tone fades in. Settle into a comfortable position.]")]
    cues.append(Cue(intro - 2.5, intro, "[A soft bell: the breathing is about to begin.]"))
    for number in range(cycles):
        t = intro + number * cycle
        score.append(
            Glide(
                t,
                (
                    (inhale, 220.0, 330.0, 0.02, 0.30),
                    (hold, 330.0, 330.0, 0.30, 0.16),
                    (exhale, 330.0, 196.0, 0.16, 0.0),
                ),
            )
        )
        which = f"Breath {number + 1} of {cycles}"
        cues += [
            Cue(t, t + inhale, f"[Rising tone] {which}: breathe in gently… 2… 3… 4."),
            Cue(t + inhale, t + inhale + hold, "[Steady, quiet tone] Hold… 2… 3… 4."),
            Cue(
                t + inhale + hold,
                t + inhale + hold + exhale,
                "[Falling tone] Breathe out slowly… 2… 3… 4… 5… 6.",
            ),
            Cue(t + cycle - rest, t + cycle, "[Only the low tone] Rest."),
        ]
    end = seconds - outro
    cues.append(Cue(end, end + 1.0, "[The low tone continues.] Breathe normally."))
    closing = "[A soft bell. The tone fades.] When you are ready, begin."
    cues.append(Cue(end + 1.0, seconds, closing))
    return AudioPiece(
        key="calm-breathing",
        title="Calm before a difficult conversation: transcript",
        preface=(
            "There are no words in this recording. A low, warm tone plays throughout. A rising "
            "tone is the cue to breathe in for four seconds, a steady quiet tone to hold for "
            "four, and a falling tone to breathe out slowly for six, followed by a short rest. "
            "Each cue and its timing:"
        ),
        seconds=seconds,
        score=tuple(score),
        cues=tuple(cues),
    )


def listening_piece(*, short: bool = False) -> AudioPiece:
    """A minute of full attention: layers of sound arrive one by one, then leave, then silence."""
    s = SHORT_SCALE if short else 1.0

    def at(t: float) -> float:
        return round(t * s, 2)

    seconds = at(74)
    score: list[Sound] = [Pad(0, at(64), (110.0, 164.8), 0.3, fade=at(5))]
    score += [Bell(t, 659.3, 0.22, decay=2.2) for t in _every(at(10), at(53), at(6))]
    score += [Pulse(t, amp=0.45) for t in _every(at(22), at(52), 1.0)]
    score.append(Pad(at(34), at(46), (1318.5, 1975.5), 0.05, fade=at(3), swell_hz=0.5))
    score.append(Bell(at(69), 523.3, 0.3, decay=2.5))
    cues = (
        Cue(0, at(10), "[A low, steady tone begins.] Notice it arrive."),
        Cue(at(10), at(22), "[A soft bell joins, every few seconds.]"),
        Cue(at(22), at(34), "[A slow pulse joins, once a second.]"),
        Cue(at(34), at(46), "[A high, quiet shimmer joins.] Notice where your attention goes."),
        Cue(at(46), at(52), "[The shimmer fades away.]"),
        Cue(at(52), at(58), "[The pulse stops.]"),
        Cue(at(58), at(64), "[The bells stop. The low tone slowly fades.]"),
        Cue(at(64), at(69), "[Silence.] Notice the space it leaves."),
        Cue(at(69), seconds, "[A single bell closes the practice.]"),
    )
    return AudioPiece(
        key="listening-practice",
        title="A minute of full attention: transcript",
        preface=(
            "There are no words in this recording. Sounds arrive one at a time and then leave "
            "one by one; the practice is to notice each one, and to come back gently whenever "
            "your attention wanders. Each sound and when it happens:"
        ),
        seconds=seconds,
        score=tuple(score),
        cues=cues,
    )


def _every(start: float, stop: float, step: float) -> list[float]:
    count = int((stop - start) / step) + 1
    return [round(start + i * step, 3) for i in range(count) if start + i * step < stop]


# ---------------------------------------------------------------------------------------------
# The video: title cards drawn with Pillow, lines revealed one by one, cross-faded.

FADE = 0.7
FIRST_LINE_AT = 0.9
LINE_EVERY = 1.3
LINE_FADE = 0.5


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


@cache
def _background() -> Image.Image:
    top, bottom = BACKGROUND_TOP, BACKGROUND_BOTTOM
    column = Image.new("RGB", (1, HEIGHT))
    for y in range(HEIGHT):
        mix = y / (HEIGHT - 1)
        colour = tuple(round(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True))
        column.putpixel((0, y), colour)
    return column.resize((WIDTH, HEIGHT))


def _slide_states(slide: Slide, footer: str) -> list[Image.Image]:
    """The card with 0, 1, ... all of its lines visible; frames blend between neighbours."""
    states = []
    for visible in range(len(slide.lines) + 1):
        image = _background().copy()
        draw = ImageDraw.Draw(image)
        y = 92 if len(slide.lines) < 4 else 62
        draw.text((56, y), slide.heading, font=_font(34), fill=HEADING_COLOUR, stroke_width=1)
        y += 52
        draw.rectangle((56, y, 116, y + 3), fill=ACCENT_COLOUR)
        y += 24
        for line in slide.lines[:visible]:
            draw.text((56, y), line, font=_font(23), fill=LINE_COLOUR)
            y += 36
        draw.text((56, HEIGHT - 38), footer, font=_font(14), fill=LINE_COLOUR)
        states.append(image)
    return states


def _slide_frame(states: list[Image.Image], t: float) -> Image.Image:
    """The card at `t` seconds into its slot, with lines fading in on schedule."""
    for index in range(1, len(states)):
        appears = FIRST_LINE_AT + (index - 1) * LINE_EVERY
        if t < appears:
            return states[index - 1]
        if t < appears + LINE_FADE:
            return Image.blend(states[index - 1], states[index], (t - appears) / LINE_FADE)
    return states[-1]


def _scaled(script: VideoScript, short: bool) -> tuple[Slide, ...]:
    if not short:
        return script.slides
    return tuple(
        Slide(slide.heading, slide.lines, max(2.5, round(slide.seconds * SHORT_SCALE, 2)))
        for slide in script.slides
    )


def video_frames(script: VideoScript, *, short: bool = False) -> Iterator[bytes]:
    slides = _scaled(script, short)
    footer = "Coaching for connection · Northwind Biopharma"
    all_states = [_slide_states(slide, footer) for slide in slides]
    total = sum(slide.seconds for slide in slides)
    black = Image.new("RGB", (WIDTH, HEIGHT))
    frame_count = round(total * FPS)
    starts = list(accumulate((s.seconds for s in slides), initial=0.0))
    for number in range(frame_count):
        t = number / FPS
        index = max(i for i in range(len(slides)) if starts[i] <= t)
        local = t - starts[index]
        frame = _slide_frame(all_states[index], local)
        if local < FADE:
            previous = all_states[index - 1][-1] if index else black
            frame = Image.blend(previous, frame, _smooth(local / FADE))
        if total - t < FADE * 1.5:
            frame = Image.blend(black, frame, _smooth(max(0.0, (total - t) / (FADE * 1.5))))
        else:
            # A thin progress line along the bottom: gentle motion, and a sense of length.
            frame = frame.copy()
            ImageDraw.Draw(frame).rectangle(
                (0, HEIGHT - 4, round(WIDTH * t / total), HEIGHT - 1), fill=ACCENT_COLOUR
            )
        yield frame.tobytes()


def video_piece(script: VideoScript, *, short: bool = False) -> tuple[AudioPiece, list[Cue]]:
    """The soundtrack (a soft chord and a chime per card) and the captions of a video."""
    slides = _scaled(script, short)
    starts = list(accumulate((s.seconds for s in slides), initial=0.0))
    seconds = starts[-1]
    chords = ((130.8, 196.0, 246.9, 329.6), (110.0, 164.8, 261.6, 329.6))
    score: list[Sound] = []
    half = seconds / 2
    score.append(Pad(0, half + 1.5, chords[0], 0.5, fade=2.0))
    score.append(Pad(half - 1.5, seconds, chords[1], 0.5, fade=2.5))
    score += [Bell(start + 0.05, 783.99, 0.12, decay=1.6) for start in starts[:-1]]
    cues = []
    for number, (slide, start) in enumerate(zip(slides, starts, strict=False)):
        text = "\n".join((slide.heading, *slide.lines))
        if number == 0:
            text = "[Calm music]\n" + text
        cues.append(Cue(start, start + slide.seconds, text))
    piece = AudioPiece(
        key=script.key,
        title=f"{script.title}: transcript",
        preface=(
            "There is no narration. Calm instrumental music plays throughout, and a soft chime "
            "sounds as each title card appears. The cards read:"
        ),
        seconds=seconds,
        score=tuple(score),
        cues=tuple(cues),
    )
    return piece, cues


# ---------------------------------------------------------------------------------------------
# Encoding and the cache


@cache
def ffmpeg_exe() -> str:
    try:
        import imageio_ffmpeg
    except ImportError as error:  # pragma: no cover - a declared dependency
        raise MediaError(DEMO_EXTRA_MISSING.format(name="imageio_ffmpeg")) from error
    try:
        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except RuntimeError as error:  # pragma: no cover - platform without a bundled binary
        raise MediaError(f"imageio-ffmpeg found no ffmpeg binary: {error}") from error


def _run_ffmpeg(args: list[str], *, frames: Iterator[bytes] | None = None) -> None:
    command = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", *args]
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=errors)
        assert process.stdin is not None
        try:
            for frame in frames or ():
                process.stdin.write(frame)
        except BrokenPipeError:
            pass  # ffmpeg stopped early; its exit status and message say why
        finally:
            process.stdin.close()
        status = process.wait()
        if status != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace").strip()
            raise MediaError(f"ffmpeg failed ({status}): {message[-800:]}")


AUDIO_ARGS = ["-c:a", "libopus", "-b:a", "48k", "-application", "audio"]
VIDEO_ARGS = [
    # VP8 at a quality target: fast to encode, and title cards compress to very little.
    *("-c:v", "libvpx", "-crf", "10", "-b:v", "800k", "-deadline", "realtime", "-cpu-used", "16"),
    *("-g", str(FPS * 5), "-pix_fmt", "yuv420p"),
]


LENGTH_TOLERANCE = 0.5  # seconds: a few Opus packets or video frames either way


def measured_seconds(path: Path, *, expected: float | None = None) -> float:
    """How long `path` plays, in seconds: ffmpeg decodes it to the end and reports the last
    timestamp it reached (not the container's own claim). With `expected` (the length its
    captions and transcript describe), a difference over LENGTH_TOLERANCE raises MediaError, so
    the demo never states a length its media does not have. MediaError also when ffmpeg cannot
    read the file."""
    command = [ffmpeg_exe(), "-hide_banner", "-nostats", "-i", str(path)]
    command += ["-f", "null", "-progress", "pipe:1", "-"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    times = re.findall(r"^out_time_us=(\d+)$", result.stdout, re.MULTILINE)
    if result.returncode != 0 or not times:
        raise MediaError(f"ffmpeg could not read {path.name}: {result.stderr.strip()[-800:]}")
    seconds = int(times[-1]) / 1_000_000
    if expected is not None and abs(seconds - expected) > LENGTH_TOLERANCE:
        raise MediaError(
            f"{path.name} plays for {seconds:.2f} s, but its captions describe {expected:.2f} s."
        )
    return seconds


def _cache_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "demo-cache"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _digest(*parts: object) -> str:
    text = "|".join(repr(part) for part in (GENERATOR_VERSION, *parts))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _cached(name: str, build: Callable[[Path, Path], None]) -> Path:
    """The cached file; `build(output, scratch_folder)` makes it when missing. It is built under
    a temporary name first, so a half-written file never counts as cached."""
    target = _cache_dir() / name
    if target.exists() and target.stat().st_size > 0:
        return target
    with tempfile.TemporaryDirectory(dir=_cache_dir()) as work:
        partial = Path(work) / name
        build(partial, Path(work))
        os.replace(partial, target)
    return target


def build_audio(piece: AudioPiece, *, short: bool = False) -> MediaAsset:
    def build(output: Path, scratch: Path) -> None:
        sound = _write_raw(scratch / "sound.f32", piece.score, piece.seconds)
        _run_ffmpeg([*sound, *AUDIO_ARGS, "-f", "ogg", str(output)])

    suffix = "-short" if short else ""
    name = f"{piece.key}{suffix}-{_digest(piece, AUDIO_ARGS)}.ogg"
    path = _cached(name, build)
    return MediaAsset(
        key=piece.key,
        path=path,
        filename=f"{piece.key}.ogg",
        captions=webvtt(piece.cues),
        transcript=transcript(piece.title, piece.preface, piece.cues),
        duration=measured_seconds(path, expected=piece.seconds),
    )


def build_video(script: VideoScript, *, short: bool = False) -> MediaAsset:
    piece, cues = video_piece(script, short=short)

    def build(output: Path, scratch: Path) -> None:
        sound = _write_raw(scratch / "sound.f32", piece.score, piece.seconds)
        size = f"{WIDTH}x{HEIGHT}"
        raw = ["-f", "rawvideo", "-pix_fmt", "rgb24", "-s", size, "-framerate", str(FPS)]
        inputs = [*raw, "-i", "pipe:0", *sound, "-map", "0:v", "-map", "1:a"]
        outputs = [*VIDEO_ARGS, *AUDIO_ARGS, "-shortest", "-f", "webm", str(output)]
        _run_ffmpeg([*inputs, *outputs], frames=video_frames(script, short=short))

    suffix = "-short" if short else ""
    name = f"{script.key}{suffix}-{_digest(script, piece, VIDEO_ARGS, AUDIO_ARGS, FPS)}.webm"
    path = _cached(name, build)
    return MediaAsset(
        key=script.key,
        path=path,
        filename=f"{script.key}.webm",
        captions=webvtt(cues),
        transcript=transcript(piece.title, piece.preface, cues),
        duration=measured_seconds(path, expected=piece.seconds),
    )


AUDIO_PIECES = {"calm-breathing": breathing_piece, "listening-practice": listening_piece}


def build_media(key: str, *, short: bool = False) -> MediaAsset:
    """The asset for a key named in demo.content, from the cache when it is there."""
    if key in VIDEO_SCRIPTS:
        return build_video(VIDEO_SCRIPTS[key], short=short)
    if key in AUDIO_PIECES:
        return build_audio(AUDIO_PIECES[key](short=short), short=short)
    raise KeyError(f"no demo media called {key!r}")


def build_all(keys: Sequence[str], *, short: bool = False) -> dict[str, MediaAsset]:
    """Build in two threads: while one synthesises in Python, ffmpeg encodes the other's file."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        assets = pool.map(lambda key: build_media(key, short=short), keys)
        return dict(zip(keys, assets, strict=True))
