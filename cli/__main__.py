"""``python -m cli``: the ``kompetenskartan`` command without the installed entry point (a package runs as a module
only through its ``__main__``; the benches use it to run the worktree's own command in a process of its own)."""

import sys

from cli import main

sys.exit(main())
