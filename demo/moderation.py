"""The demo's moderation: two reports waiting in the coach's and the admin's queue (a post in
the community space, and a journal entry shared with a circle), one handled report with the
coach's answer on the demo learner's "My reports", and one gentle block.

Written through discussions.actions, reflections.actions and moderation.actions, in the first
cohort, after demo.discussions has seeded its community space and demo.circles has published
its circles (the reported entry is shared with one). Original text for the demo.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from circles.models import Circle, CircleMember, CircleState
from cohorts.models import Cohort, EnrollmentRole
from demo.reflections import backdate_entry
from discussions import actions as talk
from discussions.models import Post, Thread
from moderation import actions
from moderation.models import ReportReason
from moderation.targets import entry_target
from notifications.models import Notification, NotificationKind
from reflections import actions as journal
from reflections.models import Entry, EntryKind, Visibility

# A remark that turns something a peer shared in confidence against her: what the first open
# report is about. Pointed, not cruel: the demo stays a place people would want to be.
UNKIND = (
    "Not to be harsh, but after what Amara told us about freezing in her first big "
    "presentation, maybe someone else should lead the cross-site update next month? "
    "Just being realistic about who handles pressure."
)
UNKIND_DETAILS = (
    "Amara shared that story in the week 2 thread because the prompt asked about a hard "
    "moment. Quoting it back to suggest she can't do her job doesn't feel safe."
)
# A journal entry shared with the author's circle that passes on what a colleague told her in
# confidence, meaning well and a little resentful: what the second open report is about.
OVERSHARE_TITLE = "Why Stefan leaves at three"
OVERSHARE = (
    "Did the no-agenda conversation with Stefan from packaging at last. Now I know why he "
    "has been leaving at three every day: his daughter is in hospital again and he and his "
    "wife take turns staying with her. He asked me to keep it to myself, but I think the "
    "circle should know, so nobody books him for late calls. It also explains the sloppy "
    "handovers. I just wish he had told someone sooner instead of letting the rest of us "
    "carry it."
)
OVERSHARE_DETAILS = (
    "Stefan told her this in confidence and asked her to keep it to herself. Two of us in "
    "the circle work with him every day. I don't think she meant harm, but it isn't hers "
    "to share."
)
# An advert in the community space: what the handled report was about.
ADVERT = (
    "Anyone interested in my old noise-cancelling headphones? Barely used, half price, "
    "message me. Also selling a standing desk."
)
HIDE_REASON = (
    "The community space is for the programme. Adverts belong on the company noticeboard; "
    "you are welcome to post there."
)
OUTCOME_NOTE = (
    "Thank you for flagging this. I've hidden the post and pointed the author to the "
    "noticeboard. — Grace"
)


def seed_moderation(
    cohort: Cohort, *, learner: str, peer: str, coach: str, now: datetime
) -> dict[str, int]:
    """Reports and a block in the cohort's community space (see the module's docstring), dated
    hours before `now`. Returns counts by kind."""
    named = {u.email: u for u in User.objects.filter(email__in=[learner, peer, coach])}
    others = list(
        User.objects.filter(enrollments__cohort=cohort, enrollments__role=EnrollmentRole.LEARNER)
        .exclude(pk__in=[u.pk for u in named.values()])
        .order_by("-pk")[:2]
    )
    space = talk.community_thread(cohort)
    unkind = _post(space, author=others[0], body=UNKIND, at=now - timedelta(hours=5))
    advert = _post(space, author=others[1], body=ADVERT, at=now - timedelta(hours=30))

    actions.report_post(
        unkind,
        reporter=named[peer],
        reason=ReportReason.VULNERABILITY,
        details=UNKIND_DETAILS,
        anonymous_to_peers=True,
    )
    handled = actions.report_post(
        advert, reporter=named[learner], reason=ReportReason.SPAM, anonymous_to_peers=True
    )
    actions.hide_reported_post(handled, by=named[coach], reason=HIDE_REASON, note=OUTCOME_NOTE)
    actions.block_author(advert, blocker=named[learner])
    exclude = {u.pk for u in named.values()} | {u.pk for u in others}
    entry_reports = _report_shared_entry(
        cohort, learner=named[learner], coach=named[coach], exclude=exclude, now=now
    )
    # The notices of these reports and decisions went out when they happened, hours ago: the
    # worker must not email them now, as a burst about the demo's past. moderation.actions
    # notifies once the seed commits; this runs after those callbacks (registered later).
    transaction.on_commit(
        lambda: Notification.objects.filter(
            organization=cohort.organization,
            kind=NotificationKind.MODERATION,
            emailed_at__isnull=True,
        ).update(emailed_at=now)
    )
    return {"reports": 2 + entry_reports, "blocks": 1}


def _report_shared_entry(
    cohort: Cohort, *, learner: User, coach: User, exclude: set[int], now: datetime
) -> int:
    """A learner shares OVERSHARE with her circle yesterday and a circle-mate reports it (open).
    Both are the first two members, by id, of the first published circle of `cohort` (those
    the demo coach coaches first) that the demo learner is not in, leaving out the people in
    `exclude` (the demo's named people and the post reports' authors), so her own circle's
    page stays as demo.circles wrote it. Returns how many reports were made: 0 without such
    a circle (a tiny seed)."""
    circles = sorted(
        Circle.objects.filter(cohort=cohort, state=CircleState.PUBLISHED).exclude(
            members__user=learner
        ),
        key=lambda c: (c.coach_id != coach.pk, c.pk),
    )
    for circle in circles:
        members = [
            m
            for m in CircleMember.objects.filter(circle=circle)
            .select_related("enrollment__cohort__program", "enrollment__coach", "user")
            .order_by("user_id")
            if m.user_id not in exclude
        ]
        if len(members) >= 2:
            break
    else:
        return 0
    author, reporter = members[0], members[1]
    since = timezone.now()  # the write records events at the real time; dated back below
    entry, _ = journal.write_entry(
        author.enrollment,
        kind=EntryKind.FREE,
        title=OVERSHARE_TITLE,
        body=OVERSHARE,
        visibility=Visibility.CIRCLE,
    )
    backdate_entry(entry, now - timedelta(days=1, hours=4), since)
    shared = Entry.objects.select_related("author", "cohort", "circle").get(pk=entry.pk)
    actions.report(
        entry_target(shared),
        reporter=reporter.user,
        reason=ReportReason.CONFIDENCE,
        details=OVERSHARE_DETAILS,
        anonymous_to_peers=True,
    )
    return 1


def _post(space: Thread, *, author: User, body: str, at: datetime) -> Post:
    return talk.create_post(space, author=author, body=body, now=at)
