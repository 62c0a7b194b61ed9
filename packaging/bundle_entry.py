"""The frozen program's entry script: runs what the `limber` console script runs.

PyInstaller freezes this file (packaging/limber.spec). `app.cli.main` with no
argument opens the window; with a subcommand it is the command line.
"""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())
