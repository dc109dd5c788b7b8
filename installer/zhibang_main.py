"""The built program's entry point (installer/zhibang.spec): the `zhibang` command, which opens
the GUI when given no sub-command."""
import sys

from zhibang_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
