"""The ``clickairtime`` command of the wheel: the console script ``clickairtime`` and ``python -m clickairtime``.

Both run the Rust command (the ``clickairtime-cli`` crate, the same code as ``cargo install``) inside the
extension module: ``_native.cli_main(argv)``, the GIL released for the whole command. Nothing of the command is
re-implemented here; see ``clickairtime --help`` and cli/README.md.
"""

from __future__ import annotations

import logging
import sys
from typing import List, Optional

from . import _native

__all__ = ["main"]


def main(argv: Optional[List[str]] = None) -> int:
    """Run ``clickairtime`` with ``argv`` (default: this process's arguments) and return its exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if "--verbose" in args or "-v" in args:
        # the core's log records reach Python's logging in this process: show them on stderr, as the
        # cargo-built command does
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("[%(levelname)s %(name)s] %(message)s"))
        logger = logging.getLogger("clickairtime")
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    # what Python buffered goes out before the command writes to the same file descriptors
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    try:
        return int(_native.cli_main(["clickairtime", *args]))
    except KeyboardInterrupt:
        # Ctrl-C during a command that does not stop gracefully: it ended first (a send is never abandoned)
        return 130
