"""Demo peer circles: reporting lines, then circles formed and published for every cohort that
has started, through the circles actions an admin's clicks call. The cohort that has not
started yet is left for the admin to form ("Form circles" from the cohort list)."""

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from accounts.models import User
from circles.actions import form_draft, publish
from circles.models import CircleMember, CircleState
from circles.roster import load_people
from cohorts.models import Cohort, Enrollment, EnrollmentRole
from discussions import actions as talk
from notifications.models import Notification, NotificationKind
from organizations.models import Membership, Organization

# Who reports to whom: in each region and function, first-line managers report to a senior
# manager of the same team, as in the organisation chart the import would bring.
MANAGER_LEVELS = ("Senior manager", "Director")
REPORTS_PER_MANAGER = 6


def seed_line_managers(organization: Organization) -> int:
    """Give learners of the same region and function a line manager among the more senior
    learners there. Returns how many people got one."""
    learners = list(
        Membership.objects.filter(
            organization=organization,
            user__enrollments__role=EnrollmentRole.LEARNER,
        )
        .distinct()
        .order_by("user_id")
    )
    teams: dict[tuple[str, str], list[Membership]] = defaultdict(list)
    for membership in learners:
        teams[(membership.region, membership.function)].append(membership)
    changed: list[Membership] = []
    for members in teams.values():
        seniors = [m for m in members if m.level in MANAGER_LEVELS]
        others = [m for m in members if m.level not in MANAGER_LEVELS]
        for index, report in enumerate(others[: len(seniors) * REPORTS_PER_MANAGER]):
            report.line_manager_id = seniors[index // REPORTS_PER_MANAGER].user_id
            changed.append(report)
    Membership.objects.bulk_update(changed, ["line_manager"], batch_size=500)
    return len(changed)


def seed_circles(organization: Organization, *, admin_email: str, today: date) -> int:
    """Form and publish circles, mixed on region and function, for each cohort that has
    started; returns how many circles were published."""
    seed_line_managers(organization)
    admin = User.objects.get(organization=organization, email=admin_email)
    published = 0
    for cohort in Cohort.objects.filter(organization=organization).order_by("start_date"):
        if cohort.start_date > today:
            continue
        if not Enrollment.objects.filter(cohort=cohort, role=EnrollmentRole.LEARNER).exists():
            continue
        form_draft(cohort, mix=("region", "function"), by=admin)
        # Published when the cohort started: nobody is told again today.
        published += publish(
            cohort,
            by=admin,
            people=load_people(cohort),
            notify_members=False,
            at=datetime.combine(cohort.start_date, time.min, tzinfo=UTC),
        )
    return published


# The demo learner's circle, this week: check-ins from three members and their coach, hours old,
# so that "My circle" opens on a conversation in several voices. Member 0 is the first other
# member of her circle, and so on; the coach is "coach".
CHECK_INS: tuple[tuple[float, int | str, str], ...] = (
    (
        30,
        0,
        "Checking in from a busy week. The feedback I am carrying is one I gave badly: I told a "
        'new team lead her update was "too long" in front of everyone. She has been quieter '
        "since. I want to go back to it this week, privately, and start by asking how it landed.",
    ),
    (
        26,
        1,
        'Thank you for going first. Mine is one I received: a peer said I "decide before the '
        'meeting starts". It stung because it is partly true. I am trying to open with a question '
        "this week instead of my answer.",
    ),
    (
        20,
        "coach",
        "Two generous check-ins. Notice that both of you are curious about the other person's "
        "side before your own. If you try the private conversation or the opening question, "
        "tell the circle next week how it went; not to report, just so we learn together.",
    ),
    (
        5,
        2,
        "Late to this, it was a long day at the plant. I have feedback I have not given yet, to "
        "someone senior to me. Reading your two posts makes me think I could ask first whether "
        "they want it. Would anyone be up for practising the first sentence with me?",
    ),
)


def seed_circle_conversation(
    organization: Organization, *, learner_email: str, now: datetime
) -> int:
    """Post this week's check-ins (CHECK_INS) in the demo learner's published circle, before
    `now`. The notifications they make are about the demo's past: marked emailed, so the worker
    sends none when the demo starts. Returns how many posts were written."""
    learner = User.objects.get(organization=organization, email=learner_email)
    member = (
        CircleMember.objects.filter(user=learner, circle__state=CircleState.PUBLISHED)
        .select_related("circle__coach")
        .first()
    )
    if member is None:
        return 0
    circle = member.circle
    others = [
        m.user
        for m in CircleMember.objects.filter(circle=circle)
        .exclude(user=learner)
        .select_related("user")
        .order_by("user_id")
    ]
    thread = talk.circle_thread(circle)
    written = 0
    for hours_ago, who, body in CHECK_INS:
        author = circle.coach if who == "coach" else others[int(who) % len(others)]
        if author is None:
            continue
        talk.create_post(thread, author=author, body=body, now=now - timedelta(hours=hours_ago))
        written += 1
    Notification.objects.filter(
        organization=organization, kind=NotificationKind.CIRCLE, emailed_at__isnull=True
    ).update(emailed_at=now)
    return written
