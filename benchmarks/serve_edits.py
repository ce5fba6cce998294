"""Rebuild times of ``serve`` after edits, measured inside one preview process.

    python benchmarks/serve_edits.py SITE OUTPUT TODAY FILE...

Builds ``SITE`` into ``OUTPUT`` once (as ``serve`` does when it starts), then
appends a sentence to each ``FILE`` in turn and prints the seconds each rebuild
took, one per line (``rebuild SECONDS``): the time from the change to the
finished output, without the watcher's delay in noticing it.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from verbund.load import read_yaml  # noqa: E402
from verbund.serve import Preview  # noqa: E402


def main() -> int:
    site, output, today, *files = sys.argv[1:]
    root = Path(site)
    config, _ = read_yaml((root / "site.yaml").read_text(encoding="utf-8"))
    preview = Preview(root, Path(output), config["base_url"], dt.date.fromisoformat(today))
    if not preview.rebuild():
        return 1
    for file in files:
        time.sleep(0.1)
        with open(file, "a", encoding="utf-8") as handle:
            handle.write("\nNoch ein geänderter Satz für den Benchmark.\n")
        started = time.perf_counter()
        if not preview.rebuild():
            return 1
        print(f"rebuild {time.perf_counter() - started:.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
