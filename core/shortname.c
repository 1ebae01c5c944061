#include "shortname.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "store.h"
#include "xmalloc.h"

char *
shortname_base(const char *name)
{
	static const char sfx[] = ".stackexchange.com";
	size_t n = strlen(name), sl = sizeof sfx - 1, i;
	char *s;

	if (n > sl && strcmp(name + n - sl, sfx) == 0)
		n -= sl;
	s = xstrndup(name, n);
	for (i = 0; s[i]; i++) {
		char c = s[i];

		if (c >= 'A' && c <= 'Z')
			s[i] = (char)(c + 32);
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || (c == '.' && i > 0)))
			s[i] = '-';
	}
	return s;
}

static const char SQL_UNNAMED[] =
    "SELECT id, name FROM sources WHERE short IS NULL ORDER BY id LIMIT 1";
static const char SQL_TAKEN[] = "SELECT 1 FROM sources WHERE short=?1";
static const char SQL_SET_SHORT[] = "UPDATE sources SET short=?2 WHERE id=?1";

static int
taken(struct store *st, const char *s)
{
	sqlite3_stmt *q = store_stmt(st, SQL_TAKEN);
	int rc;

	bind_text(q, 1, s, strlen(s));
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Names source `id`: its base, or the first free base-N from 2. */
static int
name_one(struct store *st, int64_t id, const char *name)
{
	char *base = shortname_base(name);
	struct buf s = BUF_INIT;
	sqlite3_stmt *q;
	int n = 1, t, rc = -1;

	buf_puts(&s, base);
	while ((t = taken(st, s.data)) == 1) {
		buf_reset(&s);
		buf_printf(&s, "%s-%d", base, ++n);
	}
	if (t == 0) {
		q = store_stmt(st, SQL_SET_SHORT);
		bind_int(q, 1, id);
		bind_text(q, 2, s.data, s.len);
		rc = store_done(st, q);
	} else {
		store_fail(st);
	}
	free(base);
	buf_release(&s);
	return rc;
}

int
shortname_assign(struct store *st)
{
	sqlite3_stmt *q;
	int64_t id;
	char *name;
	int rc;

	for (;;) {
		q = store_stmt(st, SQL_UNNAMED);
		if ((rc = sqlite3_step(q)) != SQLITE_ROW) {
			sqlite3_reset(q);
			return rc == SQLITE_DONE ? 0 : store_fail(st);
		}
		id = sqlite3_column_int64(q, 0);
		name = xstrdup((const char *)sqlite3_column_text(q, 1));
		sqlite3_reset(q);
		rc = name_one(st, id, name);
		free(name);
		if (rc < 0)
			return -1;
	}
}
