"""A system check that fails when a view, API, form or admin module reaches an organisation-scoped
model other than through its `visible_to(user)` queryset or an `access.py` getter.

Run by `manage.py check` (so by `make lint` and CI) and registered by rapport.apps. Zulip forbids
`Stream.objects.filter` in views with a lint rule; this is the same idea, made hard to dodge:

- The scoped models are derived from the app registry, never listed by hand: every model with a
  foreign key to `Organization`, every model whose queryset has `visible_to`, `Organization`
  itself and the user model. A model added later is covered the day it is added.
- Every app of the project (any app whose code lives in this repository, apps added later too)
  is scanned: its `views`, `api`, `forms` and `admin` modules, the same names as packages
  (`views/…`), and modules named `*_views`, `*_api`, `*_forms`, `*_admin`.
- Names are resolved as Python would, statically: `from cohorts.models import Cohort as C`,
  `import cohorts.models as m; m.Cohort`, `get_user_model()`, `apps.get_model("cohorts",
  "Cohort")`, and plain assignments (`C = Cohort`, `manager = Cohort.objects`).

Reported (each an Error, id `rapport.E001`…`E004`):

- E001 a manager of a scoped model used for anything but `.visible_to(...)`
  (`Cohort.objects.filter`, `cohorts.models.Cohort.objects`, `manager = Cohort.objects`), and any
  `_default_manager`/`_base_manager` not followed by `.visible_to(...)`, whatever its receiver;
- E002 `get_object_or_404` / `get_list_or_404` given a scoped model (or its manager);
- E003 a relation followed from `request.user` to a scoped model (`request.user.enrollments`,
  also through `user = request.user`);
- E004 a use of a variable that holds a scoped model's manager.

Allowed: `Model.objects.visible_to(user)` and everything chained on it, calls to access getters,
naming a model (`class Meta: model = Cohort`), and plain fields of `request.user`.
"""

import ast
import importlib
import types
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps as default_apps
from django.apps.registry import Apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import checks
from django.db import models

CHECKED_NAMES = ("views", "api", "forms", "admin")
ALLOWED_METHOD = "visible_to"
PRIVATE_MANAGERS = ("_default_manager", "_base_manager")
SHORTCUTS = ("get_object_or_404", "get_list_or_404")


def scoped_models(registry: Apps | None = None) -> frozenset[type[models.Model]]:
    """The models only reachable through access rules, derived from the app registry."""
    from organizations.models import Organization

    registry = registry or default_apps
    found: set[type[models.Model]] = {Organization, get_user_model()}
    for model in registry.get_models(include_auto_created=False):
        if any(
            field.is_relation and field.related_model is Organization
            for field in model._meta.get_fields()
            if not field.auto_created or field.concrete
        ):
            found.add(model)
        if hasattr(model._default_manager.get_queryset(), ALLOWED_METHOD):
            found.add(model)
    return frozenset(found)


def project_app_paths(registry: Apps | None = None) -> list[Path]:
    """The directories of the apps whose code is in this repository (not Django's, not
    third-party packages), plus the project package itself."""
    base = Path(settings.BASE_DIR).resolve()
    venvs = {base / ".venv", base / "venv"}
    project = importlib.import_module(settings.ROOT_URLCONF.split(".")[0])
    paths = {Path(str(project.__file__)).resolve().parent}
    for config in (registry or default_apps).get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and not any(path.is_relative_to(v) for v in venvs):
            paths.add(path)
    return sorted(paths)


def checked_modules(app_paths: Iterable[Path]) -> Iterator[Path]:
    """Every views/api/forms/admin module or package file of the given apps."""
    for app in app_paths:
        for path in sorted(app.glob("*.py")):
            if any(path.stem == n or path.stem.endswith(f"_{n}") for n in CHECKED_NAMES):
                yield path
        for name in CHECKED_NAMES:
            package = app / name
            if package.is_dir():
                yield from sorted(package.rglob("*.py"))


@dataclass(frozen=True)
class _ManagerRef:
    model: type[models.Model]
    name: str


@dataclass(frozen=True)
class _RequestUser:
    pass


@dataclass(frozen=True)
class Problem:
    """One place where a scoped model is reached around the access layer."""

    path: str
    line: int
    code: str
    message: str

    def as_error(self) -> checks.Error:
        return checks.Error(
            f"{self.path}:{self.line}: {self.message}",
            hint="Load it through an access.py getter or Model.objects.visible_to(user).",
            id=f"rapport.{self.code}",
        )


class _Scanner(ast.NodeVisitor):
    def __init__(self, path: str, scoped: frozenset[type[models.Model]]) -> None:
        self.path = path
        self.scoped = scoped
        self.names: dict[str, Any] = {}
        self.problems: list[Problem] = []
        self.parents: dict[ast.AST, ast.AST] = {}
        self.user_model = get_user_model()

    # -- name resolution ------------------------------------------------------------------

    def _import(self, module: str) -> types.ModuleType | None:
        try:
            return importlib.import_module(module)
        except Exception:  # a module that cannot be imported names no model we know
            return None

    def bind_imports(self, tree: ast.Module) -> None:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.names[alias.asname] = self._import(alias.name)
                    else:
                        top = alias.name.split(".")[0]
                        self.names[top] = self._import(top)
                        self._import(alias.name)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                module = self._import(node.module)
                for alias in node.names:
                    value = getattr(module, alias.name, None) if module else None
                    if value is None:
                        value = self._import(f"{node.module}.{alias.name}")
                    self.names[alias.asname or alias.name] = value

    def bind_assignments(self, tree: ast.Module) -> None:
        # Flow-insensitive and repeated to a fixed point, so `a = Cohort; b = a` resolves.
        for _ in range(3):
            for node in ast.walk(tree):
                targets: list[ast.expr] = []
                value: ast.expr | None = None
                if isinstance(node, ast.Assign):
                    targets, value = node.targets, node.value
                elif isinstance(node, ast.AnnAssign | ast.NamedExpr) and node.value is not None:
                    targets, value = [node.target], node.value
                if value is None:
                    continue
                resolved = self.resolve(value)
                if resolved is None:
                    continue
                for target in targets:
                    if isinstance(target, ast.Name):
                        self.names[target.id] = resolved

    def resolve(self, node: ast.AST) -> Any:
        """What an expression statically stands for: a module, a model, a manager of a
        model, the request's user, or None when unknown."""
        if isinstance(node, ast.Name):
            return self.names.get(node.id)
        if isinstance(node, ast.Attribute):
            if node.attr == "user" and self._is_request(node.value):
                return _RequestUser()
            base = self.resolve(node.value)
            if isinstance(base, types.ModuleType):
                value = getattr(base, node.attr, None)
                if value is None:
                    value = self._import(f"{base.__name__}.{node.attr}")
                return value
            if isinstance(base, Apps) and node.attr == "get_model":
                return base.get_model
            if (
                isinstance(base, type)
                and issubclass(base, models.Model)
                and (node.attr in PRIVATE_MANAGERS or node.attr in self._manager_names(base))
            ):
                return _ManagerRef(base, node.attr)
            return None
        if isinstance(node, ast.Call):
            func = self.resolve(node.func)
            if func is get_user_model:
                return self.user_model
            if getattr(func, "__name__", "") == "get_model" and isinstance(func, types.MethodType):
                return self._get_model(node)
        return None

    def _get_model(self, node: ast.Call) -> type[models.Model] | None:
        args = [a.value for a in node.args if isinstance(a, ast.Constant)]
        try:
            return default_apps.get_model(*args)  # type: ignore[arg-type]
        except (LookupError, ValueError, TypeError):
            return None

    def _is_request(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Name):
            return node.id == "request"
        return isinstance(node, ast.Attribute) and node.attr == "request"

    def _manager_names(self, model: type[models.Model]) -> set[str]:
        return {manager.name for manager in model._meta.managers} | {"objects"}

    def _relations_to_scoped(self, model: type[models.Model]) -> set[str]:
        names = set()
        for field in model._meta.get_fields():
            if field.is_relation and field.related_model in self.scoped:
                accessor = (
                    field.get_accessor_name()  # type: ignore[union-attr]
                    if field.auto_created and not field.concrete
                    else field.name
                )
                if accessor:
                    names.add(accessor)
        return names

    # -- the rules ------------------------------------------------------------------------

    def report(self, node: ast.AST, code: str, message: str) -> None:
        self.problems.append(Problem(self.path, getattr(node, "lineno", 0), code, message))

    def _followed_by_visible_to(self, node: ast.AST) -> bool:
        parent = self.parents.get(node)
        return isinstance(parent, ast.Attribute) and parent.attr == ALLOWED_METHOD

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if not self._followed_by_visible_to(node):
            if node.attr in PRIVATE_MANAGERS:
                self.report(node, "E001", f"{node.attr} bypasses the access rules")
            else:
                target = self.resolve(node)
                if isinstance(target, _ManagerRef) and target.model in self.scoped:
                    self.report(
                        node,
                        "E001",
                        f"{target.model.__name__}.{target.name} used without .visible_to(user)",
                    )
            if isinstance(self.resolve(node.value), _RequestUser) and node.attr in (
                self._relations_to_scoped(self.user_model)
            ):
                self.report(
                    node, "E003", f"request.user.{node.attr} follows a relation around access"
                )
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        target = self.names.get(node.id)
        if (
            isinstance(node.ctx, ast.Load)
            and isinstance(target, _ManagerRef)
            and target.model in self.scoped
            and not self._followed_by_visible_to(node)
        ):
            self.report(node, "E004", f"{node.id} holds {target.model.__name__}.{target.name}")

    def visit_Call(self, node: ast.Call) -> None:
        name = node.func.attr if isinstance(node.func, ast.Attribute) else None
        if isinstance(node.func, ast.Name):
            name = node.func.id
        if name in SHORTCUTS and node.args:
            target = self.resolve(node.args[0])
            model = target.model if isinstance(target, _ManagerRef) else target
            if isinstance(model, type) and model in self.scoped:
                self.report(node, "E002", f"{name}({model.__name__}, …) skips the access rules")
        self.generic_visit(node)


def scan_source(
    source: str, path: str, scoped: frozenset[type[models.Model]] | None = None
) -> list[Problem]:
    """The access problems in one module's source (path is only used in messages)."""
    tree = ast.parse(source, filename=path)
    scanner = _Scanner(path, scoped if scoped is not None else scoped_models())
    for parent in ast.walk(tree):
        for child in ast.iter_child_nodes(parent):
            scanner.parents[child] = parent
    scanner.bind_imports(tree)
    scanner.bind_assignments(tree)
    scanner.visit(tree)
    return scanner.problems


def find_problems(
    app_paths: Iterable[Path] | None = None, registry: Apps | None = None
) -> list[Problem]:
    """Every access problem in the checked modules of the given (default: all project) apps."""
    scoped = scoped_models(registry)
    base = Path(settings.BASE_DIR).resolve()
    problems = []
    for path in checked_modules(app_paths if app_paths is not None else project_app_paths()):
        shown = str(path.relative_to(base)) if path.is_relative_to(base) else str(path)
        problems.extend(scan_source(path.read_text(), shown, scoped))
    return problems


@checks.register(checks.Tags.security)
def check_access_layer(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The registered check: one Error per place a scoped model is reached around access."""
    paths = [Path(c.path) for c in app_configs] if app_configs else None
    return [problem.as_error() for problem in find_problems(paths)]
