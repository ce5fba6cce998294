"""The member directory in Chromium at scale: load time, keystroke time, bytes.

    python benchmarks/directory.py --members 10000

Generates a corpus (or takes ``--site DIR``), builds it without search, serves it
on 127.0.0.1 and measures in Debian's Chromium with Playwright. Budgets at
10,000 members: first results < 1 s after load, each keystroke < 50 ms,
directory page and index < 400 KB gzipped.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import statistics
import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.corpus import write_corpus  # noqa: E402
from verbund.cli import main as verbund  # noqa: E402

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
QUERIES = ["l", "la", "lag", "lage", "lager", "lage", "lag", "münster", "muenster", "4843"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def page_bytes(out: Path) -> int:
    """Gzipped bytes of what the directory page loads."""
    files = [
        "mitglieder/index.html",
        "mitglieder/index.json",
        "static/directory.js",
        "static/site.js",
        "static/style.css",
    ]
    return sum(len(gzip.compress((out / f).read_bytes(), 9)) for f in files)


def measure(url: str, runs: int) -> tuple[list[float], list[float]]:
    from playwright.sync_api import sync_playwright

    loads, keys = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        for _ in range(runs):
            context = browser.new_context()
            page = context.new_page()
            page.goto(url)
            page.wait_for_selector("[data-directory][data-ready]")
            loads.append(
                page.evaluate("performance.getEntriesByName('directory-ready')[0].startTime")
            )
            keys += page.evaluate(
                """(queries) => {
                const input = document.querySelector('#directory-query');
                return queries.map((q) => {
                    const start = performance.now();
                    input.value = q;
                    input.dispatchEvent(new Event('input', {bubbles: true}));
                    document.querySelector('[data-results]').getBoundingClientRect();
                    return performance.now() - start;
                });
            }""",
                QUERIES,
            )
            context.close()
        browser.close()
    return loads, keys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10000)
    parser.add_argument("--site", type=Path, help="measure this site instead of a corpus")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        site = args.site
        if site is None:
            site = work / "site"
            write_corpus(site, args.members, 20)
        out = work / "served" / "netzwerk"
        if (
            verbund(
                [
                    "build",
                    "--site",
                    str(site),
                    "--output",
                    str(out),
                    "--no-search",
                    "--today",
                    "2026-11-23",
                ]
            )
            != 0
        ):
            return 1
        members = len(list((out / "mitglieder").glob("*/index.html")))
        handler = functools.partial(_Quiet, directory=str(work / "served"))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/netzwerk/mitglieder/"
        loads, keys = measure(url, args.runs)
        server.shutdown()
        size = page_bytes(out)
    rows = [
        ("members", f"{members:,}", ""),
        ("first results after load (median)", f"{statistics.median(loads):.0f} ms", "< 1000 ms"),
        ("keystroke filtered (median)", f"{statistics.median(keys):.1f} ms", "< 50 ms"),
        ("keystroke filtered (slowest)", f"{max(keys):.1f} ms", "< 50 ms"),
        ("page + index, gzipped", f"{size / 1024:.0f} KB", "< 400 KB"),
    ]
    print(f"{'directory in Chromium':38} {'measured':>12}   budget at 10,000")
    for name, value, budget in rows:
        print(f"{name:38} {value:>12}   {budget}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
