"""The demo's journals: mission plans and reflections, "connect it to your own experience"
entries and free entries for the demo learner, her peer and three more people of the first
cohort, with a mix of visibilities, so that the coach finds what was shared with her under
"Shared with me" and the learner finds views in "Who viewed what you shared".

Written through reflections.actions (so the text is encrypted at rest and the events exist),
after the circles are seeded (a circle-level share needs the author's circle); then only the
dates are moved back so the journal reads like weeks of use. Original text for the demo, in the
voice of the seeds: honest, specific, kind.
"""

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from accounts.models import User
from circles.models import CircleMember
from cohorts.models import Cohort, Enrollment, EnrollmentRole
from events.models import Event
from notifications.models import Notification, NotificationKind
from programs.models import ActivityKind
from programs.outline import OutlineActivity, outline_of
from reflections import actions
from reflections.access import audiences_for
from reflections.models import Entry, EntryKind, EntryView, Visibility

# The learner's reflection on week 1's mission, shared with her coach (who has read it).
AMARA_MISSION_1 = {
    "happened": (
        "Two conversations: my Monday one-to-one with Jonas and a quick call with the "
        "regulatory team about the label update. With Jonas I went in with a list of four "
        "things to get through and we got through all four. The call I treated as a problem "
        "to solve before I even joined."
    ),
    "noticed": (
        "My default is 'task to get through'. I could feel my jaw set when Jonas started "
        "telling me about his weekend, as if it was eating into the real meeting. On the call "
        "I was composing my answer while people were still explaining the problem."
    ),
    "learned": (
        "Jonas mentioned on his way out that he has been covering for a colleague on leave. "
        "That was the most important thing said in the whole half hour and I nearly missed it "
        "because it was not on my list."
    ),
    "next_step": (
        "Start next week's one-to-one with an open question and leave the list until the "
        "second half. Ask Jonas how the cover is going before anything else."
    ),
}
# Her "connect it to your own experience" on week 1's film, shared with her circle.
AMARA_CONNECT = (
    "The line about trust coming before content made me think of my first month in this "
    "role. I sent a very thorough plan to the team before I had had a single proper "
    "conversation with any of them. Nobody pushed back, and nobody engaged either. It took "
    "a team lunch, not a better plan, for people to start telling me what was actually "
    "going on."
)
# Her plan for week 2's mission, still ahead (the reminder comes at that time).
AMARA_PLAN = {
    "with_whom": "Someone from the night shift I have only ever emailed",
    "what_i_will_try": (
        "Ask for fifteen minutes with no agenda, camera on, notifications off. Only questions "
        "and summaries from me; no advice unless they ask for it."
    ),
}
# A private free entry: nobody else ever sees it.
AMARA_FREE = (
    "Hard week. I snapped at Lena in the stand-up when she raised the delay again, and "
    "I saw her go quiet for the rest of the meeting. I don't think she was wrong to raise "
    "it. I think I was embarrassed that I had no answer yet. I want to apologise tomorrow "
    "without making it a big thing, and tell her the delay is on me to fix, not her."
)
AMARA_FREE_TITLE = "After Tuesday's stand-up"

# The peer's mission reflection, shared with the whole cohort.
RAFAEL_MISSION_1 = {
    "happened": (
        "I had both conversations on the factory floor during the shift change. The first "
        "was with a line lead about overtime, the second with a new operator who asked where "
        "the safety data sheets are kept."
    ),
    "noticed": (
        "I believed both were problems to solve fast, because shift change is busy. With "
        "the new operator I answered in ten seconds and walked off. Afterwards I realised "
        "she probably wanted to know who she could ask, not only where the binder is."
    ),
    "learned": "Speed can look like unavailability, especially to someone new.",
    "next_step": "Find her this week and introduce her to two people on her line.",
}
# Short entries from three more people of the cohort (who can see it, title, text): shared with
# the coach or the circle.
OTHERS = (
    (
        Visibility.COACH,
        "The feedback that didn't come",
        "I asked my team for feedback on how I run our weekly meeting and got silence, then "
        "a polite 'it's fine'. I think I asked in a way that made 'fine' the only safe "
        "answer. Could we talk about how to ask again in our next session?",
    ),
    (
        Visibility.COACH,
        "He is thinking about leaving",
        "Tried the no-agenda conversation with my most senior engineer. Ten minutes in he "
        "told me he has been thinking about leaving. I am glad he told me, and I am not "
        "sure what to do with it yet.",
    ),
    (
        Visibility.CIRCLE,
        "Three seconds",
        "Small win: I waited three seconds before answering in every conversation today. "
        "People finished their sentences. One of them said something I would have talked "
        "over, and it changed my decision.",
    ),
)


def _missions(cohort: Cohort) -> list[OutlineActivity]:
    return [
        a for a in outline_of(cohort.program).activities_in_order if a.kind == ActivityKind.MISSION
    ]


def _film(cohort: Cohort) -> OutlineActivity | None:
    activities = outline_of(cohort.program).activities_in_order
    return next((a for a in activities if a.kind == ActivityKind.VIDEO), None)


def _seat(user: User, cohort: Cohort) -> Enrollment:
    return Enrollment.objects.select_related("cohort__program", "coach", "user").get(
        user=user, cohort=cohort, role=EnrollmentRole.LEARNER
    )


def _widest(seat: Enrollment, wanted: str) -> str:
    """`wanted`, or the cohort level when the seat has no such coach or circle."""
    return wanted if audiences_for(seat)[wanted].available else Visibility.COHORT


def _backdate_events(author: User, since: datetime, when: datetime) -> None:
    """The events the last write recorded (after `since`, the real clock) dated `when`."""
    Event.objects.filter(actor=author, timestamp__gte=since).update(timestamp=when)


def backdate_entry(entry: Entry, when: datetime, since: datetime) -> None:
    """Date `entry` (written, and shared unless private) and its author's events recorded
    since `since` (the real clock before the write) at `when`, in the demo's past."""
    _backdate_events(entry.author, since, when)
    Entry.objects.filter(pk=entry.pk).update(
        created_at=when,
        updated_at=when,
        shared_at=when if entry.visibility != Visibility.PRIVATE else None,
    )


def seed_reflections(
    cohort: Cohort, *, learner: str, peer: str, coach: str, now: datetime
) -> dict[str, int]:
    """The journals described in the module's docstring, in `cohort` (the demo learner's).
    Returns counts by kind: entries, plans, views."""
    named = {u.email: u for u in User.objects.filter(email__in=[learner, peer, coach])}
    amara, rafael, grace = named[learner], named[peer], named[coach]
    missions = _missions(cohort)
    seat = _seat(amara, cohort)
    counts = {"entries": 0, "plans": 0, "views": 0}
    # The writes below record events at the real time; each is then dated in the demo's past.
    since = timezone.now()

    reflection, _ = actions.write_entry(
        seat,
        kind=EntryKind.MISSION,
        activity=missions[0],
        answers=AMARA_MISSION_1,
        visibility=_widest(seat, Visibility.COACH),
    )
    backdate_entry(reflection, now - timedelta(days=16, hours=3), since)
    film = _film(cohort)
    shared_entries: list[Any] = [reflection]
    if film is not None:
        connect, _ = actions.write_entry(
            seat,
            kind=EntryKind.EXPERIENCE,
            activity=film,
            body=AMARA_CONNECT,
            visibility=_widest(seat, Visibility.CIRCLE),
        )
        backdate_entry(connect, now - timedelta(days=19, hours=6), since)
        shared_entries.append(connect)
    private, _ = actions.write_entry(
        seat, kind=EntryKind.FREE, title=AMARA_FREE_TITLE, body=AMARA_FREE
    )
    backdate_entry(private, now - timedelta(days=2, hours=9), since)
    counts["entries"] += 2 + (film is not None)
    if len(missions) > 1:
        actions.plan_mission(
            seat,
            activity=missions[1],
            planned_for=now + timedelta(days=2, hours=1),
            time_zone=amara.time_zone,
            **AMARA_PLAN,
        )
        _backdate_events(amara, since, now - timedelta(days=6, hours=2))
        counts["plans"] += 1

    peer_seat = _seat(rafael, cohort)
    peer_entry, _ = actions.write_entry(
        peer_seat,
        kind=EntryKind.MISSION,
        activity=missions[0],
        answers=RAFAEL_MISSION_1,
        visibility=Visibility.COHORT,
    )
    backdate_entry(peer_entry, now - timedelta(days=15, hours=20), since)
    counts["entries"] += 1

    others = list(
        Enrollment.objects.select_related("cohort__program", "coach", "user")
        .filter(cohort=cohort, role=EnrollmentRole.LEARNER, coach=grace)
        .exclude(user__in=[amara, rafael])
        .order_by("pk")[: len(OTHERS)]
    )
    for days, (other, (visibility, title, text)) in enumerate(zip(others, OTHERS, strict=False), 1):
        entry, _ = actions.write_entry(
            other,
            kind=EntryKind.FREE,
            title=title,
            body=text,
            visibility=_widest(other, visibility),
        )
        backdate_entry(entry, now - timedelta(days=days * 2, hours=days), since)
        counts["entries"] += 1

    # Who opened what Amara shared: her coach read her mission reflection twice, and whoever
    # could read her "connect it" entry (her circle or cohort) once.
    views = [
        EntryView(entry=reflection, viewer=grace, organization_id=cohort.organization_id),
        EntryView(entry=reflection, viewer=grace, organization_id=cohort.organization_id),
    ]
    if len(shared_entries) > 1:
        # A peer of her circle (or, shared with the cohort, her peer Rafael) read it.
        connect = shared_entries[1]
        peers = CircleMember.objects.filter(circle_id=connect.circle_id).exclude(user=amara)
        reader = next((m.user for m in peers.select_related("user").order_by("pk")), rafael)
        views.append(
            EntryView(
                entry=shared_entries[1], viewer=reader, organization_id=cohort.organization_id
            )
        )
    made = EntryView.objects.bulk_create(views)
    for hours, view in zip((15 * 24, 3 * 24 + 4, 18 * 24), made, strict=False):
        EntryView.objects.filter(pk=view.pk).update(viewed_at=now - timedelta(hours=hours))
    counts["views"] = len(made)
    # The coach heard of these shares when they happened, days ago: no digest about the demo's
    # past when the worker starts.
    shared_at = dict(
        Entry.objects.filter(cohort=cohort, shared_at__isnull=False).values_list(
            "public_id", "shared_at"
        )
    )
    for note in Notification.objects.filter(
        organization_id=cohort.organization_id, kind=NotificationKind.SHARED_WITH_YOU
    ):
        note.created_at = shared_at.get(note.target_id, now) if note.target_id else now  # type: ignore[assignment]
        note.emailed_at = now
        note.save(update_fields=["created_at", "emailed_at"])
    return counts
