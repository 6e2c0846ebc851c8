"""The page where an organisation admin imports learners into a cohort from a CSV file.

Thin: load the cohort through access (404 if invisible, 403 if not an admin), validate the upload
with the form, run the import, render the report. The domain work is in cohorts.imports.
"""

import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cohorts.access import get_cohort_for_import
from cohorts.imports import (
    KNOWN_COLUMNS,
    REQUIRED_COLUMNS,
    ImportConflict,
    ImportReport,
    LearnerImportForm,
    import_learners_into,
    summary,
)


@login_required
@require_http_methods(["GET", "POST"])
def import_learners(request: HttpRequest, cohort_id: uuid.UUID) -> HttpResponse:
    """GET shows the form. POST imports and shows the report (200), or re-shows the form with
    the file's problem (400) having changed nothing. Re-sending the same file is harmless: the
    import is idempotent."""
    cohort = get_cohort_for_import(request.user, cohort_id)  # type: ignore[arg-type]
    report: ImportReport | None = None
    status = 200
    if request.method == "POST":
        form = LearnerImportForm(request.POST, request.FILES)
        if form.is_valid():
            assert form.parsed is not None
            try:
                report = import_learners_into(
                    cohort,
                    form.parsed,
                    imported_by=request.user,  # type: ignore[arg-type]
                )
            except ImportConflict:
                form.add_error(
                    None,
                    _(
                        "Someone changed some of these people while the file was importing, "
                        "so nothing was imported. Please import the file again."
                    ),
                )
                status = 409
            else:
                form = LearnerImportForm()
        else:
            status = 400
    else:
        form = LearnerImportForm()
    return render(
        request,
        "cohorts/import.html",
        {
            "cohort": cohort,
            "form": form,
            "report": report,
            "summary": summary(report) if report else [],
            "required_columns": REQUIRED_COLUMNS,
            "optional_columns": [c for c in KNOWN_COLUMNS if c not in REQUIRED_COLUMNS],
            "max_rows": formats.number_format(
                settings.RAPPORT_MAX_IMPORT_ROWS, force_grouping=True
            ),
            "max_mb": settings.RAPPORT_MAX_IMPORT_MB,
            "invitation_days": settings.RAPPORT_INVITATION_DAYS,
            "nav": "home",
        },
        status=status,
    )
