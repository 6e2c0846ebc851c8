"""What the studio's tests share (they live with the app each page belongs to): its addresses, the
shape of a formset's POST, and a test case with a designer of the other organisation.

The personas are rapport.testing's: dora designs and adam administers Northwind; olga designs for
Contoso, whose activity titled "Contoso secret plan" must never show up at Northwind.
"""

from typing import Any

from django.urls import reverse

from accounts.models import User
from cohorts.models import Cohort, CohortSession
from organizations.models import Role
from programs.models import Activity, Week
from rapport.lib.timezones import get_zone
from rapport.testing import PersonaTestCase, make_user

STUDIO = "/studio/"
SIGN_IN = "/studio/login/"


def changelist(model: str) -> str:
    """The studio list page of `model`, given as `app_model` (say `programs_activity`)."""
    return reverse(f"studio:{model}_changelist")


def management_form(prefix: str, total: int = 0, initial: int = 0) -> dict[str, Any]:
    """The hidden fields Django's formsets post for the inline named `prefix`."""
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


class StudioTestCase(PersonaTestCase):
    """The personas, plus olga (a designer at Contoso) and a Contoso activity with a telling
    title."""

    olga: User  # a designer in the other organisation
    secret_activity: Activity  # an activity of the other organisation, with a telling title

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.olga = make_user(cls.other_org, "olga@contoso.example", role=Role.DESIGNER)
        cls.secret_activity = Activity.objects.filter(organization=cls.other_org).first()  # type: ignore[assignment]
        cls.secret_activity.title = "Contoso secret plan"
        cls.secret_activity.save()

    def own_weeks(self) -> set[int]:
        return set(Week.objects.filter(organization=self.org).values_list("pk", flat=True))

    def activity_post(self, activity: Activity, **changes: Any) -> dict[str, Any]:
        """Everything the activity form posts for `activity`, with `changes` applied."""
        data: dict[str, Any] = {
            "week": activity.week_id,
            "position": activity.position,
            "kind": activity.kind,
            "title": activity.title,
            "summary": activity.summary,
            "estimated_minutes": activity.estimated_minutes,
            "competencies": [c.pk for c in activity.competencies.all()] if activity.pk else [],
            "body": activity.body,
            "transcript": activity.transcript,
            "external_url": activity.external_url,
            "session_day": activity.session_day or "",
            "session_time": activity.session_time or "",
            "session_time_zone": activity.session_time_zone,
            "duration_minutes": activity.duration_minutes or "",
            "_save": "Save",
        }
        data.update(changes)
        return data

    def cohort_post(
        self, cohort: Cohort, moves: dict[int, tuple[str, str]] | None = None
    ) -> dict[str, Any]:
        """Everything the cohort page posts for `cohort` as the signed-in person gets it: its
        fields, no new seats, and each live session as the page shows it (in that person's own
        zone), except the sessions of the activities in `moves`, typed instead as
        {activity pk: ("2027-04-01", "10:00")}."""
        page = self.client.get(reverse("studio:cohorts_cohort_change", args=[cohort.pk]))
        zone = get_zone(page.context["studio_time_zone"])
        formset = next(
            inline.formset
            for inline in page.context["inline_admin_formsets"]
            if inline.formset.model is CohortSession
        )
        total = len(formset.forms)
        data: dict[str, Any] = {
            "program": cohort.program_id,
            "name": cohort.name,
            "start_date": cohort.start_date.isoformat(),
            **management_form("enrollments"),
            **management_form(formset.prefix, total=total, initial=total),
            "_save": "Save",
        }
        for index, form in enumerate(formset.forms):
            session = form.instance
            shown = session.starts_at.astimezone(zone)
            day, clock = (moves or {}).get(
                session.activity_id, (shown.date().isoformat(), shown.time().isoformat())
            )
            prefix = f"{formset.prefix}-{index}"
            data.update(
                {
                    f"{prefix}-id": session.pk,
                    f"{prefix}-cohort": cohort.pk,
                    f"{prefix}-starts_at_0": day,
                    f"{prefix}-starts_at_1": clock,
                    f"{prefix}-duration_minutes": session.duration_minutes,
                    f"{prefix}-video_url": session.video_url,
                }
            )
        return data
