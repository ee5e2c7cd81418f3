#!/usr/bin/env python3
"""Demo portal for newsharvest: generate the site and serve it on 127.0.0.1.

Usage: scripts/portal_server.py [--root DIR] [--port 0] [--log FILE] [--gen-seed N] [--faults]
                                [--template v1|v2] [--crawl-delay S] [--per-section N] [--generate-only]
Prints "PORT N" as its first line. Details: scripts/portal/README.md.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from portal.server import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
