# The two commands of the README: `make demo` and `make test`. Everything else is a helper.
.PHONY: demo test setup lint typecheck pytest bench bench-digest bench-thread bench-analytics bench-caseload bench-xapi clean

PY := .venv/bin/python
# The checks and tests run on the real settings plus a throwaway secret key (rapport/settings_test.py);
# the demo generates and keeps a key of its own (scripts/demo.sh).
CHECK_ENV := DJANGO_SETTINGS_MODULE=rapport.settings_test

demo:
	@bash scripts/demo.sh

test: setup lint typecheck pytest

setup:
	@bash scripts/bootstrap.sh

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	.venv/bin/lint-imports --no-cache
	$(CHECK_ENV) $(PY) manage.py check --fail-level WARNING
	$(CHECK_ENV) $(PY) manage.py makemigrations --check --dry-run

typecheck: setup
	$(PY) -m mypy .

pytest: setup
	$(PY) -m pytest $(PYTEST_ARGS)

bench: setup
	$(PY) bench/journey_pages.py $(BENCH_ARGS)

# A weekly digest through the task worker, and the kill-and-restart proof (docs/performance.md).
bench-digest: setup
	$(PY) bench/digest.py $(BENCH_ARGS)

# A thread page and posting a reply with 1,000,000 posts in the database (docs/performance.md).
bench-thread: setup
	$(PY) bench/thread_page.py $(BENCH_ARGS)

# Dashboards, rollup refresh and connection analytics at 100,000 learners (docs/performance.md).
bench-analytics: setup
	$(PY) bench/analytics.py $(BENCH_ARGS)

# A coach's caseload page with 300 learners (docs/performance.md).
bench-caseload: setup
	$(PY) bench/caseload_page.py $(BENCH_ARGS)

# xAPI statements per second to a loopback Ralph LRS, and a day's backlog drain (docs/performance.md).
bench-xapi: setup
	$(PY) bench/xapi_forwarding.py $(BENCH_ARGS)

clean:
	rm -rf .venv var
