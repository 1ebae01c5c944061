#!/usr/bin/env python3
"""make lint: the rules the code keeps (docs/architecture.md, "Rules").

    python3 scripts/lint.py [ROOT]

ROOT is the tree to check (by default the repository this script is in).
Each rule is one named check.  The output has the e2e tests' form, so
tests/run.sh counts each rule as a test:

    ok file-size
    not ok stage-boundary
    index/answers_eval.c:30: stage-boundary: index/ includes render/fold.h ...

Exit status 0 when every check passes, 1 when one fails.  Standard
library only; the C is read as text (comments, literals and preprocessor
lines blanked), which is enough for code written in the house style.
"""
import os
import re
import sys

MAX_FILE_LINES = 1800
MAX_FUNCTION_LINES = 150
CORE = "core"
STAGES = ("ingest", "index", "render")
PROGRAM = (CORE,) + STAGES          # the folders the size rule covers
DRIVER = "faqtory.c"                # the command line, over every stage
SKIP_DIRS = {"node_modules", ".git"}  # and build*/: never the project's

# A comment among a file's first lines whose text starts with
# "Generated" marks generated tables (exempt from file-size and
# function-length).
GENERATED = re.compile(r"^\s*(?:/\*+|\*|//|#)\s*generated\b", re.I)
GENERATED_WITHIN = 5
# A line of the comment right above a long function that starts with
# "Long:" and goes on to say why.
LONG_REASON = re.compile(r"^\s*(?:/\*+|\*|//)?\s*Long:\s*\S")
ENV_NAME = re.compile(r'"(FAQTORY_[A-Za-z0-9_]+)"')
QUOTED_INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)
# Comments, then string and character literals (escapes kept whole).
C_NOISE = re.compile(r'/\*.*?(?:\*/|\Z)|//[^\n]*'
                     r'|"(?:\\.|[^"\\\n])*"?|\'(?:\\.|[^\'\\\n])*\'?', re.S)
# The end of a function's head: its name, then the parameter list
# (one level of nested parentheses, for function-pointer parameters).
FUNC_HEAD = re.compile(r"(\w+)\s*\((?:[^()]|\([^()]*\))*\)\s*$")


# ---- reading the tree ----------------------------------------------------

def walk(root, top="."):
    """Paths (relative to root, '/'-separated, sorted) of the files under
    top, skipping hidden folders, node_modules and build outputs."""
    found = []
    for d, dirs, files in os.walk(os.path.join(root, top)):
        dirs[:] = [x for x in dirs if x not in SKIP_DIRS
                   and not x.startswith((".", "build"))]
        for f in files:
            found.append(os.path.relpath(os.path.join(d, f), root)
                         .replace(os.sep, "/"))
    return sorted(found)


def read(root, path):
    with open(os.path.join(root, path), encoding="utf-8",
              errors="replace") as f:
        return f.read()


def blank(s):
    """s with everything but newlines turned to spaces."""
    return re.sub(r"[^\n]", " ", s)


def strip_c(text, keep_strings=False):
    """C text with comments (and, unless keep_strings, the insides of
    literals) blanked; line numbers stay true."""
    def repl(m):
        s = m.group()
        if s.startswith("/"):
            return blank(s)
        if keep_strings:
            return s
        return s[0] + blank(s[1:-1]) + s[-1] if len(s) > 1 else s
    return C_NOISE.sub(repl, text)


def strip_preprocessor(code):
    """code with preprocessor lines (and their continuations) blanked."""
    out, cont = [], False
    for line in code.split("\n"):
        directive = cont or line.lstrip().startswith("#")
        cont = directive and line.rstrip().endswith("\\")
        out.append(blank(line) if directive else line)
    return "\n".join(out)


def line_of(text, pos):
    return text.count("\n", 0, pos) + 1


def is_generated(text):
    return any(GENERATED.match(l)
               for l in text.split("\n")[:GENERATED_WITHIN])


def c_files(root):
    return [p for p in walk(root) if p.endswith((".c", ".h"))]


def program_c_files(root):
    """The program's own C: core/, the stages and faqtory.c."""
    files = [p for top in PROGRAM for p in walk(root, top)
             if p.endswith((".c", ".h"))]
    if os.path.isfile(os.path.join(root, DRIVER)):
        files.append(DRIVER)
    return files


# ---- the checks: each returns a list of (path, line, message) -------------

def check_file_size(root):
    """No file under core/ or a stage over MAX_FILE_LINES lines, except
    generated tables."""
    bad = []
    for top in PROGRAM:
        for p in walk(root, top):
            text = read(root, p)
            n = len(text.splitlines())
            if n > MAX_FILE_LINES and not is_generated(text):
                bad.append((p, MAX_FILE_LINES + 1,
                            f"{n} lines, over {MAX_FILE_LINES}; split it "
                            "by job (generated tables say 'Generated' in "
                            "a comment at the top)"))
    return bad


def functions(code):
    """(name, first line, name line, last line) of every function
    defined in code (already stripped of comments, literals and
    preprocessor lines): a '{' at file level after a head that ends in a
    parameter list and assigns nothing."""
    found, depth, head_start, current = [], 0, 0, None
    for m in re.finditer(r"[{};]", code):
        ch = m.group()
        if ch == "{":
            if depth == 0:
                head = code[head_start:m.start()]
                fn = FUNC_HEAD.search(head)
                if fn and "=" not in head:
                    first = head_start + len(head) - len(head.lstrip())
                    current = (fn.group(1), line_of(code, first),
                               line_of(code, head_start + fn.start(1)))
            depth += 1
        elif ch == "}":
            depth = max(depth - 1, 0)
            if depth == 0:
                if current:
                    found.append(current + (line_of(code, m.start()),))
                current, head_start = None, m.end()
        elif depth == 0:
            head_start = m.end()
    return found


def long_reason(lines, first):
    """Whether the comment ending on the line right above line `first`
    (1-based) has a "Long:" line that says why."""
    i, block = first - 2, []
    if i >= 0 and lines[i].rstrip().endswith("*/"):
        while i >= 0:
            block.append(lines[i])
            if "/*" in lines[i]:
                break
            i -= 1
    else:
        while i >= 0 and lines[i].lstrip().startswith("//"):
            block.append(lines[i])
            i -= 1
    return any(LONG_REASON.match(l) for l in block)


def check_function_length(root):
    """No function over MAX_FUNCTION_LINES lines (from its name to its
    closing brace) unless the comment right above it says why."""
    bad = []
    for p in program_c_files(root):
        text = read(root, p)
        if is_generated(text):
            continue
        code = strip_preprocessor(strip_c(text))
        lines = text.split("\n")
        for name, first, at, last in functions(code):
            n = last - at + 1
            if n > MAX_FUNCTION_LINES and not long_reason(lines, first):
                bad.append((p, at, f"{name}() is {n} lines, over "
                            f"{MAX_FUNCTION_LINES}; split it or give the "
                            "reason in a 'Long:' line of the comment "
                            "right above it"))
    return bad


def includes(root, path):
    """(line, included path or None) of each quoted #include of path,
    resolved as the compiler does: beside the file, then from the root
    (-I.).  None: no such file in the tree."""
    text = strip_c(read(root, path), keep_strings=True)
    out = []
    for m in QUOTED_INCLUDE.finditer(text):
        name, found = m.group(1), None
        for base in (os.path.dirname(path), ""):
            cand = os.path.normpath(os.path.join(base, name))
            if os.path.isfile(os.path.join(root, cand)):
                found = cand.replace(os.sep, "/")
                break
        out.append((line_of(text, m.start()), found))
    return out


def check_include_cycle(root):
    """No cycle in the graph of quoted includes between files."""
    graph = {p: [(n, t) for n, t in includes(root, p) if t]
             for p in c_files(root)}
    bad, seen_cycles, state, stack = [], set(), {}, []

    def visit(p):
        state[p] = "open"
        stack.append(p)
        for n, t in graph.get(p, []):
            if state.get(t) == "open":
                cycle = stack[stack.index(t):] + [t]
                key = frozenset(cycle)
                if key not in seen_cycles:
                    seen_cycles.add(key)
                    bad.append((p, n, "include cycle: "
                                + " -> ".join(cycle)))
            elif t not in state:
                visit(t)
        stack.pop()
        state[p] = "done"

    for p in sorted(graph):
        if p not in state:
            visit(p)
    return bad


def top_folder(path):
    return path.split("/")[0] if "/" in path else ""


def check_stage_boundary(root):
    """A stage includes only core/ and its own folder; core/ includes
    only core/; faqtory.c includes core/ and the stages' headers but
    never an internal one (*_int.h)."""
    bad = []
    for p in program_c_files(root):
        here = top_folder(p)
        for n, t in includes(root, p):
            if t is None:
                continue
            there = top_folder(t)
            if p == DRIVER:
                if there not in PROGRAM or t.endswith("_int.h"):
                    bad.append((p, n, f"{DRIVER} includes {t}: it may "
                                "include core/ and the stages' public "
                                "headers, never a *_int.h"))
            elif here == CORE and there != CORE:
                bad.append((p, n, f"core/ includes {t}: core/ includes "
                            "no stage header"))
            elif here in STAGES and there not in (CORE, here):
                bad.append((p, n, f"{here}/ includes {t}: a stage "
                            "includes only core/ and its own folder"))
    return bad


def check_env_documented(root):
    """Every FAQTORY_* name in the program's C (a getenv argument, or
    passed to a helper that calls getenv: the prefix is kept for the
    environment) is mentioned in docs/."""
    docs = "\n".join(read(root, p) for p in walk(root, "docs")
                     if p.endswith(".md"))
    bad, told = [], set()
    for p in program_c_files(root):
        text = strip_c(read(root, p), keep_strings=True)
        for m in ENV_NAME.finditer(text):
            name = m.group(1)
            if name in told or re.search(
                    r"\b" + name + r"(?![A-Za-z0-9_])", docs):
                continue
            told.add(name)
            bad.append((p, line_of(text, m.start()), f"{name} is read "
                        "from the environment but docs/ does not "
                        "mention it"))
    return bad


def check_fuzz_seeds(root):
    """Every fuzz/fuzz_*.c has a seed folder fuzz/seeds/fuzz_*/ with at
    least one file (tests/run.sh replays them)."""
    bad = []
    for p in walk(root, "fuzz"):
        m = re.fullmatch(r"fuzz/(fuzz_\w+)\.c", p)
        if m and not walk(root, f"fuzz/seeds/{m.group(1)}"):
            bad.append((p, 1, f"no seed in fuzz/seeds/{m.group(1)}/: "
                        "every fuzz target replays at least one"))
    return bad


# What decides the stored form of a post given exactly as before: a
# change here must bump KEEP_REVISION in ingest/keep.c (posts kept by a
# nightly ingest would keep their old form) and record the new digest.
KEEP_SOURCES = ["ingest/sanitize.c", "ingest/markdown.c",
                "ingest/postlink.c", "core/url.c"]


def check_keep_revision(root):
    """ingest/keep.c names the digest of KEEP_SOURCES its KEEP_REVISION
    was set for ("sanitizer digest: HEX"): a sanitizer change that does
    not bump the revision fails here."""
    import hashlib
    if not all(os.path.exists(os.path.join(root, p))
               for p in KEEP_SOURCES + ["ingest/keep.c"]):
        return []  # a tree without the sanitizer has nothing to check
    h = hashlib.sha256()
    for p in KEEP_SOURCES:
        h.update(read(root, p).encode("utf-8"))
    want = h.hexdigest()[:16]
    m = re.search(r"sanitizer digest: ([0-9a-f]{16})",
                  read(root, "ingest/keep.c"))
    if m and m.group(1) == want:
        return []
    return [("ingest/keep.c", 1, "the sanitizer's sources changed "
             f"(digest {want}): bump KEEP_REVISION and record the digest")]


CHECKS = [
    ("keep-revision", check_keep_revision),
    ("file-size", check_file_size),
    ("function-length", check_function_length),
    ("include-cycle", check_include_cycle),
    ("stage-boundary", check_stage_boundary),
    ("env-documented", check_env_documented),
    ("fuzz-seeds", check_fuzz_seeds),
]


def main(argv):
    if len(argv) > 2:
        print("usage: lint.py [ROOT]", file=sys.stderr)
        return 2
    root = argv[1] if len(argv) == 2 else \
        os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    failed = 0
    for name, check in CHECKS:
        bad = check(root)
        print(("not ok " if bad else "ok ") + name)
        for path, line, msg in bad:
            print(f"{path}:{line}: {name}: {msg}")
        failed += bool(bad)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
