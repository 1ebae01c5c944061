/*
 * config: the site configuration file (INI) that `faqtory build` reads.
 *
 *   # comment            ; comment
 *   [site]   title, base_url, language, theme, content_license (the
 *            licence of posts whose source gives none, core/license.h)
 *   [build]  db, out, source (repeatable: one SOURCE per line),
 *            report (the writers' report folder), curation (the
 *            writers' curation file, docs/trends.md), content_language
 *            (the Snowball stemmers of the sources' own text, e.g.
 *            "russian" or "id english"; default english), jobs (threads
 *            for every stage, 1 to 1000; default the online CPUs)
 *   [scope]  include_tags, exclude_tags (comma- or space-separated)
 *   [publish] answers (accepted | community, default community) and
 *            min_confidence (0 to 1; default the calibrated threshold
 *            the index stored): which answers become entries
 *            (core/answerpolicy.h)
 *
 * Parsing is strict: an unknown section or key, a line that is neither
 * a section, a key = value pair, a comment nor blank, a repeated
 * single-valued key or a bad value is an error reported as
 * "faqtory: FILE:LINE: what".  Relative paths (theme, db, out, source)
 * are taken relative to the directory of the file.
 */
#ifndef FQ_CONFIG_H
#define FQ_CONFIG_H

#include <stddef.h>

struct fq_config {
	char *title;    /* NULL when not set; all strings owned here */
	char *base_url;
	char *language;
	char *theme;
	char *content_license; /* checked by license_parse() */
	char *db;
	char *out;
	char *report;   /* the writers' report folder */
	char *curation; /* the writers' curation file */
	char *content_language; /* of the sources' text (ingest --lang) */
	char *jobs;     /* [build] jobs as written (checked), NULL: unset */
	char **sources;
	size_t nsources;
	char **include_tags;
	size_t ninclude;
	char **exclude_tags;
	size_t nexclude;
	/* [publish], as written (checked): NULL when not set */
	char *publish_answers;
	char *min_confidence;
};

/* Reads `path` into cfg (zeroed first).  Returns 0, or -1 after
 * printing one error line; cfg is then released.  Release with
 * config_release() in both cases (a no-op after failure). */
int config_load(struct fq_config *cfg, const char *path);
/* As config_load, from the file's text already read (for tests and the
 * fuzz target); `path` names it in messages and relative paths are
 * taken from its folder.  The file itself is read through
 * core/safefile.h: a regular file of at most SAFEFILE_CONFIG_MAX. */
int config_parse(struct fq_config *cfg, const char *path, const char *text,
    size_t len);
void config_release(struct fq_config *cfg);
/* Cuts leading blanks and trailing blanks and line ends off s, in
 * place; returns where the text starts.  For every INI-like reader. */
char *config_trim(char *s);
/* Splits a comma/space-separated list, appending copies to *v. */
void config_split_list(const char *s, char ***v, size_t *n);
/* The line reader of every INI-like file read whole: copies the next
 * line of [*p, end), its '\n' included, into line (size bytes) and
 * advances *p.  Returns 1, 0 at the end, or -1 with *why set ("line too
 * long" when it needs more than size - 1 bytes, "NUL byte in line"). */
int config_next_line(const char **p, const char *end, char *line,
    size_t size, const char **why);

#endif
