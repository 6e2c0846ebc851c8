"""Fails when a view module reads an organisation-scoped model without the access layer.

Views must load rows through `access.py` getters or a `visible_to(user)` queryset, so that the
privacy policy (rapport/policy.py) is never bypassed (Zulip forbids `Stream.objects.filter` in
views the same way). Run by `make lint`.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCOPED_MODELS = {
    "Activity",
    "ActivityProgress",
    "Cohort",
    "Competency",
    "Enrollment",
    "Event",
    "Membership",
    "Organization",
    "Program",
    "User",
    "Week",
}
VIEW_MODULES = ("views.py", "*_views.py", "api.py", "*_api.py")
ALLOWED_METHODS = {"visible_to"}


def violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        # Model.objects.<method>(...)
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr in {"objects", "_default_manager"}
            and isinstance(node.value.value, ast.Name)
            and node.value.value.id in SCOPED_MODELS
            and node.attr not in ALLOWED_METHODS
        ):
            found.append(
                f"{path.relative_to(ROOT)}:{node.lineno}: {node.value.value.id}.objects.{node.attr}"
                " in a view: load it through access.py or .visible_to(user)"
            )
    return found


def main() -> int:
    files = sorted(
        {p for pattern in VIEW_MODULES for p in ROOT.glob(f"*/{pattern}") if ".venv" not in p.parts}
    )
    problems = [line for path in files for line in violations(path)]
    for line in problems:
        print(line)
    print(f"access lint: {len(files)} view modules checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
