#!/usr/bin/env python3
"""Generates index/unicode_tables.c, the character data of the tokenizer.

    python3 index/gen_unicode.py > index/unicode_tables.c
    python3 index/gen_unicode.py --js > site-template/search-unicode.txt

Everything comes from Python's unicodedata (its Unicode version is written
into the output) plus the few hand-made lists below; the rules are the ones
in tests/vectors/README.md.  The same tables are meant to be emitted as
JavaScript for the browser client later (add a --js writer here; keep the
data, not the C code, as the single source).

Per code point the tokenizer needs a class (kind, case, script, flags) and
an optional folded replacement:

  kind    OTHER (separator), LETTER, MARK, DIGIT, CJK, IGNORE
  case    UPPER (Lu, Lt), LOWER (Ll), or none
  script  a small set of scripts that have a Snowball stemmer
  flags   DIACRITIC: a combining mark dropped after a Latin letter
          MAPPED: the code point has an entry in the fold map
"""

import sys
import unicodedata as ud

KINDS = {"OTHER": 0, "LETTER": 1, "MARK": 2, "DIGIT": 3, "CJK": 4, "IGNORE": 5}
CASE_UPPER, CASE_LOWER = 1 << 3, 2 << 3
SCRIPT_SHIFT = 5
SCRIPTS = ["NONE", "LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "HEBREW",
           "ARABIC", "DEVANAGARI", "TAMIL"]
F_DIACRITIC = 1 << 9
F_MAPPED = 1 << 10

# Script by block: good enough for deciding which stemmer may see a word.
SCRIPT_RANGES = [
    ("LATIN", 0x0041, 0x024F), ("LATIN", 0x0250, 0x02AF),
    ("LATIN", 0x1D00, 0x1DBF), ("LATIN", 0x1E00, 0x1EFF),
    ("LATIN", 0x2C60, 0x2C7F), ("LATIN", 0xA720, 0xA7FF),
    ("LATIN", 0xAB30, 0xAB6F), ("LATIN", 0xFB00, 0xFB06),
    ("LATIN", 0xFF21, 0xFF5A),
    ("GREEK", 0x0370, 0x03FF), ("GREEK", 0x1F00, 0x1FFF),
    ("CYRILLIC", 0x0400, 0x052F), ("CYRILLIC", 0x1C80, 0x1C8F),
    ("CYRILLIC", 0x2DE0, 0x2DFF), ("CYRILLIC", 0xA640, 0xA69F),
    ("ARMENIAN", 0x0530, 0x058F), ("ARMENIAN", 0xFB13, 0xFB17),
    ("HEBREW", 0x0590, 0x05FF), ("HEBREW", 0xFB1D, 0xFB4F),
    ("ARABIC", 0x0600, 0x06FF), ("ARABIC", 0x0750, 0x077F),
    ("ARABIC", 0x08A0, 0x08FF), ("ARABIC", 0xFB50, 0xFDFF),
    ("ARABIC", 0xFE70, 0xFEFF),
    ("DEVANAGARI", 0x0900, 0x097F), ("DEVANAGARI", 0xA8E0, 0xA8FF),
    ("TAMIL", 0x0B80, 0x0BFF),
]

# Letters (Lo, Lm, Nl) in these ranges are CJK: Han, Hiragana, Katakana.
CJK_RANGES = [
    (0x3005, 0x3007), (0x3021, 0x3029), (0x3031, 0x3035), (0x303B, 0x303C),
    (0x3041, 0x309F), (0x30A0, 0x30FF), (0x31F0, 0x31FF), (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFF66, 0xFF9F), (0x1B000, 0x1B16F),
    (0x20000, 0x323AF),
]

# Removed before tokenizing: joiners, soft hyphen, variation selectors.
IGNORE = [(0x00AD, 0x00AD), (0x034F, 0x034F), (0x180B, 0x180D),
          (0x200C, 0x200D), (0x2060, 0x2060), (0xFE00, 0xFE0F),
          (0xFEFF, 0xFEFF), (0xE0100, 0xE01EF)]

# Combining marks dropped after a Latin letter (so e + U+0301 == é == e).
DIACRITIC_RANGES = [(0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF),
                    (0x20D0, 0x20FF), (0xFE20, 0xFE2F)]

# Latin letters without a decomposition that still read as a base letter.
LATIN_EXTRA = {0x00F8: 0x6F, 0x0111: 0x64, 0x0142: 0x6C, 0x0127: 0x68,
               0x0131: 0x69}
# Other single-letter folds: Cyrillic yo reads as ye.
OTHER_EXTRA = {0x0451: 0x0435}


def in_ranges(cp, ranges):
    return any(lo <= cp <= hi for lo, hi in ranges)


def script_of(cp):
    for name, lo, hi in SCRIPT_RANGES:
        if lo <= cp <= hi:
            return SCRIPTS.index(name)
    return 0


def kind_of(cp):
    if in_ranges(cp, IGNORE):
        return KINDS["IGNORE"]
    if 0xFF01 <= cp <= 0xFF5E:           # full-width ASCII: as ASCII
        return kind_of(cp - 0xFEE0)
    cat = ud.category(chr(cp))
    if cat in ("Lo", "Lm", "Nl") and in_ranges(cp, CJK_RANGES):
        return KINDS["CJK"]
    if cat[0] == "L":
        return KINDS["LETTER"]
    if cat[0] == "M":
        return KINDS["MARK"]
    if cat == "Nd":
        return KINDS["DIGIT"]
    return KINDS["OTHER"]


def fold1(cp):
    """Simple case fold to one code point (multi-code-point folds fall
    back to lowercase, or to their base letter when the rest is marks)."""
    c = chr(cp)
    for f in (c.casefold(), c.lower()):
        if len(f) == 1:
            return ord(f)
        stripped = "".join(ch for ch in f if ud.category(ch) != "Mn")
        if len(stripped) == 1 and stripped.isascii():
            return ord(stripped)
    return cp


def fold(cp):
    """The full per-code-point fold: full-width ASCII to ASCII, canonical
    singletons (NFC), case, Latin diacritics."""
    if 0xFF01 <= cp <= 0xFF5E:
        cp -= 0xFEE0
    nfc = ud.normalize("NFC", chr(cp))
    if len(nfc) == 1:
        cp = ord(nfc)
    cp = fold1(cp)
    if script_of(cp) == SCRIPTS.index("LATIN"):
        base = "".join(ch for ch in ud.normalize("NFD", chr(cp))
                       if ud.category(ch) != "Mn")
        base = ud.normalize("NFC", base)
        if len(base) == 1:
            cp = fold1(ord(base))
        cp = LATIN_EXTRA.get(cp, cp)
    cp = OTHER_EXTRA.get(cp, cp)
    return cp


def b36(n):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    s = ""
    while True:
        s = digits[n % 36] + s
        n //= 36
        if n == 0:
            return s


def main_js():
    """The browser's copy of the tables (site-template/search-unicode.txt,
    read by site-template/search.js): what query mode needs.

    Line 1, classes: runs "D.C" separated by spaces, D the distance in
    code points from the previous run's start, C the class: kind (bits
    0-2), 8 upper, 16 lower (humps), 32 Latin letter, 64 DIACRITIC.
    Line 2, folds: ranges "D.N.S.X": from D after the previous range's
    start, N code points S apart, each mapped to itself plus X (signed).
    Numbers are base 36.  ASCII is in neither line's folds (lower case).
    """
    cls, fmap = [], []
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            cls.append(0)
            continue
        kind = kind_of(cp)
        c = kind
        src = cp - 0xFEE0 if 0xFF01 <= cp <= 0xFF5E else cp
        cat = ud.category(chr(cp))
        if kind in (KINDS["LETTER"], KINDS["CJK"]):
            if cp == 0xDF:
                pass
            elif cat in ("Lu", "Lt"):
                c |= 8
            elif cat == "Ll":
                c |= 16
            if script_of(src) == SCRIPTS.index("LATIN"):
                c |= 32
        if kind == KINDS["MARK"] and in_ranges(cp, DIACRITIC_RANGES):
            c |= 64
        if kind != KINDS["OTHER"] or 0xFF01 <= cp <= 0xFF5E:
            f = fold(cp)
            if f != cp and cp >= 0x80:
                fmap.append((cp, f))
        cls.append(c)
    runs, prev, last = [], None, 0
    for cp, c in enumerate(cls):
        if c != prev:
            runs.append("%s.%s" % (b36(cp - last), b36(c)))
            prev, last = c, cp
    ranges, i, last = [], 0, 0
    while i < len(fmap):
        cp, f = fmap[i]
        d, step, j = f - cp, 1, i + 1
        if (j < len(fmap) and fmap[j][1] - fmap[j][0] == d and
                fmap[j][0] - cp in (1, 2)):
            step = fmap[j][0] - cp
            while (j < len(fmap) and fmap[j][1] - fmap[j][0] == d and
                   fmap[j][0] - fmap[j - 1][0] == step):
                j += 1
        ranges.append("%s.%s.%s.%s" % (b36(cp - last), b36(j - i), step,
                                       b36(d) if d >= 0 else "-" + b36(-d)))
        last, i = cp, j
    sys.stdout.write(" ".join(runs) + "\n" + " ".join(ranges) + "\n")


def main():
    out = sys.stdout
    cls = []
    fmap = []
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            cls.append(0)
            continue
        kind = kind_of(cp)
        c = kind
        src = cp - 0xFEE0 if 0xFF01 <= cp <= 0xFF5E else cp
        cat = ud.category(chr(cp))
        if kind in (KINDS["LETTER"], KINDS["CJK"]):
            if cp == 0xDF:
                pass                    # no upper case: STRAßE is one hump
            elif cat in ("Lu", "Lt"):
                c |= CASE_UPPER
            elif cat == "Ll":
                c |= CASE_LOWER
            c |= script_of(src) << SCRIPT_SHIFT
        if kind == KINDS["MARK"] and in_ranges(cp, DIACRITIC_RANGES):
            c |= F_DIACRITIC
        if kind != KINDS["OTHER"] or 0xFF01 <= cp <= 0xFF5E:
            f = fold(cp)
            if f != cp and cp >= 0x80:
                fmap.append((cp, f))
                c |= F_MAPPED
        cls.append(c)

    # Two-stage table: stage1[cp >> 7] -> block, block[cp & 127] -> class
    # index, class index -> 16-bit class.
    values = sorted(set(cls))
    assert len(values) < 256
    vindex = {v: i for i, v in enumerate(values)}
    blocks, bindex, stage1 = [], {}, []
    for b in range(0x110000 >> 7):
        blk = tuple(vindex[v] for v in cls[b << 7:(b + 1) << 7])
        if blk not in bindex:
            bindex[blk] = len(blocks)
            blocks.append(blk)
        stage1.append(bindex[blk])
    assert len(blocks) < 65536

    w = out.write
    w("/*\n * Generated by index/gen_unicode.py from Python's unicodedata\n")
    w(" * (Unicode %s).  Do not edit: change the script and run\n"
      % ud.unidata_version)
    w(" *     python3 index/gen_unicode.py > index/unicode_tables.c\n")
    w(" * The rules are in tests/vectors/README.md.\n */\n")
    w('#include "unicode_tables.h"\n\n')
    w("const char uc_version[] = \"%s\";\n\n" % ud.unidata_version)
    w("const uint16_t uc_class_values[%d] = {\n" % len(values))
    for i in range(0, len(values), 8):
        w("\t" + ", ".join("0x%04x" % v for v in values[i:i + 8]) + ",\n")
    w("};\n\n")
    w("const uint16_t uc_stage1[%d] = {\n" % len(stage1))
    for i in range(0, len(stage1), 12):
        w("\t" + ", ".join("%d" % v for v in stage1[i:i + 12]) + ",\n")
    w("};\n\n")
    w("const uint8_t uc_stage2[%d] = {\n" % (len(blocks) * 128))
    for blk in blocks:
        for i in range(0, 128, 16):
            w("\t" + ", ".join("%d" % v for v in blk[i:i + 16]) + ",\n")
    w("};\n\n")
    w("const uint32_t uc_fold[%d][2] = {\n" % len(fmap))
    for a, b in fmap:
        w("\t{ 0x%05x, 0x%05x },\n" % (a, b))
    w("};\n")
    w("const size_t uc_fold_len = %d;\n" % len(fmap))


if __name__ == "__main__":
    if sys.argv[1:] == ["--js"]:
        main_js()
    else:
        main()
