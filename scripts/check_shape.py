#!/usr/bin/env python3
"""The shape of the tree: no hand-written source file over LIMIT lines, no import circles.

    python3 scripts/check_shape.py [DIR ...]     (default: the whole repository; exit 1 on a finding)

Files: every tracked .rs .py .pyi .js .mjs .ts .c .cpp .h .sh file except generated ones (the C header from
cbindgen, napi-rs's index.js / index.d.ts, docs/shapes.json's generator output).

Circles, per Rust crate (one module per file; a `#[cfg(test)] mod` inside a file is left out): an edge A -> B when A names
`crate::B…`, `super::…` or `self::…` resolving into B, or `use` lists them. An edge from a module to one of its
own descendants (declaring or re-exporting it) is not a dependency and is left out; every other edge counts,
so a parent's child may use what the parent holds only if the parent doesn't use that child's siblings that use
it back. Python packages: `from .x import` / `import pkg.x` between the modules of one package. JS: `require`
and `import` of relative paths. A strongly connected set of two or more modules is a circle.
"""
import os
import re
import subprocess
import sys

LIMIT = 600
EXTS = (".rs", ".py", ".pyi", ".js", ".mjs", ".ts", ".c", ".cpp", ".h", ".sh")
GENERATED = {
    "include/clickairtime.h",
    "bindings-node/index.js",
    "bindings-node/index.d.ts",
}
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def tracked(dirs):
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", *dirs], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.split()
    return [f for f in out if f.endswith(EXTS) and f not in GENERATED and os.path.isfile(os.path.join(ROOT, f))]


def long_files(files):
    bad = []
    for f in files:
        with open(os.path.join(ROOT, f), encoding="utf-8", errors="replace") as fh:
            n = sum(1 for _ in fh)
        if n > LIMIT:
            bad.append((n, f))
    return sorted(bad, reverse=True)


def sccs(graph):
    """Tarjan's strongly connected components (iterative), only those with 2+ nodes."""
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter[0]; counter[0] += 1
        stack.append(root); on.add(root)
        while work:
            v, it = work[-1]
            nxt = next(it, None)
            if nxt is not None:
                if nxt not in graph:
                    continue
                if nxt not in index:
                    index[nxt] = low[nxt] = counter[0]; counter[0] += 1
                    stack.append(nxt); on.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                elif nxt in on:
                    low[v] = min(low[v], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop(); on.discard(w); comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return out


# --- Rust ----------------------------------------------------------------------------------------------------
PATH_RE = re.compile(r"\b(crate|super|self)((?:::(?:super|[A-Za-z_][A-Za-z0-9_]*))+)")
USE_RE = re.compile(r"\buse\s+(crate|super|self)::([^;]*);", re.S)


def strip_rust(src):
    src = re.sub(r"//[^\n]*", "", src)
    src = re.sub(r"/\*.*?\*/", "", src, flags=re.S)
    src = re.sub(r'"(?:\\.|[^"\\])*"', '""', src)
    # a file's unit tests sit above every layer (they may use anything): `#[cfg(test)] mod x { … }` is left out
    out, pos = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{", src):
        if m.start() < pos:
            continue
        depth, i = 1, m.end()
        while i < len(src) and depth:
            depth += {"{": 1, "}": -1}.get(src[i], 0)
            i += 1
        out.append(src[pos:m.start()])
        pos = i
    out.append(src[pos:])
    return "".join(out)


def rust_crates(files):
    crates = {}
    for f in files:
        if not f.endswith(".rs"):
            continue
        parts = f.split("/")
        if "src" not in parts:
            continue
        i = parts.index("src")
        crates.setdefault("/".join(parts[: i + 1]), []).append("/".join(parts[i + 1:]))
    return crates


def module_of(rel):
    p = rel[:-3].split("/")
    if p[-1] in ("lib", "main", "mod"):
        p = p[:-1]
    if p and p[0] == "bin":
        return None
    return tuple(p)


def rust_circles(src_dir, rels):
    mods = {}
    for rel in rels:
        m = module_of(rel)
        if m is not None:
            mods[m] = rel
    graph = {m: set() for m in mods}

    def resolve(base, segs):
        path = list(base)
        segs = list(segs)
        while segs and segs[0] == "super":
            path = path[:-1]; segs.pop(0)
        best = tuple(path)
        for s in segs:
            if s in ("super", "self"):
                break
            cand = tuple(path + [s])
            if cand in mods:
                path.append(s); best = cand
            else:
                break
        return best

    for m, rel in mods.items():
        with open(os.path.join(ROOT, src_dir, rel), encoding="utf-8") as fh:
            src = strip_rust(fh.read())
        targets = []
        for kind, rest in PATH_RE.findall(src):
            segs = [s for s in rest.split("::") if s]
            base = () if kind == "crate" else (m[:-1] if kind == "super" else m)
            targets.append(resolve(base, segs))
        for kind, body in USE_RE.findall(src):   # use crate::{a::X, b::Y}
            base = () if kind == "crate" else (m[:-1] if kind == "super" else m)
            head = body.split("{", 1)
            prefix = [s for s in head[0].split("::") if s.strip()]
            if len(head) == 2:
                for item in re.split(r",", head[1]):
                    segs = prefix + [s.strip() for s in item.strip().strip("}").split("::") if s.strip()]
                    targets.append(resolve(base, [re.sub(r"\s+as\s+\w+", "", s) for s in segs]))
        for t in targets:
            if t != m and t in graph and t[: len(m)] != m:   # not itself, not its own descendant
                graph[m].add(t)
    return [[src_dir + ":" + ("::".join(c) or "crate") for c in comp] for comp in sccs(graph)]


# --- Python and JS -------------------------------------------------------------------------------------------
def py_circles(files):
    pkgs = {}
    for f in files:
        if f.endswith(".py") and os.path.exists(os.path.join(ROOT, os.path.dirname(f), "__init__.py")):
            pkgs.setdefault(os.path.dirname(f), []).append(f)
    out = []
    for pkg, fs in pkgs.items():
        name = os.path.basename(pkg)
        mods = {os.path.basename(f)[:-3]: f for f in fs}
        graph = {m: set() for m in mods}
        for m, f in mods.items():
            src = open(os.path.join(ROOT, f), encoding="utf-8").read()
            for dots, sub, names in re.findall(r"^\s*from\s+(\.+|%s\.?)(\w*)\s+import\s+([\w, ()]+)" % name, src, re.M):
                # `from .x import A` names module x; `from . import x, y` names x and y
                for t in ([sub] if sub else [s.strip("() ") for s in names.split(",")]):
                    if t in mods and t != m and m != "__init__":
                        graph[m].add(t)
            for t in re.findall(r"^\s*import\s+%s\.(\w+)" % name, src, re.M):
                if t in mods and t != m and m != "__init__":
                    graph[m].add(t)
        out += [[pkg + ":" + x for x in comp] for comp in sccs(graph)]
    return out


def js_circles(files):
    js = [f for f in files if f.endswith((".js", ".mjs", ".ts")) and "/test/" not in f]
    graph = {f: set() for f in js}
    for f in js:
        src = open(os.path.join(ROOT, f), encoding="utf-8").read()
        for t in re.findall(r"""(?:require\(|from\s+|import\()\s*['"](\.[^'"]+)['"]""", src):
            p = os.path.normpath(os.path.join(os.path.dirname(f), t))
            for cand in (p, p + ".js", p + ".mjs", p + ".ts", os.path.join(p, "index.js")):
                if cand in graph and cand != f:
                    graph[f].add(cand)
    return sccs(graph)


def main(argv):
    dirs = argv or ["."]
    files = tracked(dirs)
    bad = long_files(files)
    circles = []
    for src_dir, rels in sorted(rust_crates(files).items()):
        circles += rust_circles(src_dir, rels)
    circles += py_circles(files) + js_circles(files)
    for n, f in bad:
        print(f"too long: {f}: {n} lines (limit {LIMIT})")
    for c in circles:
        print("import circle: " + " <-> ".join(c))
    print(f"check_shape: {len(files)} files, {len(bad)} over {LIMIT} lines, {len(circles)} import circles")
    return 1 if bad or circles else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
