"""Demo peer circles: reporting lines, then circles formed and published for every cohort that
has started, through the circles actions an admin's clicks call. The cohort that has not
started yet is left for the admin to form ("Form circles" from the cohort list)."""

from collections import defaultdict
from datetime import date

from accounts.models import User
from circles.actions import form_draft, publish
from circles.roster import load_people
from cohorts.models import Cohort, Enrollment, EnrollmentRole
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
        published += publish(cohort, by=admin, people=load_people(cohort), notify_members=False)
    return published
