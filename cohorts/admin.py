"""Studio pages for cohorts and the people enrolled in them.

Designers and admins run cohorts; only admins put people in them (rapport.policy). A cohort may
hold thousands of learners, so its page adds people through a short inline with autocomplete
(org-scoped by the People page's queryset) and links to the paginated enrollment list for the
rest, rather than rendering thousands of rows.
"""

from typing import Any

from django.contrib import admin
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cohorts.actions import enroll, ensure_sessions
from cohorts.forms import CohortSessionForm
from cohorts.models import Cohort, CohortSession, Enrollment, EnrollmentRole
from programs.models import Week
from rapport.studio import (
    Audience,
    StudioModelAdmin,
    StudioTabularInline,
    allows,
    studio_site,
    take_saved,
)


class EnrollmentInline(StudioTabularInline[Enrollment, Cohort]):
    """New enrollments only: existing ones are on the enrollment list, which paginates. Saved by
    cohorts.actions.enroll (CohortAdmin.save_formset)."""

    model = Enrollment
    audience = Audience.PEOPLE
    organization_is_derived = True
    fields = ("user", "role", "coach")
    autocomplete_fields = ("user", "coach")
    verbose_name_plural = _("add people to this cohort")
    extra = 3

    def get_queryset(self, request: HttpRequest) -> QuerySet[Enrollment]:
        return super().get_queryset(request).none()


class CohortSessionInline(StudioTabularInline[CohortSession, Cohort]):
    """This cohort's own time for each live session of the programme. Each starts at the
    activity's default day and time in the cohort's week; moving one here keeps it there. Its
    start is typed and shown in the designer's own zone, labelled (rapport.studio)."""

    model = CohortSession
    form = CohortSessionForm
    organization_is_derived = True
    fields = ("activity", "starts_at", "duration_minutes", "video_url")
    readonly_fields = ("activity",)
    verbose_name_plural = _("live sessions of this cohort")
    extra = 0
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[CohortSession]:
        return super().get_queryset(request).select_related("activity__week", "cohort")

    def has_add_permission(self, request: HttpRequest, obj: Cohort | None = None) -> bool:
        return False  # one per live session, made by ensure_sessions


def _people_summary(cohort: Cohort) -> str:
    """ "12 learners, 2 coaches": counts annotated by CohortAdmin.get_queryset, which designers
    may see although the enrolments themselves are for admins only."""
    learners = int(getattr(cohort, "learner_total", 0))
    coaches = int(getattr(cohort, "coach_total", 0))
    return ", ".join(
        (
            ngettext("%(n)d learner", "%(n)d learners", learners) % {"n": learners},
            ngettext("%(n)d coach", "%(n)d coaches", coaches) % {"n": coaches},
        )
    )


def save_seat(enrollment: Enrollment) -> Enrollment:
    """Save a seat the studio's form built through the one enrolment action, and return it as
    the action saved it (the form's validation already refused people from elsewhere and people
    enrolled twice)."""
    saved, _created = enroll(
        enrollment.user,
        cohort=enrollment.cohort,
        role=EnrollmentRole(enrollment.role),
        coach=enrollment.coach,
    )
    take_saved(enrollment, saved)
    return enrollment


@admin.register(Cohort, site=studio_site)
class CohortAdmin(StudioModelAdmin[Cohort]):
    fields = ("program", "name", "start_date", "week_count", "people")
    readonly_fields = ("week_count", "people", "people_with_link")
    list_display = ("name", "program", "start_date", "week_count", "learner_count")
    list_filter = (("program", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("program",)
    search_fields = ("name", "program__title")
    organization_is_derived = True
    inlines = (CohortSessionInline, EnrollmentInline)

    def get_inlines(self, request: HttpRequest, obj: Cohort | None) -> Any:
        # A new cohort's sessions are made when it is saved, from its start date.
        return self.inlines if obj is not None else (EnrollmentInline,)

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Any:
        cohort = super().get_object(request, object_id, from_field)
        if cohort is not None:
            ensure_sessions(cohort)  # a live session added since shows up here at once
        return cohort

    def save_model(self, request: HttpRequest, obj: Cohort, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        ensure_sessions(obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Cohort]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                learner_total=Count(
                    "enrollments", filter=Q(enrollments__role=EnrollmentRole.LEARNER)
                ),
                coach_total=Count("enrollments", filter=Q(enrollments__role=EnrollmentRole.COACH)),
                week_total=Subquery(
                    Week.objects.visible_to(request.user)
                    .filter(program=OuterRef("program"))
                    .order_by()
                    .values("program")
                    .annotate(total=Count("id"))
                    .values("total")
                ),
            )
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not Enrollment:
            super().save_formset(request, form, formset, change)
            return
        for seat in formset.save(commit=False):
            save_seat(seat)

    def get_fields(self, request: HttpRequest, obj: Cohort | None = None) -> Any:
        fields = list(super().get_fields(request, obj))
        if obj is None:
            return [f for f in fields if f not in ("week_count", "people")]
        if allows(Audience.PEOPLE, request):
            # Admins manage the people, so the summary links to them; designers see counts only.
            return ["people_with_link" if f == "people" else f for f in fields]
        return fields

    @admin.display(description=_("weeks"), ordering="week_total")
    def week_count(self, obj: Any) -> int:
        return int(getattr(obj, "week_total", None) or 0)

    @admin.display(description=_("learners"), ordering="learner_total")
    def learner_count(self, obj: Any) -> int:
        return int(obj.learner_total)

    @admin.display(description=_("people"))
    def people(self, obj: Cohort) -> str:
        return _people_summary(obj)

    @admin.display(description=_("people"))
    def people_with_link(self, obj: Cohort) -> str:
        url = reverse("admin:cohorts_enrollment_changelist")
        return format_html(
            '{} — <a href="{}?{}">{}</a>',
            _people_summary(obj),
            url,
            urlencode({"cohort__id__exact": obj.pk}),
            _("see and change the enrollments"),
        )


@admin.register(Enrollment, site=studio_site)
class EnrollmentAdmin(StudioModelAdmin[Enrollment]):
    """Seats, for admins. A seat's cohort and person are fixed once it exists (another cohort or
    person is another seat); its role and coach change through cohorts.actions.enroll."""

    audience = Audience.PEOPLE
    organization_is_derived = True
    fields = ("cohort", "user", "role", "coach")
    autocomplete_fields = ("user", "coach")
    list_display = ("user", "role", "coach", "cohort")
    list_filter = (("cohort", admin.RelatedOnlyFieldListFilter), "role")
    list_select_related = ("user", "coach", "cohort")
    search_fields = ("user__email", "user__full_name")
    ordering = ("cohort", "user__full_name")

    def get_readonly_fields(self, request: HttpRequest, obj: Enrollment | None = None) -> Any:
        return ("cohort", "user") if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Enrollment, form: Any, change: bool) -> None:
        save_seat(obj)
