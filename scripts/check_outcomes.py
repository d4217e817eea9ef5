#!/usr/bin/env python3
"""Every README's "It moves money" table says the same five ends, in the same order, with the same meaning.

The root README's table is the reference. In each binding's README (Python, Node, C) the table must have the
same five ends (first column, exactly), the same "what it means" (third column, once `code` spans are set
aside: each language names its own fields), and a "what the till does" (fourth column) that keeps the
reference's instruction: the phrase listed below for each end.
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BINDINGS = ["bindings-python/README.md", "bindings-node/README.md", "ffi-c/README.md"]
# what the till must be told, per end (case-insensitive)
MUST_SAY = [
    ["receipt", "wait"],
    ["nothing was sold", "sell again"],
    ["nothing was sold for this one", "new reference"],
    ["on its way", "later"],
    ["do **not** sell again", "do not refund", "later"],
]


def table(path):
    rows = [l for l in (ROOT / path).read_text().splitlines() if l.startswith("| **")][:5]
    return [[c.strip() for c in r.strip().strip("|").split("|")] for r in rows]


def plain(cell):
    return re.sub(r"\s+", " ", re.sub(r"`[^`]*`", "", cell)).strip()


def main():
    ref = table("README.md")
    errors = []
    if len(ref) != 5:
        errors.append(f"README.md: {len(ref)} outcome rows, expected 5")
    for path in BINDINGS:
        rows = table(path)
        if len(rows) != len(ref):
            errors.append(f"{path}: {len(rows)} outcome rows, README.md has {len(ref)}")
            continue
        for i, (a, b) in enumerate(zip(ref, rows)):
            if a[0] != b[0]:
                errors.append(f"{path} row {i + 1}: end {b[0]!r}, README.md says {a[0]!r}")
            if plain(a[2]) != plain(b[2]):
                errors.append(f"{path} row {i + 1}: meaning {plain(b[2])!r} differs from README.md's {plain(a[2])!r}")
            for phrase in MUST_SAY[i]:
                if phrase not in b[3].lower():
                    errors.append(f"{path} row {i + 1}: what the till does does not say {phrase!r}: {b[3]!r}")
    for e in errors:
        print(e, file=sys.stderr)
    print(f"check_outcomes: {1 + len(BINDINGS)} READMEs, {len(errors)} differences")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
