"""`python -m crawler` runs the warta CLI."""

import sys

from crawler.cli import main

sys.exit(main())
