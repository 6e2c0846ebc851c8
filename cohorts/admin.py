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

from cohorts.models import Cohort, Enrollment, EnrollmentRole
from programs.models import Week
from rapport.admin_scoping import (
    Audience,
    OrganizationScopedAdmin,
    ScopedTabularInline,
    allows,
)


class EnrollmentInline(ScopedTabularInline[Enrollment, Cohort]):
    """New enrollments only: existing ones are on the enrollment list, which paginates."""

    model = Enrollment
    audience = Audience.PEOPLE
    organization_is_derived = True
    fields = ("user", "role", "coach")
    autocomplete_fields = ("user", "coach")
    verbose_name_plural = _("add people to this cohort")
    extra = 3

    def get_queryset(self, request: HttpRequest) -> QuerySet[Enrollment]:
        return super().get_queryset(request).none()


def _people_summary(cohort: Cohort) -> str:
    counts = dict(
        cohort.enrollments.order_by()
        .values("role")
        .annotate(total=Count("id"))
        .values_list("role", "total")
    )
    learners = counts.get(EnrollmentRole.LEARNER, 0)
    coaches = counts.get(EnrollmentRole.COACH, 0)
    return ", ".join(
        (
            ngettext("%(n)d learner", "%(n)d learners", learners) % {"n": learners},
            ngettext("%(n)d coach", "%(n)d coaches", coaches) % {"n": coaches},
        )
    )


@admin.register(Cohort)
class CohortAdmin(OrganizationScopedAdmin[Cohort]):
    fields = ("program", "name", "start_date", "week_count", "people")
    readonly_fields = ("week_count", "people", "people_with_link")
    list_display = ("name", "program", "start_date", "week_count", "learner_count")
    list_filter = (("program", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("program",)
    search_fields = ("name", "program__title")
    organization_is_derived = True
    inlines = (EnrollmentInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Cohort]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                learner_total=Count(
                    "enrollments", filter=Q(enrollments__role=EnrollmentRole.LEARNER)
                ),
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


@admin.register(Enrollment)
class EnrollmentAdmin(OrganizationScopedAdmin[Enrollment]):
    audience = Audience.PEOPLE
    organization_is_derived = True
    fields = ("cohort", "user", "role", "coach")
    autocomplete_fields = ("user", "coach")
    list_display = ("user", "role", "coach", "cohort")
    list_filter = (("cohort", admin.RelatedOnlyFieldListFilter), "role")
    list_select_related = ("user", "coach", "cohort")
    search_fields = ("user__email", "user__full_name")
    ordering = ("cohort", "user__full_name")
