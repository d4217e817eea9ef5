"""``python -m clickairtime.sandbox``: the sandbox in the foreground, until Ctrl-C (see :func:`main`)."""

import sys

from . import main

if __name__ == "__main__":
    sys.exit(main())
