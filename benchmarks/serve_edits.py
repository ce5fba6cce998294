"""Rebuild times of ``serve`` after edits, measured inside one preview process.

    python benchmarks/serve_edits.py SITE OUTPUT TODAY FILE...

Builds ``SITE`` into ``OUTPUT`` once and watches it (as ``serve`` does when it
starts), then appends a sentence to each ``FILE`` in turn (or changes the member's
name, for ``name:FILE``) and prints the seconds from the save to the finished
output, one per line (``rebuild SECONDS``): the system's report, the watcher's
wait for the save to settle and the rebuild. An edit to the first file before
them is not printed: it warms the process up, as an editor's first save does.
Each save comes once the preview has been idle (an editor looks at the page
before saving again): what it does then is not part of the next save's time.
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.corpus import touch_name  # noqa: E402
from verbund.load import read_yaml  # noqa: E402
from verbund.serve import IDLE_AFTER_S, Preview  # noqa: E402
from verbund.watch import SystemWatcher  # noqa: E402

WAIT_S = 120
READING_S = IDLE_AFTER_S + 4
"""Seconds between the end of a rebuild and the next save."""


def main() -> int:
    from tornado import ioloop

    site, output, today, *files = sys.argv[1:]
    root = Path(site)
    config, _ = read_yaml((root / "site.yaml").read_text(encoding="utf-8"))
    preview = Preview(root, Path(output), config["base_url"], dt.date.fromisoformat(today))
    if not preview.rebuild():
        return 1
    watcher = SystemWatcher()
    results: list[bool] = []
    rebuilt = threading.Event()
    failed: list[str] = []
    watcher.watch(str(root / "content"), lambda: results.append(preview.rebuild()))
    loop = ioloop.IOLoop.current()  # the preview's loop, in this thread as in ``serve``

    def edit() -> None:
        try:
            time.sleep(1)  # the system watches
            for number, file in enumerate([files[0], *files]):
                time.sleep(READING_S)
                rebuilt.clear()
                started = time.perf_counter()
                if file.startswith("name:"):
                    touch_name(Path(file[len("name:") :]))
                else:
                    with open(file, "a", encoding="utf-8") as handle:
                        handle.write("\nNoch ein geänderter Satz für den Benchmark.\n")
                if not rebuilt.wait(WAIT_S) or not results or not results[-1]:
                    failed.append(f"no good rebuild after changing {file}")
                    return
                if number:
                    print(f"rebuild {time.perf_counter() - started:.3f}", flush=True)
        finally:
            loop.add_callback(loop.stop)

    watcher.start(lambda: (watcher.examine(), rebuilt.set()))
    threading.Thread(target=edit, daemon=True).start()
    try:
        loop.start()
    finally:
        watcher.stop()
    print(*failed, file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
