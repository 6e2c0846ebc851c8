"""The access system check (rapport/checks.py): each way of reaching an organisation-scoped model
around the access layer is written into a scratch module and must be reported."""

import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core import checks
from django.db import models
from django.test.utils import isolate_apps

from organizations.models import Organization
from rapport.checks import (
    check_access_layer,
    checked_modules,
    find_problems,
    project_app_paths,
    scan_source,
    scoped_models,
)


def codes(source: str) -> list[str]:
    return [problem.code for problem in scan_source(source, "views.py")]


def test_the_whole_project_passes() -> None:
    assert find_problems() == []
    assert check_access_layer() == []


def test_every_project_app_and_the_project_package_are_scanned() -> None:
    base = Path(settings.BASE_DIR).resolve()
    scanned = {str(p.relative_to(base)) for p in checked_modules(project_app_paths())}
    expected = {
        "rapport/views.py",
        "accounts/views.py",
        "accounts/forms.py",
        "accounts/admin.py",
        "cohorts/views.py",
        "cohorts/import_views.py",
        "cohorts/forms.py",
        "programs/views.py",
        "events/admin.py",
    }
    assert expected <= scanned
    assert not any(".venv" in name or "django/" in name for name in scanned)


def test_the_check_is_registered_with_django() -> None:
    assert check_access_layer in checks.registry.registry.get_checks()


def test_it_reports_a_manager_used_directly() -> None:
    assert codes(
        "from cohorts.models import Enrollment\n"
        "def page(request):\n"
        "    return Enrollment.objects.filter(user=request.user)\n"
    ) == ["E001"]


def test_visible_to_and_what_is_chained_on_it_are_allowed() -> None:
    assert (
        codes(
            "from cohorts.models import Cohort\n"
            "from cohorts.access import get_seat_for_user\n"
            "class Form:\n"
            "    class Meta:\n"
            "        model = Cohort\n"
            "def page(request, cohort_id):\n"
            "    seat = get_seat_for_user(request.user, cohort_id)\n"
            "    zone = request.user.time_zone\n"
            "    return Cohort.objects.visible_to(request.user).filter(name='A').first()\n"
        )
        == []
    )


def test_it_reports_get_object_or_404_and_get_list_or_404() -> None:
    assert codes(
        "from django.shortcuts import get_object_or_404, get_list_or_404\n"
        "from programs.models import Activity\n"
        "def page(request, pk):\n"
        "    a = get_object_or_404(Activity, pk=pk)\n"
        "    b = get_list_or_404(Activity, week=1)\n"
    ) == ["E002", "E002"]


def test_it_reports_a_model_reached_through_its_module() -> None:
    assert codes(
        "import cohorts.models\n"
        "from programs import models as pm\n"
        "def page(request):\n"
        "    cohorts.models.Cohort.objects.all()\n"
        "    pm.Program.objects.all()\n"
    ) == ["E001", "E001"]


def test_it_reports_an_aliased_import() -> None:
    assert codes(
        "from cohorts.models import Cohort as C\ndef page(request):\n    return C.objects.all()\n"
    ) == ["E001"]


def test_it_reports_the_user_model_however_it_is_named() -> None:
    assert codes(
        "from django.contrib.auth import get_user_model\n"
        "from django.apps import apps\n"
        "User = get_user_model()\n"
        "def page(request):\n"
        "    User.objects.all()\n"
        "    apps.get_model('organizations', 'Membership').objects.all()\n"
    ) == ["E001", "E001"]


def test_it_reports_reverse_relations_from_the_requests_user() -> None:
    assert codes(
        "def page(request):\n"
        "    mine = request.user.enrollments.all()\n"
        "    user = request.user\n"
        "    coached = user.coached_enrollments.all()\n"
        "    org = self.request.user.membership\n"
    ) == ["E003", "E003", "E003"]


def test_it_reports_the_private_managers_whatever_their_receiver() -> None:
    assert codes(
        "from cohorts.models import Cohort\n"
        "def page(request, model):\n"
        "    Cohort._base_manager.all()\n"
        "    model._default_manager.filter(pk=1)\n"
    ) == ["E001", "E001"]


def test_it_reports_a_manager_kept_in_a_variable() -> None:
    assert codes(
        "from cohorts.models import Cohort\n"
        "manager = Cohort.objects\n"
        "def page(request):\n"
        "    return manager.filter(name='A')\n"
    ) == ["E001", "E004"]


def test_models_outside_the_scope_are_not_reported() -> None:
    assert (
        codes("from django.contrib.sessions.models import Session\nSession.objects.all()\n") == []
    )


def test_the_scope_comes_from_the_registry() -> None:
    from cohorts.models import ActivityProgress, Cohort
    from events.models import Event

    scoped = scoped_models()
    assert {Cohort, Event, Organization, ActivityProgress} <= scoped
    assert all(m._meta.app_label not in {"sessions", "contenttypes"} for m in scoped)


@pytest.fixture
def later_app() -> Iterator[types.ModuleType]:
    """A models module for an app that does not exist yet, importable by name."""
    module = types.ModuleType("circles_later.models")
    sys.modules["circles_later.models"] = module
    yield module
    del sys.modules["circles_later.models"]


def test_a_model_added_later_is_covered_without_listing_it(later_app: types.ModuleType) -> None:
    with isolate_apps("organizations") as registry:

        class Circle(models.Model):
            organization = models.ForeignKey(Organization, on_delete=models.CASCADE)

            class Meta:
                app_label = "organizations"

            def __str__(self) -> str:
                return "circle"

        class Note(models.Model):
            text = models.TextField()

            class Meta:
                app_label = "organizations"

            def __str__(self) -> str:
                return self.text

    later_app.Circle = Circle  # type: ignore[attr-defined]
    later_app.Note = Note  # type: ignore[attr-defined]
    scoped = scoped_models(registry)
    assert Circle in scoped
    assert Note not in scoped
    source = (
        "from circles_later.models import Circle, Note\n"
        "def page(request):\n"
        "    Circle.objects.all()\n"
        "    Note.objects.all()\n"
    )
    assert [p.code for p in scan_source(source, "views.py", scoped)] == ["E001"]


def test_a_views_package_and_every_checked_name_are_scanned(tmp_path: Path) -> None:
    app = tmp_path / "circles"
    (app / "views").mkdir(parents=True)
    (app / "views" / "__init__.py").write_text("")
    (app / "views" / "pages.py").write_text(
        "from cohorts.models import Cohort\ndef page(request):\n    Cohort.objects.all()\n"
    )
    for name in ("api.py", "forms.py", "admin.py", "import_views.py", "models.py", "access.py"):
        (app / name).write_text("from cohorts.models import Cohort\nCohort.objects.all()\n")
    found = {p.name for p in checked_modules([app])}
    assert found == {"pages.py", "__init__.py", "api.py", "forms.py", "admin.py", "import_views.py"}
    problems = find_problems([app])
    assert sorted(Path(p.path).name for p in problems) == [
        "admin.py",
        "api.py",
        "forms.py",
        "import_views.py",
        "pages.py",
    ]
