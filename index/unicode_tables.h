/*
 * Character data for the tokenizer, generated into unicode_tables.c by
 * index/gen_unicode.py.  Internal to index/tokenize.c (and its tests).
 *
 * Class of a code point cp (0 <= cp <= 0x10ffff):
 *   uc_class_values[uc_stage2[uc_stage1[cp >> 7] * 128 + (cp & 127)]]
 * whose bits are UC_KIND_MASK, UC_CASE_*, the script (UC_SCRIPT_SHIFT)
 * and the UC_F_* flags.  A code point with UC_F_MAPPED has an entry
 * { cp, folded } in uc_fold, sorted by cp.  ASCII is never in uc_fold
 * (its folding is tolower()).
 */
#ifndef FQ_UNICODE_TABLES_H
#define FQ_UNICODE_TABLES_H

#include <stddef.h>
#include <stdint.h>

enum {
	UC_OTHER = 0, /* separator */
	UC_LETTER = 1,
	UC_MARK = 2,
	UC_DIGIT = 3,
	UC_CJK = 4, /* Han, Hiragana, Katakana letter: bigrams */
	UC_IGNORE = 5, /* removed before tokenizing (ZWJ, soft hyphen...) */
	UC_KIND_MASK = 7,

	UC_CASE_UPPER = 1 << 3,
	UC_CASE_LOWER = 2 << 3,
	UC_CASE_MASK = 3 << 3,

	UC_SCRIPT_SHIFT = 5,
	UC_SCRIPT_MASK = 15 << 5,

	UC_F_DIACRITIC = 1 << 9, /* mark dropped after a Latin letter */
	UC_F_MAPPED = 1 << 10,
};

/* Script numbers, as in gen_unicode.py's SCRIPTS. */
enum {
	UC_SCRIPT_NONE,
	UC_SCRIPT_LATIN,
	UC_SCRIPT_CYRILLIC,
	UC_SCRIPT_GREEK,
	UC_SCRIPT_ARMENIAN,
	UC_SCRIPT_HEBREW,
	UC_SCRIPT_ARABIC,
	UC_SCRIPT_DEVANAGARI,
	UC_SCRIPT_TAMIL,
};

extern const char uc_version[];
extern const uint16_t uc_class_values[];
extern const uint16_t uc_stage1[];
extern const uint8_t uc_stage2[];
extern const uint32_t uc_fold[][2];
extern const size_t uc_fold_len;

#endif
