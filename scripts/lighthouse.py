"""Lighthouse (accessibility and best practices) over the product's page types, as docs/testing.md
records them: run against `make demo`, signed in as the demo's people, desktop and mobile.

    .venv/bin/python scripts/lighthouse.py [http://127.0.0.1:8000] [out-folder] [only]

`only`: comma-separated parts of page names (say `studio,community`) to run just those pages.

Needs npx (Node) and Chromium; Lighthouse itself is fetched by npx at the pinned version (it is
not a dependency of the project: CI runs axe instead, see docs/testing.md). Prints one line per
page and form factor with both scores and the audits that lost points; writes each JSON report
to the out folder (default test-artifacts/lighthouse). Exits 1 if any score is below 100.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

LIGHTHOUSE = "lighthouse@12.8.2"
PASSWORD = "rapport-demo"  # the demo's shared password (README's sign-in table)
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-sync"


def sign_in(page: Page, base: str, email: str) -> str:
    """The Cookie header of a session signed in as `email`."""
    page.context.clear_cookies()
    page.goto(base + "/accounts/sign-in/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())


def learner_pages(page: Page, base: str) -> dict[str, str]:
    """This week, the journey, a week, the first activity page of each kind and the
    discussions (community space, a prompt's thread) where the app has them."""
    page.goto(base + "/")
    match = re.search(r"/cohorts/([0-9a-f-]+)/", page.url)
    if match is None:
        raise SystemExit(f"the learner's home did not lead to a cohort: {page.url}")
    cohort = f"{base}/cohorts/{match.group(1)}"
    pages = {"this-week": page.url, "journey": cohort + "/journey/", "week": cohort + "/weeks/1/"}
    page.goto(cohort + "/journey/")
    for link in page.locator("a[href*='/activities/']").all():
        href = link.get_attribute("href") or ""
        page_kind = link.evaluate("a => a.parentElement.textContent")
        kind = page_kind.split("·")[1].strip().lower() if "·" in page_kind else href
        pages.setdefault(f"activity-{kind.replace(' ', '-')}", base + href)
    # The discussions the learner can open: the community space and a prompt's thread.
    for name, start, selector in (
        ("community", cohort + "/", "a[href*='/community/']"),
        (
            "prompt-thread",
            pages.get("activity-discussion-prompt", ""),
            "a.button[href*='/discussions/']",
        ),
    ):
        if not start:
            continue
        page.goto(start)
        link = page.locator(selector).first
        if link.count():
            pages[name] = base + (link.get_attribute("href") or "").split("#")[0]
    return pages


def run(url: str, cookie: str, out: Path, mobile: bool) -> tuple[dict[str, int], list[str]]:
    command = [
        "npx", "--yes", LIGHTHOUSE, url, "--quiet",
        "--only-categories=accessibility,best-practices", "--output=json",
        f"--output-path={out}", f"--chrome-flags={CHROME_FLAGS}",
        "--max-wait-for-load=60000",
    ]  # fmt: skip
    if cookie:
        command += ["--extra-headers", json.dumps({"Cookie": cookie})]
    if not mobile:
        command.append("--preset=desktop")
    chrome = shutil.which("chromium") or shutil.which("google-chrome") or ""
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": chrome}, timeout=600)
    report = json.loads(out.read_text())
    scores = {k: round((v["score"] or 0) * 100) for k, v in report["categories"].items()}
    lost = sorted(
        {
            ref["id"]
            for category in report["categories"].values()
            for ref in category["auditRefs"]
            if ref["weight"] > 0
            and (report["audits"][ref["id"]].get("score") is not None)
            and report["audits"][ref["id"]]["score"] < 1
        }
    )
    return scores, lost


def main() -> int:
    base = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000").rstrip("/")
    folder = Path(sys.argv[2] if len(sys.argv) > 2 else "test-artifacts/lighthouse")
    folder.mkdir(parents=True, exist_ok=True)
    targets: list[tuple[str, str, str]] = [("sign-in", base + "/accounts/sign-in/", "")]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=CHROME_FLAGS.split()
        )
        page = browser.new_page()
        cookie = sign_in(page, base, "learner@northwind.example")
        targets += [(f"learner-{n}", url, cookie) for n, url in learner_pages(page, base).items()]
        targets.append(("learner-settings", base + "/accounts/settings/", cookie))
        for role in ("sponsor", "coach", "designer", "admin"):
            cookie = sign_in(page, base, f"{role}@northwind.example")
            targets.append((f"{role}-home", base + "/", cookie))
        targets.append(("admin-studio", base + "/studio/", cookie))
        browser.close()
    only = [part for part in (sys.argv[3] if len(sys.argv) > 3 else "").split(",") if part]
    failed = False
    for name, url, cookie in targets:
        if only and not any(part in name for part in only):
            continue
        for mobile in (False, True):
            form = "mobile" if mobile else "desktop"
            scores, lost = run(url, cookie, folder / f"{name}-{form}.json", mobile)
            failed |= any(score < 100 for score in scores.values())
            print(f"{name:30} {form:8} {scores} {' '.join(lost)}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
