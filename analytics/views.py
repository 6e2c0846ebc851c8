"""The programme dashboards (organisation admins and sponsors): the list of programmes, a
programme's dashboard with its filters, the same numbers as a CSV file, and a cohort's
connections; and the coach's private list of the members of their circles who are not yet connected.

Thin: load through analytics.access (403 for anyone but an admin or a sponsor, 404 for another
organisation's programme), validate the filters with analytics.forms (a bad filter is a 400 page
that says what is wrong, with the filters typed still in the form), build with
analytics.dashboard, render.
"""

import csv
import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from analytics import access, charts, snapshots
from analytics import connections as links
from analytics import dashboard as boards
from analytics.dashboard import FUNNEL, RATER_GROUPS, RESOURCE_KINDS, Cell, ChangeCell
from analytics.forms import ConnectionFilterForm, DashboardFilterForm
from rapport import policy

if TYPE_CHECKING:
    from programs.models import Program

BAD_REQUEST = 400
SUPPRESSED = "suppressed"


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The organisation's programmes, each a link to its dashboard."""
    programs = access.dashboard_programs(request.user)
    return render(
        request,
        "analytics/index.html",
        {"programs": programs, "nav": "home", "min_group": policy.min_group_size()},
    )


def _load(
    request: HttpRequest, program_id: uuid.UUID
) -> tuple[boards.Dashboard | None, DashboardFilterForm, "Program", datetime]:
    program = access.get_dashboard_program(request.user, program_id)
    board = snapshots.board_for(program, access.cohorts_of(request.user, program))
    form = DashboardFilterForm(request.GET or None, cohorts=board.cohorts, values=board.values)
    if request.GET and not form.is_valid():
        return None, form, program, board.built_at
    filters = form.filters() if request.GET else boards.Filters()
    return board.view(filters), form, program, board.built_at


@require_GET
@login_required
def dashboard(request: HttpRequest, program_id: uuid.UUID) -> HttpResponse:
    """A programme's dashboard for the filters in the query string."""
    board, form, program, built_at = _load(request, program_id)
    context = {
        "program": program,
        "form": form,
        "board": board,
        "nav": "home",
        "kinds": RESOURCE_KINDS,
        "funnel_labels": FUNNEL,
        "rater_groups": RATER_GROUPS,
        "min_group": policy.min_group_size(),
        "query": request.GET.urlencode(),
    }
    if board is None:
        return render(request, "analytics/dashboard.html", context, status=BAD_REQUEST)
    context["description"] = boards.describe(board.filters)
    context["built_at"] = built_at
    if board.weeks:
        context["active_chart"] = charts.weekly_active(board.weeks)
        context["resource_chart"] = charts.resource_use(board.weeks)
    if any(line.change.shown for line in board.capability):
        context["capability_chart"] = charts.capability(board.capability)
    return render(request, "analytics/dashboard.html", context)


NOT_YET = "not yet"


def _csv_cell(cell: Cell) -> str:
    return SUPPRESSED if cell.value is None else str(cell.value)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _csv_change(section: str, item: str, measure: str, change: ChangeCell) -> list[str]:
    """A capability change as a CSV row: the paired people, then the mean change, its 95%
    confidence interval, d_z and its size in words — `suppressed` or `not yet` where the page
    says so."""
    if change.not_yet:
        return [section, item, "", measure, NOT_YET, "", NOT_YET, NOT_YET, NOT_YET, NOT_YET, ""]
    if not change.shown:
        return [section, item, "", measure, _csv_cell(change.people), "", *[SUPPRESSED] * 4, ""]
    return [
        section,
        item,
        "",
        measure,
        _csv_cell(change.people),
        "",
        _number(change.mean),
        _number(change.low),
        _number(change.high),
        _number(change.d_z),
        change.size,
    ]


@require_GET
@login_required
def dashboard_csv(request: HttpRequest, program_id: uuid.UUID) -> HttpResponse:
    """The dashboard's numbers for the same filters as a CSV file: one row per number (a
    capability change is one row: its paired people, mean change, 95% confidence interval and
    Cohen's d_z), with `suppressed` where the page shows it suppressed and `not yet` where a
    round has not opened. A bad filter is a 400 in plain text."""
    board, form, _program, _built_at = _load(request, program_id)
    if board is None:
        problems = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponse(
            _("Bad filters: %(problems)s") % {"problems": problems},
            status=BAD_REQUEST,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="dashboard.csv"'
    response["Cache-Control"] = "private, no-store"
    out = csv.writer(response)
    out.writerow(
        [
            "section",
            "item",
            "week",
            "measure",
            "people",
            "uses",
            "mean change",
            "95% CI low",
            "95% CI high",
            "effect size d_z",
            "effect size in words",
        ]
    )
    out.writerow(
        [
            "group",
            boards.describe(board.filters),
            "",
            "learners",
            board.size if board.size is not None else SUPPRESSED,
            "",
        ]
    )
    if board.size is not None:
        for label, cell in board.funnel:
            out.writerow(["funnel", label, "", "people", _csv_cell(cell), ""])
        for week in board.weeks:
            out.writerow(["weekly", "active", week.number, "people", _csv_cell(week.active), ""])
            out.writerow(
                [
                    "weekly",
                    "completed an activity",
                    week.number,
                    "people",
                    _csv_cell(week.completed),
                    "",
                ]
            )
            for (kind, _label), cell in zip(RESOURCE_KINDS, week.kinds, strict=True):
                uses = "" if cell.uses is None or cell.value is None else str(cell.uses)
                out.writerow(["resource use", kind, week.number, "people", _csv_cell(cell), uses])
        for activity in board.activities:
            out.writerow(
                [
                    "completion",
                    activity.title,
                    activity.week,
                    "people",
                    _csv_cell(activity.completed),
                    "",
                ]
            )
        for line in board.capability:
            out.writerow(
                _csv_change(
                    "capability change",
                    line.pair_label,
                    f"{line.group_label}: paired people",
                    line.change,
                )
            )
    for row in board.cohorts:
        for (key, _label), cell in zip(FUNNEL, row.funnel, strict=True):
            out.writerow(["cohorts", row.cohort.name, "", key, _csv_cell(cell), ""])
    for row in board.cohorts:
        for pair_label, changes in row.changes:
            for (_group, rater), change in zip(RATER_GROUPS, changes, strict=True):
                out.writerow(
                    _csv_change(
                        "capability change by cohort",
                        row.cohort.name,
                        f"{pair_label} · {rater}: paired people",
                        change,
                    )
                )
    return response


@require_GET
@login_required
def connections(request: HttpRequest, program_id: uuid.UUID) -> HttpResponse:
    """A cohort's connections week by week, in aggregate (the latest cohort that has started
    unless `cohort` names another)."""
    program = access.get_dashboard_program(request.user, program_id)
    cohorts = access.cohorts_of(request.user, program)
    data: QueryDict | None = request.GET if request.GET else None
    if data is None and cohorts:
        today = timezone.localdate()
        started = [c for c in cohorts if c.start_date <= today] or cohorts
        default = QueryDict(mutable=True)
        default["cohort"] = str(started[-1].public_id)
        data = default
    form = ConnectionFilterForm(data, cohorts=cohorts)
    context: dict[str, object] = {
        "program": program,
        "form": form,
        "nav": "home",
        "min_group": policy.min_group_size(),
        "result": None,
    }
    if data is None:
        return render(request, "analytics/connections.html", context)
    if not form.is_valid():
        return render(request, "analytics/connections.html", context, status=BAD_REQUEST)
    result = links.snapshot_for(form.chosen())
    context["result"] = result
    if result.weeks:
        context["chart"] = charts.connections(result.weeks)
    return render(request, "analytics/connections.html", context)


@require_GET
@login_required
def not_connected(request: HttpRequest) -> HttpResponse:
    """A coach's own circles and their members with no tie to a peer yet: for the coach alone."""
    access.require_coach(request.user)
    return render(
        request,
        "analytics/not_connected.html",
        {"circles": links.not_yet_connected(request.user), "nav": "home"},
    )
