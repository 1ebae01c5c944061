#!/usr/bin/env python3
"""The man pages name everything the program has.

    python3 tests/e2e/man_check.py [ROOT]

Reads the lists from the source, never from a hand list: the command
table and every option literal of faqtory.c, the key table of
core/config.c, the keys and phrase lists of ingest/curation.c, the
formats of ingest/ingest.c, the exit statuses of core/err.h and every
"FAQTORY_..." name in the program's C.  Then checks man/faqtory.1 and
man/faqtory.ini.5 (mdoc) for each.  Prints "ok WHAT" or "not ok WHAT: the
missing items" per group; exit status 1 when one is missing.
"""
import os
import re
import sys


def read(root, path):
    with open(os.path.join(root, path), encoding="utf-8") as f:
        return f.read()


def section(man, name):
    """The text of the mdoc section .Sh NAME, up to the next .Sh."""
    m = re.search(r"^\.Sh " + re.escape(name) + r"\n(.*?)(?=^\.Sh |\Z)",
                  man, re.M | re.S)
    return m.group(1) if m else ""


def subsection(text, name):
    m = re.search(r"^\.Ss " + re.escape(name) + r"\n(.*?)(?=^\.S[sh] |\Z)",
                  text, re.M | re.S)
    return m.group(1) if m else ""


def commands(src):
    """{name: [options]} from faqtory.c's commands[] table."""
    table = src[src.index("} commands[] = {"):]
    table = table[:table.index("};")]
    # The options may be adjacent string literals, as C joins them.
    return {m.group(1): "".join(re.findall(r'"([^"]*)"', m.group(2))).split()
            for m in re.finditer(r'\{\s*"(\w+)",\s*((?:"[^"]*"\s*)+)', table)}


def synopsis_of(man):
    """{command: its SYNOPSIS block} of faqtory(1)."""
    out = {}
    for block in section(man, "SYNOPSIS").split(".Nm\n")[1:]:
        m = re.match(r"\.Cm (\w+)", block)
        if m:
            out[m.group(1)] = block
    return out


def flags(text):
    """Every option an .Fl macro names in text: 'Fl -db' is --db."""
    return {"-" + f for f in re.findall(r"\bFl (-?[A-Za-z][\w-]*)", text)}


def program_c(root):
    for top in ("core", "ingest", "index", "render"):
        for d, _, files in os.walk(os.path.join(root, top)):
            for f in files:
                if f.endswith((".c", ".h")):
                    yield os.path.relpath(os.path.join(d, f), root)
    yield "faqtory.c"


def checks(root):
    """(what, how many items, the missing ones) for every group."""
    fq = read(root, "faqtory.c")
    man1 = read(root, "man/faqtory.1")
    man5 = read(root, "man/faqtory.ini.5")
    cmds = commands(fq)
    syn = synopsis_of(man1)
    listed = re.findall(r"^\.It Cm (\w+)", section(man1, "COMMANDS"), re.M)
    yield "subcommands in faqtory(1)", len(cmds), [
        c for c in cmds if c not in syn or c not in listed]
    yield "each subcommand's options in its SYNOPSIS", sum(
        len(v) for v in cmds.values()), [
        f"{c} {o}" for c, opts in cmds.items() for o in opts
        if o not in flags(syn.get(c, ""))]
    literals = set(re.findall(r'"(--?[a-z][a-z-]*)"', fq))
    yield "every option faqtory.c parses in faqtory(1)", len(literals), sorted(
        o for o in literals if o not in flags(man1))
    env = set()
    for p in program_c(root):
        env |= set(re.findall(r'"(FAQTORY_[A-Z0-9_]+)"', read(root, p)))
    documented = re.findall(r"^\.It Ev (\w+)", section(man1, "ENVIRONMENT"),
                            re.M)
    yield "environment variables in faqtory(1)", len(env), sorted(
        env - set(documented))
    codes = re.findall(r"EXIT_\w+ = (\d+)", read(root, "core/err.h"))
    told = re.findall(r"^\.It (\d+)$", section(man1, "EXIT STATUS"), re.M)
    yield "exit statuses in faqtory(1)", len(codes), [c for c in codes if c not in told]
    fmts = re.findall(r'\{ "(\w+)", \w+_ingest \}', read(root,
                                                         "ingest/ingest.c"))
    yield "--format values in faqtory(1)", len(fmts), [
        f for f in fmts if not re.search(r"\bCm " + f + r"\b", man1)]
    cfg = read(root, "core/config.c")
    keys = re.findall(r'\{\s*"(\w+)",\s*"(\w+)",\s*K_', cfg)
    body = section(man5, "SECTIONS AND KEYS")
    yield "config sections and keys in faqtory.ini(5)", len(keys), [
        f"[{s}] {k}" for s, k in keys
        if not re.search(r"^\.It Ic " + k + r"$",
                         subsection(body, f"[{s}]"), re.M)]
    cur = read(root, "ingest/curation.c")
    ckeys = sorted(set(re.findall(r'strcmp\(k, "(\w+)"\)', cur)))
    lists = re.findall(r'"(\w+)\."', cur[cur.index("phrase_key("):])
    kinds = re.findall(r'"(\w+)"', cur[cur.index("kinds[] ="):][:200])
    cman = section(man5, "THE CURATION FILE")
    entry, phrases = subsection(cman, "[SOURCE:ID]"), subsection(
        cman, "[phrases]")
    yield "curation keys in faqtory.ini(5)", len(ckeys) + len(lists) + len(
        kinds), [
        k for k in ckeys
        if not re.search(r"^\.It Ic " + k + r"$", entry, re.M)] + [
        f"{p}.LANG" for p in lists
        if not re.search(r"^\.It Ic " + p + r"\. Ns Ar LANG$", phrases,
                         re.M)] + [
        f"dismiss {k}" for k in kinds if "Cm " + k not in entry]


def main(argv):
    root = argv[1] if len(argv) > 1 else "."
    failed = 0
    for what, n, missing in checks(root):
        if n == 0:
            failed += 1
            print(f"not ok {what}: none found in the source")
        elif missing:
            failed += 1
            print(f"not ok {what}: missing {', '.join(missing)}")
        else:
            print(f"ok {what} ({n})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
