#!/usr/bin/env python3
"""The monitor's command line. See ``python run_monitor.py --help``."""

import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from monitor.cli import main

    sys.exit(main())
