"""`python -m app` does what the `limber` command does."""

import sys

from app.cli import main

sys.exit(main())
