"""Command line: ``verbund build``, ``check``, ``serve``, ``schema``, ``new`` and ``links``."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import sys
import time
from concurrent.futures import Executor
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from . import pipeline
from .cache import Cache
from .messages import message_language, msg, translate
from .problems import ContentError, Problem, format_github, format_json, format_text
from .search import SearchIndexError
from .write import output_lock

# Imported where used: a build whose files have not changed reports the last one
# (see pipeline.repeat) and needs neither the models nor Markdown.
if TYPE_CHECKING:
    from .validate import Content

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
COLLECT_EVERY = 50_000
"""Allocations between passes of the cycle collector. A build holds tens of
thousands of long-lived objects, and Python's default (700) spends a third of a
rebuild walking them again and again."""


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date like 2026-03-05, got '{value}'"
        ) from None


def today_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        type=_date,
        help="the date that decides which events are upcoming",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="verbund", description="Build the static site of business associations."
    )
    commands = parser.add_subparsers(dest="command", metavar="{build,check,serve,schema,new,links}")

    def site_option(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--site",
            type=Path,
            default=Path.cwd(),
            metavar="DIR",
            help="the site folder with site.yaml (default: here)",
        )

    build = commands.add_parser("build", help="validate and build the site (the default)")
    site_option(build)
    build.add_argument(
        "--output",
        type=Path,
        metavar="DIR",
        help="where to build (default: output/ in the site folder)",
    )
    build.add_argument("--base-url", metavar="URL", help="override base_url of site.yaml")
    today_option(build)
    build.add_argument(
        "--no-search", action="store_true", help="leave out the search index (faster previews)"
    )
    build.add_argument(
        "--no-cache", action="store_true", help="make every file afresh, ignoring .cache/"
    )
    build.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings as errors: build nothing if there are any",
    )

    check = commands.add_parser("check", help="validate everything, write nothing but .cache/")
    site_option(check)
    check.add_argument(
        "--format",
        choices=["text", "github", "json"],
        default="text",
        help="how problems are printed",
    )
    check.add_argument(
        "--strict", action="store_true", help="treat warnings as errors (exit 1 if there are any)"
    )

    schema = commands.add_parser(
        "schema", help="write JSON Schemas of the content files into schemas/"
    )
    site_option(schema)

    serve = commands.add_parser(
        "serve", help="preview the site in the browser, rebuilt and reloaded on every change"
    )
    site_option(serve)
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument(
        "--output",
        type=Path,
        metavar="DIR",
        help="where to build the preview (default: .cache/preview)",
    )
    today_option(serve)
    serve.add_argument(
        "--search", action="store_true", help="also make the search index (slower rebuilds)"
    )

    new = commands.add_parser("new", help="start a new member or event file")
    site_option(new)
    new.add_argument("kind", choices=["member", "event"])
    new.add_argument("title", help="the firm's name or the event's title")
    new.add_argument(
        "--date", metavar="YYYY-MM-DD", type=_date, help="the event's date (events only)"
    )
    links = commands.add_parser(
        "links",
        help="list the content's addresses on other hosts, or with --report the ones a link "
        "checker could not reach, with their files",
    )
    site_option(links)
    links.add_argument(
        "--report",
        type=Path,
        metavar="FILE",
        help="lychee's JSON report: print the unreachable addresses as an issue text "
        "(exit 1 if there are any)",
    )
    return parser


def _today(value: dt.date | None, zone: ZoneInfo) -> dt.date:
    """``--today``, else ``SOURCE_DATE_EPOCH``, else the date in the site's zone."""
    if value:
        return value
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), zone).date()
    return dt.datetime.now(zone).date()


def _step_summary(problems: list[Problem], language: str) -> None:
    """GitHub shows at most 10 annotations per step: the whole list goes to the summary."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return
    head = _told(language, "| file | line | field | problem |")
    lines = [
        "### " + _told(language, "{count} problem(s) in the content", count=len(problems)),
        "",
        head,
        "|---|---:|---|---|",
    ]
    for problem in problems:
        cells = [
            problem.path,
            str(problem.line or ""),
            problem.field,
            (f"{problem.severity}: " if problem.severity != "error" else "") + problem.text,
        ]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    with open(path, "a", encoding="utf-8") as summary:
        summary.write("\n".join(lines) + "\n")


def _told(language: str, template: str, **values: object) -> str:
    """A message of the command line in ``language``."""
    return translate(msg(template, **values), language)


def _print_notes(notes: list[Problem], language: str) -> None:
    for note in notes:
        print(format_text(note.told(language), _told(language, "note")), file=sys.stderr)


def _print_problems(problems: list[Problem], style: str, language: str) -> None:
    problems = [p.told(language) for p in problems]
    if style == "json":
        print(format_json(problems))
        return
    if style == "github" and problems:
        _step_summary(problems, language)
    for problem in problems:
        print(
            format_github(problem)
            if style == "github"
            else format_text(problem, _told(language, "warning"))
        )
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if problems and style == "text":
        counts = (
            [msg("1 error") if errors == 1 else msg("{count} errors", count=errors)]
            if errors
            else []
        )
        counts += (
            [msg("1 warning") if warnings == 1 else msg("{count} warnings", count=warnings)]
            if warnings
            else []
        )
        both = (
            msg("{first} and {second}", first=counts[0], second=counts[1])
            if len(counts) == 2
            else counts[0]
        )
        files = len({p.path for p in problems})
        print(
            _told(language, "{counts} in 1 file", counts=both)
            if files == 1
            else _told(language, "{counts} in {files} files", counts=both, files=files),
            file=sys.stderr,
        )


def main(argv: list[str] | None = None) -> int:
    gc.set_threshold(COLLECT_EVERY, *gc.get_threshold()[1:])
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv.insert(0, "build")
    args = _parser().parse_args(argv)
    site_root: Path = args.site.absolute()
    if not (site_root / "site.yaml").is_file():
        print(
            f"verbund: no site.yaml in {site_root}; run it in the site's folder or pass --site DIR",
            file=sys.stderr,
        )
        return EXIT_USAGE

    if args.command == "schema":
        return _schema(site_root)

    if args.command == "new":
        return _new(args, site_root)

    if args.command == "serve":
        return _serve(args, site_root)

    if args.command == "links":
        return _links(args, site_root)

    if args.command == "check":
        checked = _checked(site_root)
        language = message_language(checked.language)
        _print_problems(checked.problems, args.format, language)
        if checked.errors or args.strict and checked.problems:
            return EXIT_CONTENT
        if args.format == "github":
            # Not the stale schemas: on a pull request that adds a member they
            # are stale, and its editor can do nothing about it.
            for note in checked.notes:
                print(format_github(note.told(language)))
        if args.format == "text":
            _print_notes(checked.notes + schema_notes(site_root, checked.content), language)
            print(
                _told(
                    language, "No problems found." if not checked.problems else "No errors found."
                )
            )
        return EXIT_OK

    if args.base_url is not None:
        from .models import web_url

        try:
            web_url(args.base_url)
        except ValueError as error:
            print(f"verbund: --base-url: {error}", file=sys.stderr)
            return EXIT_USAGE
    output_dir: Path = (args.output or site_root / "output").absolute()
    started = time.perf_counter()
    cache = Cache(None if args.no_cache else site_root / ".cache")
    try:
        return _build(args, site_root, output_dir, started, cache)
    finally:
        cache.close()


def _serve(args: argparse.Namespace, site_root: Path) -> int:
    from .serve import serve

    try:
        serve(
            site_root,
            args.host,
            args.port,
            args.output and args.output.absolute(),
            args.today,
            args.search,
        )
    except OSError as error:
        print(
            f"verbund: cannot listen on {args.host}:{args.port}: {error.strerror or error}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return EXIT_OK


def _schema(site_root: Path) -> int:
    """Write the JSON Schemas of the site's files, with its ids, into schemas/."""
    checked = pipeline.check(site_root)
    language = message_language(checked.language)
    if checked.content is None:
        _print_problems(checked.problems, "text", language)
        print(_told(language, "Fix these problems first; nothing was written."), file=sys.stderr)
        return EXIT_CONTENT
    from .schema import write_schemas

    changed = write_schemas(site_root, checked.content)
    print(
        "\n".join(_told(language, "wrote {file}", file=rel) for rel in changed)
        or _told(language, "The schemas are up to date.")
    )
    return EXIT_OK


def schema_notes(site_root: Path, content: Content | None) -> list[Problem]:
    """A note when the site keeps JSON Schemas in ``schemas/`` and they no longer
    match its content (an industry added, a member gone): editors' completion
    would offer the old ids."""
    if content is None:
        return []
    from .schema import SCHEMA_DIR, stale_schemas

    if not (site_root / SCHEMA_DIR).is_dir():
        return []
    stale = stale_schemas(site_root, content)
    if not stale:
        return []
    return [
        Problem(
            f"{SCHEMA_DIR}/",
            0,
            0,
            "",
            msg(
                "the JSON Schemas for editors are out of date: {files}",
                files=", ".join(rel.removeprefix(f"{SCHEMA_DIR}/") for rel in stale),
            ),
            msg("run 'python build.py schema' and commit schemas/"),
            "note",
        )
    ]


def _new(args: argparse.Namespace, site_root: Path) -> int:
    from .scaffold import event_file, member_file, slugify
    from .schema import refresh_schemas

    checked = pipeline.check(site_root)
    if checked.content is None:
        _print_problems(checked.problems, "text", message_language(checked.language))
        print("verbund: fix these problems first; nothing was written", file=sys.stderr)
        return EXIT_CONTENT
    for rel in refresh_schemas(site_root, checked.content):
        print(f"wrote {rel}")
    slug = slugify(args.title)
    if not slug:
        print("verbund: the title needs letters or digits", file=sys.stderr)
        return EXIT_USAGE
    if args.kind == "event":
        if not args.date:
            print("verbund: an event needs --date YYYY-MM-DD", file=sys.stderr)
            return EXIT_USAGE
        day = args.date
        slug = f"{day.isoformat()}-{slug}"[:80].strip("-")
        text = event_file(checked.content, args.title, day)
        folder = "events"
    else:
        text = member_file(checked.content, args.title)
        folder = "members"
    target = site_root / "content" / folder / f"{slug}.md"
    if target.exists():
        print(
            f"verbund: content/{folder}/{slug}.md exists already; nothing was written",
            file=sys.stderr,
        )
        return EXIT_CONTENT
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote content/{folder}/{slug}.md")
    return EXIT_OK


def count_content_files(site_root: Path) -> int:
    """A quick count of Markdown files, to decide on worker processes before loading."""
    total = 0
    for folder in ("members", "events", "pages"):
        try:
            total += sum(
                1
                for entry in os.scandir(site_root / "content" / folder)
                if entry.name.endswith(".md")
            )
        except OSError:
            pass
    return total


def _build(
    args: argparse.Namespace, site_root: Path, output_dir: Path, started: float, cache: Cache
) -> int:
    """Check the site and build it, with worker processes for a large one; if
    nothing it reads has changed since the last build, report that one again."""
    files = pipeline.files_read(site_root)
    settings = pipeline.build_settings(args.base_url, not args.no_search, args.strict, site_root)
    pool = None
    try:
        # One build of a folder at a time, from reading its last build's records
        # to keeping its own (see write.output_lock).
        with output_lock(output_dir):
            repeated = pipeline.repeat(
                output_dir, files, settings, lambda zone: _today(args.today, zone), cache
            )
            if repeated is not None:
                checked, built = repeated
                language = message_language(checked.language)
                return _built(args, built, checked, language, output_dir, started)
            from .bodies import PARALLEL_FROM, start_pool

            if count_content_files(site_root) >= PARALLEL_FROM:
                pool = start_pool()
            return _build_with(args, site_root, output_dir, started, pool, cache, (files, settings))
    except OSError as error:  # the lock could not be taken
        return _cannot_write(message_language(None), output_dir, error)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _build_with(
    args: argparse.Namespace,
    site_root: Path,
    output_dir: Path,
    started: float,
    pool: Executor | None,
    cache: Cache,
    read: tuple[pipeline.FilesSeen, str],
) -> int:
    """``read``: the files the build may read and its settings, as they were
    before it started (what it is remembered as made from)."""
    checked = pipeline.check(site_root, args.base_url, cache, pool)
    language = message_language(checked.language)
    unchanged = _told(language, "Nothing was written; {folder} is unchanged.", folder=output_dir)
    if checked.content is None or args.strict and checked.problems:
        _print_problems(checked.problems, "text", language)
        if checked.content is not None:
            print(_told(language, "--strict: warnings count as errors."), file=sys.stderr)
        print(unchanged, file=sys.stderr)
        return EXIT_CONTENT
    today = _today(args.today, checked.content.config.zone)
    try:
        built = pipeline.build(
            checked.content,
            site_root,
            output_dir,
            today,
            search=not args.no_search,
            cache=cache,
            pool=pool,
            strict=args.strict,
        )
    except SearchIndexError as error:
        print(
            f"verbund: the search index could not be made: {error}; nothing was "
            f"changed in {output_dir}",
            file=sys.stderr,
        )
        return EXIT_CONTENT
    except ContentError as error:
        _print_problems(error.problems, "text", language)
        print(unchanged, file=sys.stderr)
        return EXIT_CONTENT
    except OSError as error:
        return _cannot_write(language, output_dir, error)
    pipeline.remember(output_dir, *read, checked, today, built, cache)
    return _built(args, built, checked, language, output_dir, started)


def _checked(site_root: Path) -> pipeline.Checked:
    """``check`` of the site with its cache (what it keeps spares the next build reading)."""
    cache = Cache(site_root / ".cache")
    try:
        return pipeline.check(site_root, cache=cache)
    finally:
        cache.close()


def _links(args: argparse.Namespace, site_root: Path) -> int:
    """The addresses on other hosts, one per line; with ``--report``, the issue
    text of those lychee could not reach (exit 1), or nothing (exit 0)."""
    from .addresses import addresses, dead_addresses, issue_text

    checked = _checked(site_root)
    language = message_language(checked.language)
    if checked.content is None:
        _print_problems(checked.problems, "text", language)
        return EXIT_USAGE
    found = addresses(checked.content, site_root)
    if args.report is None:
        print("\n".join(dict.fromkeys(address.url for address in found)))
        return EXIT_OK
    try:
        report = json.loads(args.report.read_text(encoding="utf-8"))
        if not isinstance(report, dict):
            raise ValueError("not a lychee report")
    except (OSError, ValueError) as error:
        print(f"verbund: --report: cannot read {args.report}: {error}", file=sys.stderr)
        return EXIT_USAGE
    dead = dead_addresses(found, report)
    if not dead:
        return EXIT_OK
    print(issue_text(dead, language), end="")
    return EXIT_CONTENT


def _cannot_write(language: str, output_dir: Path, error: OSError) -> int:
    print(
        "verbund: "
        + _told(
            language,
            "cannot write {folder}: {reason} ({file}); nothing was changed there",
            folder=output_dir,
            reason=error.strerror or error,
            file=error.filename or output_dir,
        ),
        file=sys.stderr,
    )
    return EXIT_CONTENT


def _built(
    args: argparse.Namespace,
    built: pipeline.Built,
    checked: pipeline.Checked,
    language: str,
    output_dir: Path,
    started: float,
) -> int:
    """Report a finished build."""
    _print_problems(sorted(checked.problems + built.warnings), "text", language)
    _print_notes(
        checked.notes + built.notes + schema_notes(Path(args.site).absolute(), checked.content),
        language,
    )
    if not built.search and not args.no_search:
        print(
            "Note: Pagefind is not available on this platform (pip install "
            "'pagefind[bin]'); the site was built without search.",
            file=sys.stderr,
        )
    seconds = time.perf_counter() - started
    print(
        _told(
            language,
            "Built {count} files into {folder} in {seconds:.1f} s ({made} new or changed).",
            count=built.files,
            folder=output_dir,
            seconds=seconds,
            made=built.made,
        )
    )
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
