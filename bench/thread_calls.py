#!/usr/bin/env python
"""Work per request of the thread benchmark that the machine's load changes little: CPU time,
Python calls and each query's time, in this process.

Uses the data that `bench/thread_page.py` seeded (run it with `--seed-only` first, or let this
seed it), signs the same learner in, and for the thread page and a reply measures, after
warming: the process CPU time of one request (`time.process_time`, min and median of
`--requests`), the Python calls one request makes (`sys.setprofile`, C functions included), and
the queries with their times. "wsgi" is the same page through Django's production WSGI handler
rather than the test client: what a server's worker spends, bar the server's own parsing and
writing. `--profile` prints the top of a cProfile of the thread page
(cumulative time), to see where the CPU goes. `--callgrind N` counts the machine instructions
one request executes, which the machine's load does not change at all: it runs this script
three times under valgrind's callgrind (no request, N thread pages, N replies, each after the
same setup and warming) and divides the differences by N (slow: minutes).

    .venv/bin/python bench/thread_calls.py                     # the 1,000,000-post seed
    .venv/bin/python bench/thread_calls.py --profile 40        # and the 40 costliest functions
    .venv/bin/python bench/thread_calls.py --parts             # and the page's parts alone
    .venv/bin/python bench/thread_calls.py --callgrind 10      # instructions per request

Every reply posted here goes to a post on page 1 of the thread, as the benchmark's do.
"""

import argparse
import cProfile
import io
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.journey_pages import ROOT, bench_env, manage
from bench.thread_page import prepare, seed, seeded, setup_django

WARM = 5


def cpu_ms(call: Any, requests: int) -> tuple[float, float, float]:
    """(min, median, mean) process CPU milliseconds of `call()` over `requests` calls. The mean
    includes the cyclic garbage collector's rare full collections, as a server's CPU does."""
    times = []
    for _ in range(requests):
        started = time.process_time()
        call()
        times.append((time.process_time() - started) * 1000)
    return min(times), statistics.median(times), statistics.fmean(times)


def python_calls(call: Any) -> int:
    """Python calls (Python and C functions) of one `call()`."""
    total = 0

    def count(frame: FrameType, event: str, arg: object) -> None:
        nonlocal total
        if event in ("call", "c_call"):
            total += 1

    sys.setprofile(count)
    try:
        call()
    finally:
        sys.setprofile(None)
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--thread-posts", type=int, default=10_000)
    parser.add_argument("--learners", type=int, default=4500)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--data-dir", default="")
    parser.add_argument("--requests", type=int, default=20, help="requests timed per kind")
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions")
    parser.add_argument(
        "--profile-what",
        choices=["thread", "wsgi", "reply", "load", "template"],
        default="thread",
        help="what --profile profiles: a request, or one of the page's parts alone",
    )
    parser.add_argument("--verbose", action="store_true", help="print every query")
    parser.add_argument("--sort", default="cumulative", help="cProfile's sort key")
    parser.add_argument(
        "--callers", help="with --profile: also who calls the functions matching this regex"
    )
    parser.add_argument("--save-page", default="", help="write the thread page's HTML here")
    parser.add_argument(
        "--parts",
        action="store_true",
        help="also the page's parts alone: the thread's getter, load_thread_page, the template",
    )
    parser.add_argument(
        "--callgrind", type=int, default=0, help="instructions per request, from N requests"
    )
    parser.add_argument("--callgrind-child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.callgrind:
        return callgrind(args)

    backend = "postgresql" if args.database_url else "sqlite"
    data_dir = Path(args.data_dir or ROOT / "var" / "bench" / f"thread-{backend}-{args.posts}")
    data_dir.mkdir(parents=True, exist_ok=True)
    env = bench_env(args, data_dir)
    child = args.callgrind_child
    if not child:
        manage(env, "migrate", "--no-input", "-v", "0")
    setup_django(env)
    if not seeded(data_dir):
        seed(args)
        (data_dir / "seeded.json").write_text(f'{{"posts": {args.posts}}}')
    if not child:
        manage(env, "collectstatic", "--no-input", "-v", "0")
    facts = prepare(args)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.cookies["sessionid"] = str(facts["session"])
    client.cookies["csrftoken"] = str(facts["csrf_secret"])

    def thread() -> None:
        response = client.get(facts["thread_url"])
        assert response.status_code == 200, response.status_code

    def reply() -> None:
        response = client.post(facts["reply_url"], facts["reply_form"])
        assert response.status_code == 302, response.status_code

    wsgi = wsgi_thread(facts)

    if child:  # under callgrind: warm both, then `what` `count` times, and nothing else
        what, count = child.split(":")
        for _ in range(WARM):
            thread()
            reply()
        for _ in range(int(count)):
            (thread if what == "thread" else reply)()
        return 0
    print(
        f"Thread benchmark in-process — {backend}, {facts['posts']:,} posts, the thread "
        f"{facts['thread_posts']:,} ({facts['thread_top_posts']:,} top-level), page {facts['page']}"
    )
    if args.save_page:
        Path(args.save_page).write_bytes(client.get(facts["thread_url"]).content)
    for name, call in (("thread", thread), ("wsgi", wsgi), ("reply", reply)):
        for _ in range(WARM):
            call()
        low, median, mean = cpu_ms(call, args.requests)
        calls = python_calls(call)
        with CaptureQueriesContext(connection) as queries:
            call()
        sql_ms = sum(float(q["time"]) * 1000 for q in queries.captured_queries)
        print(
            f"{name:<7} CPU {low:6.1f} ms min, {median:6.1f} ms median, {mean:6.1f} ms mean; "
            f"{calls:>8,} Python calls; "
            f"{len(queries)} queries, {sql_ms:.1f} ms of SQL"
        )
        for q in queries.captured_queries if args.verbose else []:
            print(f"    {float(q['time']) * 1000:6.2f} ms  {q['sql'][:150]}")
    parts = page_parts(facts, args.requests, measure=args.parts)
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(5):
            {"thread": thread, "wsgi": wsgi, "reply": reply, **parts}[args.profile_what]()
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats(args.sort)
        stats.print_stats(args.profile)
        if args.callers:
            stats.print_callers(args.callers)
        print(out.getvalue())
    return 0


def wsgi_thread(facts: dict[str, Any]) -> Callable[[], None]:
    """The thread page through Django's WSGI handler, as a server's worker calls it: the
    production handler (not the test client's, which adds its own work and skips none of the
    middleware's), the learner's session and CSRF cookies, the body read to its end. What
    gunicorn's workers spend a page, bar the server's own parsing and writing (round 8: 16.9
    ms in-process against the workers' 17.0 ms from /proc)."""
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    path, _, query = str(facts["thread_url"]).partition("?")
    cookie = f"sessionid={facts['session']}; csrftoken={facts['csrf_secret']}"

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], object]:
        assert status.startswith("200"), status
        return lambda data: None

    def call() -> None:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_COOKIE": cookie,
            "HTTP_ACCEPT": "text/html",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        response = application(environ, start_response)
        try:
            for _chunk in response:
                pass
        finally:
            response.close()

    return call


def page_parts(
    facts: dict[str, Any], requests: int, *, measure: bool
) -> dict[str, Callable[[], Any]]:
    """The thread page's three parts, each alone, as the view runs them for the benchmark's
    learner and page: the thread's getter, `load_thread_page` ("load"), and the template (with
    a fixed CSRF field); with `measure`, their CPU and Python calls printed. Loading the page
    again writes nothing: the learner has read it."""
    from django.template.loader import get_template
    from django.test import RequestFactory
    from django.utils import timezone
    from markupsafe import Markup

    from accounts.models import User
    from bench.thread_page import LEARNER_EMAIL
    from discussions import access
    from discussions.articles import article_printer
    from discussions.forms import PostForm
    from discussions.models import Thread
    from discussions.threads import load_thread_page

    user = User.objects.get(email=LEARNER_EMAIL)
    public_id = Thread.objects.get(cohort__name="Spring cohort", kind="community").public_id
    request = RequestFactory().get(facts["thread_url"])
    request.user = user
    request.csp_nonce = "nonce"  # type: ignore[attr-defined]
    template = get_template("discussions/thread.html")
    today = timezone.localdate()
    page = int(facts["page"])

    def getter() -> Any:
        return access.get_thread_for_user(user, public_id, with_read_position=True)

    thread = getter()

    def load() -> Any:
        return load_thread_page(thread, viewer=user, page=page, today=today)

    context = {
        "view": load(),
        "thread": thread,
        "form": PostForm(),
        "reply_form": None,
        "reply_to": "",
        "nav": "discussions",
        "csrf_field": Markup('<input type="hidden" name="csrfmiddlewaretoken" value="x">'),
        "post_articles": article_printer,
    }

    def render() -> Any:
        return template.render(context, request)

    parts = {"getter": getter, "load": load, "template": render}
    for name, call in parts.items() if measure else ():
        for _ in range(WARM):
            call()
        low, median, mean = cpu_ms(call, requests)
        print(
            f"  {name:<9} CPU {low:6.1f} ms min, {median:6.1f} ms median, {mean:6.1f} ms mean; "
            f"{python_calls(call):>8,} Python calls"
        )
    return parts


def callgrind(args: argparse.Namespace) -> int:
    """Instructions per thread page and per reply: this script under callgrind three times
    (no request, `args.callgrind` pages, as many replies, each after the same setup and
    warming), the differences divided by the count."""
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is needed: apt-get install valgrind")
    # The children neither migrate nor collect static files (slow under valgrind): done here.
    backend = "postgresql" if args.database_url else "sqlite"
    data_dir = Path(args.data_dir or ROOT / "var" / "bench" / f"thread-{backend}-{args.posts}")
    data_dir.mkdir(parents=True, exist_ok=True)
    env = bench_env(args, data_dir)
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "collectstatic", "--no-input", "-v", "0")
    passed = [
        f"--posts={args.posts}",
        f"--thread-posts={args.thread_posts}",
        f"--learners={args.learners}",
        f"--database-url={args.database_url}",
        f"--data-dir={data_dir}",
    ]

    def instructions(child: str) -> int:
        run = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--callgrind-out-file=/dev/null",
                sys.executable,
                __file__,
                *passed,
                "--callgrind-child",
                child,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        found = re.search(r"Collected : (\d+)", run.stderr)
        if found is None:
            raise SystemExit(f"callgrind printed no count:\n{run.stderr[-2000:]}")
        return int(found.group(1))

    n = args.callgrind
    base = instructions("thread:0")
    for what in ("thread", "reply"):
        each = (instructions(f"{what}:{n}") - base) / n
        print(f"{what:<7} {each / 1e6:8.1f} million instructions a request (callgrind, {n})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
