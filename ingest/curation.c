/*
 * curation: the writers' curation file (docs/trends.md), read at the
 * start of a build into the tables `curation` and `curation_phrases`,
 * so that index and render only ever read the store.
 *
 *   # comment                 ; comment
 *   [beer:1234]               an entry: SOURCE:ID (SOURCE the source's
 *   pin = yes                 name or its first label, e.g. beer), or ID
 *   hide = yes                when unique across sources
 *   merge = beer:99           this entry folds into beer:99
 *   retitle = A better title
 *   article = articles/x.md   Markdown, inside the curation file's folder
 *                             (a regular file, at most 1 MiB)
 *   author = Jane Writer      the article's writer (required with it)
 *   dismiss = KIND SCORE      a flag as it was when dismissed
 *   answer = ID | none        publish this answer of the question (its
 *                             id in the source) or none at all
 *   [phrases]
 *   english = doesn't work, is outdated   (per Snowball language)
 *   thanks.english = thanks, worked       (answer selection's lists:
 *                             thanks, negative, self_fix, reveals)
 *
 * Strict like the config: anything else is "faqtory: FILE:LINE: what",
 * and nothing of the store changes (one transaction).
 *
 * Rows: merge's target_id is the threads.id it folds into; answer's is
 * the posts.ext_id of the answer, NULL for `answer = none`
 * (core/answerpolicy.h reads them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/err.h"
#include "core/safefile.h"
#include "core/store.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "ingest_int.h"

static const char SQL_C_DEL[] = "DELETE FROM curation";
static const char SQL_C_DELPH[] = "DELETE FROM curation_phrases";
static const char SQL_C_INS[] =
    "INSERT INTO curation(file, line, action, thread_id, target_id, text,"
    " html, kind, score) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char SQL_C_PHRASE[] =
    "INSERT OR IGNORE INTO curation_phrases(lang, phrase) VALUES(?1, ?2)";
/* The sources (a few rows) outside, each probed by (source_id, ext_id):
 * with threads outside, SQLite scanned every thread per reference, and
 * a curation file of thousands of lines cost lines x threads. */
static const char SQL_C_FIND[] =
    "SELECT t.id FROM sources s CROSS JOIN threads t"
    " ON t.source_id=s.id AND t.ext_id=?2"
    " WHERE (?1 IS NULL OR s.name=?1"
    "  OR substr(s.name, 1, length(?1) + 1)=?1 || '.') LIMIT 2";
static const char SQL_C_ANSWER[] =
    "SELECT 1 FROM threads t JOIN posts p ON p.source_id=t.source_id"
    " AND p.thread_ext=t.ext_id WHERE t.id=?1 AND p.ext_id=?2 AND p.kind=2";
static const char SQL_C_ARTICLE[] =
    "UPDATE curation SET text=?2 WHERE thread_id=?1 AND action='article'";

struct cur {
	struct store *st;
	const char *path;
	char *dir;
	int line;
	int64_t entry;      /* thread of the current section, 0: none */
	int phrases;        /* in [phrases] */
	int article_line;   /* of the section's article, 0: none */
	int author_line;
	char *author;
	struct buf seen;    /* keys of the section, " key " */
	struct buf msg;
};

/* Resolves "SOURCE:ID" or "ID" to a thread id; 0 after setting msg. */
static int64_t
find(struct cur *c, const char *ref)
{
	const char *colon = strrchr(ref, ':');
	const char *num = colon ? colon + 1 : ref;
	sqlite3_stmt *q;
	char *end = NULL;
	long long ext = strtoll(num, &end, 10);
	int64_t id = 0;
	int n = 0;

	if (*num == '\0' || end == NULL || *end != '\0' || ext < 0) {
		buf_printf(&c->msg, "expected SOURCE:ID or ID, not '%s'", ref);
		return 0;
	}
	q = store_stmt(c->st, SQL_C_FIND);
	if (colon)
		bind_text(q, 1, ref, (size_t)(colon - ref));
	bind_int(q, 2, ext);
	while (sqlite3_step(q) == SQLITE_ROW) {
		id = sqlite3_column_int64(q, 0);
		n++;
	}
	sqlite3_reset(q);
	if (n == 1)
		return id;
	buf_printf(&c->msg, n ? "'%s' is ambiguous (give SOURCE:ID)" :
	    "no question '%s' in the store", ref);
	return 0;
}

static int
insert(struct cur *c, const char *action, const int64_t *target,
    const char *text,
    const char *html, size_t hlen, const char *kind, double score)
{
	sqlite3_stmt *q = store_stmt(c->st, SQL_C_INS);

	bind_text(q, 1, c->path, strlen(c->path));
	bind_int(q, 2, c->line);
	bind_text(q, 3, action, strlen(action));
	bind_int(q, 4, c->entry);
	if (target)
		bind_int(q, 5, *target);
	if (text)
		bind_text(q, 6, text, strlen(text));
	if (html)
		bind_text(q, 7, html, hlen);
	if (kind)
		bind_text(q, 8, kind, strlen(kind));
	if (kind)
		sqlite3_bind_double(q, 9, score);
	return store_done(c->st, q);
}

static int
yes(struct cur *c, const char *v, int *out)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0) {
		*out = 1;
	} else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0) {
		*out = 0;
	} else {
		buf_printf(&c->msg, "expected yes or no, not '%s'", v);
		return -1;
	}
	return 0;
}

/* An article is Markdown from inside the curation file's folder: a
 * regular file of at most SAFEFILE_ARTICLE_MAX (core/safefile.h), so
 * that a curation line can neither publish another file of the machine
 * nor hang or exhaust the build. */
static int
article(struct cur *c, const char *v)
{
	struct buf p = BUF_INIT, md = BUF_INIT, html = BUF_INIT;
	char why[SAFEFILE_WHY];
	int rc = -1;

	if (v[0] == '/' || c->dir[0] == '\0')
		buf_puts(&p, v);
	else
		buf_printf(&p, "%s/%s", c->dir, v);
	if (safefile_read(p.data, c->dir, SAFEFILE_ARTICLE_MAX, &md,
	    why) < 0) {
		buf_printf(&c->msg, "article '%s': %s", v, why);
		goto out;
	}
	/* cmark, then the same allow-list as every forum body. */
	markdown_to_safe_html(md.data, md.len, &html, NULL);
	if (html.len == 0) {
		buf_printf(&c->msg, "article '%s' is empty", v);
		goto out;
	}
	rc = insert(c, "article", NULL, NULL, html.data, html.len, NULL, 0);
	if (rc < 0)
		buf_puts(&c->msg, "store error");
out:
	buf_release(&p);
	buf_release(&md);
	buf_release(&html);
	return rc;
}

/* `answer = ID`: an answer of this entry's question, by its id in the
 * source; `answer = none`: publish no answer (core/answerpolicy.h). */
static int
answer(struct cur *c, const char *v)
{
	sqlite3_stmt *q;
	char *end = NULL;
	long long id;
	int64_t post;
	int found;

	if (strcmp(v, "none") == 0)
		return insert(c, "answer", NULL, NULL, NULL, 0, NULL, 0);
	id = strtoll(v, &end, 10);
	if (*v < '0' || *v > '9' || end == NULL || *end != '\0') {
		buf_printf(&c->msg, "expected 'answer = ID' (an answer's id "
		    "in the source) or 'answer = none', not '%s'", v);
		return -1;
	}
	q = store_stmt(c->st, SQL_C_ANSWER);
	bind_int(q, 1, c->entry);
	bind_int(q, 2, id);
	found = sqlite3_step(q) == SQLITE_ROW;
	sqlite3_reset(q);
	if (!found) {
		buf_printf(&c->msg, "answer '%s' is not an answer to this "
		    "question", v);
		return -1;
	}
	post = id;
	return insert(c, "answer", &post, NULL, NULL, 0, NULL, 0);
}

/* Comma-separated, each item trimmed; empty items dropped. */
static void
split_commas(const char *v, char ***list, size_t *n)
{
	while (*v) {
		size_t len = strcspn(v, ",");
		const char *a = v, *e = v + len;

		while (a < e && (*a == ' ' || *a == '\t'))
			a++;
		while (e > a && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e > a) {
			*list = xreallocarray(*list, *n + 1, sizeof **list);
			(*list)[(*n)++] = xstrndup(a, (size_t)(e - a));
		}
		v += len;
		if (*v == ',')
			v++;
	}
}

static const char *const kinds[] = { "rising", "gap", "suspect_answer",
	"unanswered" };

/* A [phrases] key: LANGUAGE (the suspect-answer phrases),
 * conditional.LANGUAGE or negation.LANGUAGE (the markers that make such
 * a phrase no complaint; docs/trends.md), or LIST.LANGUAGE, one of
 * answer selection's lists (thanks, negative, self_fix, reveals;
 * docs/answer-selection.md). */
static int
phrase_key(struct cur *c, const char *k)
{
	static const char *const lists[] = { "thanks.", "negative.",
		"self_fix.", "reveals.", "conditional.", "negation." };
	const char *lang = k;
	size_t i;

	for (i = 0; i < sizeof lists / sizeof lists[0]; i++)
		if (strncmp(k, lists[i], strlen(lists[i])) == 0)
			lang = k + strlen(lists[i]);
	for (i = 0; lang[i]; i++)
		if (lang[i] < 'a' || lang[i] > 'z')
			break;
	if (*lang && lang[i] == '\0')
		return 0;
	buf_printf(&c->msg, "expected a language name such as 'english', or "
	    "LIST.LANGUAGE such as 'thanks.english', not '%s'", k);
	return -1;
}

static int
key(struct cur *c, const char *k, const char *v)
{
	char tag[80];
	int on = 0;
	size_t i;

	if (c->phrases) {
		char **list = NULL;
		size_t n = 0;

		if (phrase_key(c, k) < 0)
			return -1;
		split_commas(v, &list, &n);
		for (i = 0; i < n; i++) {
			sqlite3_stmt *q = store_stmt(c->st, SQL_C_PHRASE);

			bind_text(q, 1, k, strlen(k));
			bind_text(q, 2, list[i], strlen(list[i]));
			if (store_done(c->st, q) < 0)
				on = -1;
			free(list[i]);
		}
		free(list);
		if (n == 0)
			buf_puts(&c->msg, "empty list of phrases");
		return n == 0 || on < 0 ? -1 : 0;
	}
	if (c->entry == 0) {
		buf_printf(&c->msg, "'%s' outside an entry's section", k);
		return -1;
	}
	snprintf(tag, sizeof tag, " %.60s ", k);
	if (strcmp(k, "dismiss") != 0 && strstr(c->seen.data, tag)) {
		buf_printf(&c->msg, "'%s' given twice for this entry", k);
		return -1;
	}
	buf_puts(&c->seen, tag);
	if (strcmp(k, "pin") == 0 || strcmp(k, "hide") == 0) {
		if (yes(c, v, &on) < 0)
			return -1;
		return on ? insert(c, k, NULL, NULL, NULL, 0, NULL, 0) : 0;
	}
	if (strcmp(k, "merge") == 0) {
		int64_t to = find(c, v);

		if (to == 0)
			return -1;
		if (to == c->entry) {
			buf_puts(&c->msg, "an entry cannot merge into itself");
			return -1;
		}
		return insert(c, k, &to, NULL, NULL, 0, NULL, 0);
	}
	if (strcmp(k, "retitle") == 0)
		return insert(c, k, NULL, v, NULL, 0, NULL, 0);
	if (strcmp(k, "article") == 0) {
		c->article_line = c->line;
		return article(c, v);
	}
	if (strcmp(k, "answer") == 0)
		return answer(c, v);
	if (strcmp(k, "author") == 0) {
		free(c->author);
		c->author = xstrdup(v);
		c->author_line = c->line;
		return 0;
	}
	if (strcmp(k, "dismiss") == 0) {
		char kind[32];
		double score;
		char extra;

		if (sscanf(v, "%31s %lf %c", kind, &score, &extra) != 2 ||
		    score < 0) {
			buf_puts(&c->msg, "expected 'dismiss = KIND SCORE' "
			    "(the flag's kind and its score when dismissed)");
			return -1;
		}
		for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
			if (strcmp(kinds[i], kind) == 0)
				return insert(c, k, NULL, NULL, NULL, 0, kind,
				    score);
		buf_printf(&c->msg, "unknown flag kind '%s' (rising, gap, "
		    "suspect_answer, unanswered)", kind);
		return -1;
	}
	buf_printf(&c->msg, "unknown key '%s' (pin, hide, merge, retitle, "
	    "article, author, answer, dismiss)", k);
	return -1;
}

/* Ends a section: an article needs its writer, and a writer an article. */
static int
end_section(struct cur *c)
{
	int rc = 0;

	if (c->article_line && c->author == NULL) {
		c->line = c->article_line;
		buf_puts(&c->msg, "an article needs 'author = NAME' (its "
		    "writer, credited on the page)");
		rc = -1;
	} else if (c->author && !c->article_line) {
		c->line = c->author_line;
		buf_puts(&c->msg, "'author' without an article");
		rc = -1;
	} else if (c->author) {
		sqlite3_stmt *q = store_stmt(c->st, SQL_C_ARTICLE);

		bind_int(q, 1, c->entry);
		bind_text(q, 2, c->author, strlen(c->author));
		rc = store_done(c->st, q);
	}
	free(c->author);
	c->author = NULL;
	c->article_line = c->author_line = 0;
	buf_reset(&c->seen);
	return rc;
}

/* A [section] line; returns 0 or -1 with c->msg set. */
static int
section(struct cur *c, char *s)
{
	char *e = strchr(s, ']');
	int l = c->line;

	if (e == NULL || config_trim(e + 1)[0] != '\0') {
		buf_puts(&c->msg, "expected [SOURCE:ID] or [phrases]");
		return -1;
	}
	*e = '\0';
	if (end_section(c) < 0)
		return -1;
	c->line = l;
	s = config_trim(s + 1);
	c->phrases = strcmp(s, "phrases") == 0;
	c->entry = 0;
	if (!c->phrases && (c->entry = find(c, s)) == 0)
		return -1;
	return 0;
}

static int
parse(struct cur *c, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *why = NULL;
	char line[4096];
	int r;

	while ((r = config_next_line(&p, end, line, sizeof line, &why))) {
		char *s, *eq;

		c->line++;
		if (r < 0) {
			buf_puts(&c->msg, why);
			return -1;
		}
		if (utf8_check(line, strlen(line)) != strlen(line)) {
			buf_puts(&c->msg, "invalid UTF-8");
			return -1;
		}
		s = config_trim(line);
		if (c->line == 1 && strncmp(s, "\xef\xbb\xbf", 3) == 0)
			s += 3;
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			if (section(c, s) < 0)
				return -1;
			continue;
		}
		if ((eq = strchr(s, '=')) == NULL) {
			buf_puts(&c->msg, "expected 'key = value', a [section] "
			    "or a comment");
			return -1;
		}
		*eq = '\0';
		if (*config_trim(eq + 1) == '\0') {
			buf_printf(&c->msg, "empty value for '%s'",
			    config_trim(s));
			return -1;
		}
		if (key(c, config_trim(s), config_trim(eq + 1)) < 0) {
			if (c->msg.len == 0)
				buf_puts(&c->msg, "store error");
			return -1;
		}
	}
	return end_section(c);
}

int
ingest_curation_text(struct store *st, const char *path, const char *text,
    size_t len)
{
	struct cur c;
	char *slash;
	int rc = -1;

	memset(&c, 0, sizeof c);
	c.st = st;
	c.path = path ? path : "";
	buf_init(&c.seen);
	buf_init(&c.msg);
	c.dir = xstrdup(c.path);
	if ((slash = strrchr(c.dir, '/')) != NULL)
		*slash = '\0';
	else
		c.dir[0] = '\0';
	if (store_begin(st) < 0)
		goto out;
	if (store_exec(st, SQL_C_DEL) < 0 || store_exec(st, SQL_C_DELPH) < 0)
		goto fail;
	if (path && parse(&c, text, len) < 0) {
		fq_err("%s:%d: %s", path, c.line, c.msg.data);
		goto fail;
	}
	if (store_commit(st) < 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	store_rollback(st);
out:
	free(c.author);
	free(c.dir);
	buf_release(&c.seen);
	buf_release(&c.msg);
	return rc;
}

int
ingest_curation(struct store *st, const char *path)
{
	struct buf text = BUF_INIT;
	char why[SAFEFILE_WHY];
	int rc = -1;

	if (path && safefile_read(path, NULL, SAFEFILE_CURATION_MAX, &text,
	    why) < 0)
		fq_err("%s: %s", path, why);
	else
		rc = ingest_curation_text(st, path, text.data, text.len);
	buf_release(&text);
	return rc;
}
