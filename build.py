#!/usr/bin/env python3
"""Build or check the site: ``python build.py [build|check] [options]``."""

import sys

from verbund.cli import main

if __name__ == "__main__":
    sys.exit(main())
