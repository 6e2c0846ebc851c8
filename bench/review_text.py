#!/usr/bin/env python
"""Benchmark: the design review's three budgets (issue 11), wall time and CPU time.

1. `manage.py review_text` on 1,000 distinct prompts, cold (a new process: Django, the rules,
   the ONNX model and the tokenizer all load inside the measurement). Budget: under 5 s.
2. The studio panel: `review()` of a 2,000-character activity text, p95 over `--runs` runs.
   "cold" makes every sentence new on every run (nothing memoised); "one edit" changes one
   sentence per run, as a designer typing does. Budget: p95 under 150 ms.
3. The 28-activity demo programme (title, summary and body of each), in a new process with the
   model loaded inside the measurement. Budget: under 2 s.

The machine is shared: wall time includes waiting for a core; CPU time is what the work costs.

    .venv/bin/python bench/review_text.py [--runs 40]
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings_test")
PY = sys.executable


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def thousand_prompts() -> list[str]:
    from design_review import dataset

    texts = [ex.text for name in ("train", "heldout") for ex in dataset.load(name)]
    out = []
    for i in range(1000):
        base = texts[i % len(texts)]
        out.append(base if i < len(texts) else f"In week {i % 7 + 1}, {base[0].lower()}{base[1:]}")
    assert len(set(out)) == 1000
    return out


def bench_command() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "prompts.txt"
        path.write_text("\n".join(thousand_prompts()) + "\n")
        cpu0, t0 = children_cpu(), time.perf_counter()
        done = subprocess.run(
            [PY, "manage.py", "review_text", str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        wall, cpu = time.perf_counter() - t0, children_cpu() - cpu0
    lines = done.stdout.splitlines()
    flagged = sum(line.startswith("1") for line in lines)
    print(
        f"review_text, 1,000 prompts, cold: wall {wall:.2f} s, CPU {cpu:.2f} s "
        f"({len(lines)} lines, {flagged} flagged; budget 5 s)"
    )


def bench_rules() -> None:
    """CPU of the rules alone on the sentences of the 1,000 prompts: every rule searched on
    every sentence (the loop before round 7's prefilter) against `rules.matches`."""
    from design_review import rules
    from design_review.checker import sentences
    from design_review.textprep import mask_markup, mask_quotes

    sents = [s.text for t in thousand_prompts() for s in sentences(mask_quotes(mask_markup(t)))]
    c0 = time.process_time()
    plain = sum(
        1 for s in sents for r in rules.RULES if r.applies(s) and r.pattern.search(s) is not None
    )
    c1 = time.process_time()
    fast = sum(len(rules.matches(s)) for s in sents)
    c2 = time.process_time()
    print(
        f"rules, {len(sents)} sentences of the 1,000 prompts: every rule searched CPU "
        f"{c1 - c0:.2f} s, rules.matches CPU {c2 - c1:.2f} s ({plain} / {fast} matches)"
    )


DEMO_SCRIPT = """
import time
t0, c0 = time.perf_counter(), time.process_time()
import django; django.setup()
from demo.content import WEEKS
from design_review import checker
from design_review.checker import ReviewContext
from design_review.visibility import answer_visibility
t1, c1 = time.perf_counter(), time.process_time()
items = [
    (text, ReviewContext(kind=a.kind, visibility=answer_visibility(a.kind)))
    for week in WEEKS
    for a in week.activities
    for text in (a.title, a.summary, a.body)
]
# As the programme review does (design_review.review.review_activities): one call for all.
review_each = getattr(checker, "review_each", None)
if review_each is not None:
    reviews = review_each(items)
else:  # before round 7: one call per activity
    reviews = [
        r for k in range(0, len(items), 3)
        for r in checker.review_many([t for t, _ in items[k:k + 3]], context=items[k][1])
    ]
found = sum(len(r.findings) for r in reviews)
t2, c2 = time.perf_counter(), time.process_time()
# Again in the same process, as a running studio does: Django and the model loaded, no vector
# memoised (the memo is emptied), so every passage is embedded again.
warm = ""
embedder = getattr(checker, "default_embedder", None)
if review_each is not None and embedder is not None and hasattr(embedder(), "_memo"):
    embedder()._memo.clear()
    t3, c3 = time.perf_counter(), time.process_time()
    again = review_each(items)
    t4, c4 = time.perf_counter(), time.process_time()
    assert again == reviews
    warm = f" {t4 - t3} {c4 - c3}"
print(len(items) // 3, found, t2 - t0, c2 - c0, t2 - t1, c2 - c1, warm)
"""


def bench_demo_programme() -> None:
    done = subprocess.run(
        [PY, "-c", DEMO_SCRIPT], cwd=ROOT, capture_output=True, text=True, check=True
    )
    n, found, wall, cpu, review_wall, review_cpu, *warm = done.stdout.split()
    print(
        f"demo programme, {n} activities, new process incl. Django and model load: "
        f"wall {float(wall):.2f} s, CPU {float(cpu):.2f} s, {found} findings (budget 2 s); "
        f"after Django's start (model load and review): wall {float(review_wall):.2f} s, "
        f"CPU {float(review_cpu):.2f} s"
    )
    if warm:
        print(
            f"demo programme in a running process (Django and model loaded, memo emptied): "
            f"wall {float(warm[0]):.2f} s, CPU {float(warm[1]):.2f} s (budget 2 s)"
        )


def panel_text() -> str:
    from demo.content import WEEKS

    bodies = " ".join(a.body for w in WEEKS for a in w.activities if a.body)
    cut = bodies[:2000]
    return cut[: cut.rfind(".") + 1]


def bench_panel(runs: int) -> None:
    import django

    django.setup()
    from design_review.checker import ReviewContext, review

    text = panel_text()
    context = ReviewContext(kind="article", visibility="private")
    review(text, context=context)  # load the model once, as a running server has
    for label, vary in (("cold", "all"), ("one edit", "one")):
        walls, cpus = [], []
        for i in range(runs):
            if vary == "all":
                variant = text.replace("?", f" (run {i})?").replace(". ", f" {i}. ")
            else:
                variant = text.replace("?", f" ({i})?", 1)
            t0, c0 = time.perf_counter(), time.process_time()
            review(variant, context=context)
            walls.append((time.perf_counter() - t0) * 1000)
            cpus.append((time.process_time() - c0) * 1000)
        q = statistics.quantiles
        print(
            f"panel, {len(text)} characters, {label}: wall p50 {statistics.median(walls):.0f} ms "
            f"p95 {q(walls, n=20)[18]:.0f} ms; CPU p50 {statistics.median(cpus):.0f} ms "
            f"p95 {q(cpus, n=20)[18]:.0f} ms (budget p95 150 ms)"
        )


def main() -> None:
    import django

    django.setup()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parts = ("rules", "command", "demo", "panel")
    parser.add_argument("--only", choices=parts, action="append", help="run only these parts")
    args = parser.parse_args()
    chosen = args.only or parts
    runs = {
        "rules": bench_rules,
        "command": bench_command,
        "demo": bench_demo_programme,
        "panel": lambda: bench_panel(args.runs),
    }
    for part in parts:
        if part in chosen:
            # Each part's own load average: wall times are only comparable at the same load.
            print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
            runs[part]()


if __name__ == "__main__":
    main()
