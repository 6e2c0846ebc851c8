import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "check_access_lint.py"


def _lint():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("check_access_lint", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_it_flags_a_view_that_reads_a_scoped_model_directly(tmp_path: Path) -> None:
    lint = _lint()
    lint.ROOT = tmp_path
    view = tmp_path / "views.py"
    view.write_text(
        "def page(request):\n"
        "    a = Enrollment.objects.filter(user=request.user)\n"
        "    b = Cohort.objects.visible_to(request.user)\n"
    )
    found = lint.violations(view)
    assert len(found) == 1
    assert "Enrollment.objects.filter" in found[0]


def test_the_project_views_pass() -> None:
    assert _lint().main() == 0
