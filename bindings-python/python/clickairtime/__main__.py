"""``python -m clickairtime …``: the ``clickairtime`` command (the Rust CLI inside the extension module)."""

import sys

from ._cli import main

if __name__ == "__main__":
    sys.exit(main())
