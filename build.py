#!/usr/bin/env python3
"""Build or check the site: ``python build.py [build|check|schema|new] [options]``."""

import sys

try:
    from verbund.cli import main
except ModuleNotFoundError as error:
    print(
        f"verbund: the module '{error.name}' is missing: install the project first, "
        "for example:\n  python3 -m venv .venv && .venv/bin/pip install -e . && "
        ".venv/bin/python build.py",
        file=sys.stderr,
    )
    sys.exit(2)

if __name__ == "__main__":
    sys.exit(main())
