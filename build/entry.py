"""PyInstaller entry point: the same `lenref` command as the console script."""

import sys

from desktop.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
