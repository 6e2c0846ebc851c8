"""The demo's moderation: one report waiting in the coach's and the admin's queue, one handled
report with the coach's answer on the demo learner's "My reports", and one gentle block.

Written through discussions.actions and moderation.actions, in the first cohort's community
space, after demo.discussions has seeded it. Original text for the demo.
"""

from datetime import datetime, timedelta

from django.db import transaction

from accounts.models import User
from cohorts.models import Cohort, EnrollmentRole
from discussions import actions as talk
from discussions.models import Post, Thread
from moderation import actions
from moderation.models import ReportReason
from notifications.models import Notification, NotificationKind

# A remark that turns something a peer shared in confidence against her: what the open report
# is about. Pointed, not cruel: the demo stays a place people would want to be.
UNKIND = (
    "Not to be harsh, but after what Amara told us about freezing in her first big "
    "presentation, maybe someone else should lead the cross-site update next month? "
    "Just being realistic about who handles pressure."
)
UNKIND_DETAILS = (
    "Amara shared that story in the week 2 thread because the prompt asked about a hard "
    "moment. Quoting it back to suggest she can't do her job doesn't feel safe."
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
    return {"reports": 2, "blocks": 1}


def _post(space: Thread, *, author: User, body: str, at: datetime) -> Post:
    return talk.create_post(space, author=author, body=body, now=at)
