"""`manage.py seed_demo`: the demo organisation, for trying Rapport and for benchmarks.

The work is in demo.seed; this command only reads options and prints progress.
"""

from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cohorts.models import Enrollment, EnrollmentRole
from demo.errors import MediaError
from demo.seed import (
    DEMO_ORG_NAME,
    DemoExists,
    SeedOptions,
    demo_organization,
    reset_demo,
    seed_demo,
    sign_in_text,
)


def _count(minimum: int) -> Any:
    def parse(text: str) -> int:
        value = int(text)
        if value < minimum:
            raise ArgumentTypeError(f"must be at least {minimum}")
        return value

    return parse


class Command(BaseCommand):
    help = (
        "Create the demo organisation, Northwind Biopharma: the 7-week coaching-skills "
        "programme with generated media, learners from every region with coaches and progress, "
        "and fixed sign-ins (see --show-sign-ins). Running it again changes nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--learners", type=_count(2), default=60, help="Default 60.")
        parser.add_argument(
            "--cohort-size", type=_count(2), default=4500, help="Most learners in one cohort."
        )
        parser.add_argument(
            "--cohorts",
            type=_count(1),
            default=None,
            help="How many cohorts (default: enough for --cohort-size, and up to 3 so that "
            "learners are spread across weeks).",
        )
        parser.add_argument(
            "--event-days",
            type=_count(0),
            default=0,
            help="Also create a history of events over this many past days (benchmarks).",
        )
        parser.add_argument("--seed", type=int, default=7, help="Random seed for people.")
        parser.add_argument(
            "--short-media", action="store_true", help="Shorter media, for tests and quick tries."
        )
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo organisation first."
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Exit 0 if the demo organisation exists, 1 if not; create nothing.",
        )
        parser.add_argument(
            "--show-sign-ins",
            action="store_true",
            help="Print the demo sign-ins and password; create nothing.",
        )
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="For --show-sign-ins.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["show_sign_ins"]:
            self.stdout.write(sign_in_text(options["url"]))
            return
        if options["check"]:
            self._check()
            return
        if options["reset"] and reset_demo(log=self.stdout.write):
            self.stdout.write("The demo organisation was deleted.")
        elif demo_organization() is not None:
            self.stdout.write(
                f"The demo organisation “{DEMO_ORG_NAME}” already exists; nothing changed. "
                "Use --reset to start again."
            )
            return
        try:
            seed_options = SeedOptions(
                learners=options["learners"],
                cohort_size=options["cohort_size"],
                cohorts=options["cohorts"],
                event_days=options["event_days"],
                short_media=options["short_media"],
                seed=options["seed"],
            )
            seed_demo(seed_options, log=self.stdout.write)
        except DemoExists as error:
            self.stdout.write(f"{error} Nothing changed.")
            return
        except (ValueError, MediaError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write("")
        self.stdout.write(sign_in_text(options["url"]))

    def _check(self) -> None:
        organization = demo_organization()
        if organization is None:
            raise CommandError("The demo organisation has not been created yet.", returncode=1)
        learners = Enrollment.objects.filter(
            organization=organization, role=EnrollmentRole.LEARNER
        ).count()
        cohorts = organization.cohorts.count()
        self.stdout.write(
            f"The demo organisation “{organization.name}” exists: "
            f"{learners:,} learners in {cohorts} cohorts."
        )
