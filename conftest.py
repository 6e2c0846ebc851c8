import shutil
import tempfile

import pytest


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Tests render pages without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    # Real hashing costs ~0.3 s per password; tests create dozens of people.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _media_root_in_tmp(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Uploaded files written by tests go to a throwaway folder, never into var/media."""
    from django.conf import settings

    folder = tempfile.mkdtemp(prefix="rapport-media-")
    settings.MEDIA_ROOT = folder
    yield
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
