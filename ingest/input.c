#include "ingest_int.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/path.h"
#include "core/safefile.h"
#include "core/utf8.h"
#include "core/xmalloc.h"

struct fimpl {
	int fd;
	char err[256];
};

struct aimpl {
	struct archive *a;
	char err[256];
};

static ssize_t
file_read(struct member *m, char *p, size_t n)
{
	struct fimpl *f = m->impl;
	ssize_t r;

	do
		r = read(f->fd, p, n);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		snprintf(f->err, sizeof f->err, "%s", strerror(errno));
		return -1;
	}
	m->consumed += (size_t)r;
	return r;
}

static ssize_t
archive_member_read(struct member *m, char *p, size_t n)
{
	struct aimpl *ai = m->impl;
	la_ssize_t r = archive_read_data(ai->a, p, n);

	if (r < 0) {
		snprintf(ai->err, sizeof ai->err, "%s",
		    archive_error_string(ai->a) ? archive_error_string(ai->a)
						: "archive read error");
		return -1;
	}
	m->consumed += (size_t)r;
	return r;
}

const char *
input_error(struct member *m)
{
	/* Both impls start with their error text at the same place only by
	 * accident; ask each explicitly. */
	if (m->read == file_read)
		return ((struct fimpl *)m->impl)->err[0]
		    ? ((struct fimpl *)m->impl)->err : NULL;
	return ((struct aimpl *)m->impl)->err[0]
	    ? ((struct aimpl *)m->impl)->err : NULL;
}

/* Appends s for messages.  Names in an archive or a folder come from the
 * source: a control character (C0, DEL, C1) or invalid UTF-8 in one
 * would forge a second error line or drive the terminal, so each such
 * character is shown as '?'. */
static void
put_shown(struct buf *b, const char *s)
{
	size_t n = strlen(s), i = 0, adv;
	long cp;

	while (i < n) {
		cp = utf8_decode(s + i, n - i, &adv);
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
			buf_putc(b, '?');
		else
			buf_put(b, s + i, adv);
		i += adv;
	}
}

static int
visit_file(const char *path, const char *name, member_fn fn, void *ctx)
{
	struct fimpl f = { -1, "" };
	struct member m = { 0 };
	struct buf disp = BUF_INIT;
	char why[SAFEFILE_WHY];
	int rc;

	put_shown(&disp, path);
	if ((f.fd = safefile_open(path, NULL, why)) < 0) {
		fq_err("%s: %s", disp.data, why);
		buf_release(&disp);
		return -1;
	}
	m.name = name;
	m.display = disp.data;
	m.read = file_read;
	m.impl = &f;
	rc = fn(ctx, &m);
	close(f.fd);
	buf_release(&disp);
	return rc;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
visit_dir(const char *path, int (*want)(const char *), member_fn fn,
    void *ctx)
{
	DIR *d = opendir(path);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, i;
	struct buf full = BUF_INIT;
	int rc = 0;

	if (d == NULL) {
		fq_err("%s: %s", path, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (!want(de->d_name))
			continue;
		names = xreallocarray(names, n + 1, sizeof *names);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	/* Sorted, so runs are reproducible whatever the file system does. */
	if (n > 1)
		qsort(names, n, sizeof *names, cmp_str);
	for (i = 0; i < n && rc == 0; i++) {
		buf_reset(&full);
		buf_printf(&full, "%s/%s", path, names[i]);
		rc = visit_file(full.data, names[i], fn, ctx);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	buf_release(&full);
	return rc;
}

/* libarchive converts entry names to the charset of the calling
 * thread's locale.  faqtory runs in the C locale (ASCII), where a UTF-8
 * name does not convert and the entry comes without one; so headers are
 * read under a UTF-8 locale when the system has one (`utf8`, or 0). */
static int
next_entry(struct archive *a, locale_t utf8, struct archive_entry **e,
    const char **name)
{
	locale_t old = utf8 ? uselocale(utf8) : (locale_t)0;
	int r = archive_read_next_header(a, e);
	const char *p = NULL;

	/* ARCHIVE_WARN is libarchive's partial success (a name it could
	 * not convert, an ACL it could not parse): the data is whole. */
	if (r == ARCHIVE_WARN)
		r = ARCHIVE_OK;
	if (r == ARCHIVE_OK)
		p = archive_entry_pathname(*e);
	*name = p ? path_base(p) : NULL;
	if (utf8)
		uselocale(old);
	return r;
}

static int
visit_archive(const char *path, int (*want)(const char *), member_fn fn,
    void *ctx)
{
	struct aimpl ai = { NULL, "" };
	struct archive_entry *e;
	struct member m = { 0 };
	struct buf disp = BUF_INIT;
	locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	const char *name;
	char why[SAFEFILE_WHY];
	int r, rc = 0, fd;

	if ((fd = safefile_open(path, NULL, why)) < 0) {
		put_shown(&disp, path);
		fq_err("%s: %s", disp.data, why);
		buf_release(&disp);
		if (utf8)
			freelocale(utf8);
		return -1;
	}
	ai.a = archive_read_new();
	archive_read_support_filter_all(ai.a);
	archive_read_support_format_all(ai.a);
	if (archive_read_open_fd(ai.a, fd, 1 << 16) != ARCHIVE_OK) {
		fq_err("%s: %s", path, archive_error_string(ai.a));
		rc = -1;
		goto out;
	}
	while ((r = next_entry(ai.a, utf8, &e, &name)) == ARCHIVE_OK) {
		if (name == NULL || archive_entry_filetype(e) != AE_IFREG ||
		    !want(name))
			continue;
		buf_reset(&disp);
		buf_printf(&disp, "%s:", path_base(path));
		put_shown(&disp, name);
		memset(&m, 0, sizeof m);
		m.name = name;
		m.display = disp.data;
		m.read = archive_member_read;
		m.impl = &ai;
		if ((rc = fn(ctx, &m)) != 0)
			goto out;
	}
	if (r != ARCHIVE_EOF) {
		const char *msg = archive_error_string(ai.a);

		fq_err("%s: %s", path, msg ? msg : "not a readable archive");
		rc = -1;
	}
out:
	archive_read_free(ai.a);
	close(fd);
	buf_release(&disp);
	if (utf8)
		freelocale(utf8);
	return rc;
}

static int
has_suffix(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);

	return n > k && strcasecmp(s + n - k, suf) == 0;
}

int
input_is_json(const char *name)
{
	return has_suffix(name, strlen(name), ".json");
}

int
input_is_jsonl(const char *name)
{
	size_t n = strlen(name);

	return has_suffix(name, n, ".jsonl") || has_suffix(name, n, ".ndjson");
}

int
input_each(const char *path, int (*want)(const char *name), member_fn fn,
    void *ctx)
{
	struct stat sb;
	const char *name = path_base(path);
	size_t len = strlen(name);

	if (stat(path, &sb) < 0) {
		fq_err("%s: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(sb.st_mode))
		return visit_dir(path, want, fn, ctx);
	/* A FIFO or a device would block or never end: refused at once
	 * (safefile_open refuses them again for what is actually opened). */
	if (!S_ISREG(sb.st_mode)) {
		struct buf disp = BUF_INIT;

		put_shown(&disp, path);
		fq_err("%s: not a regular file or folder", disp.data);
		buf_release(&disp);
		return -1;
	}
	/* A lone data file is read as itself; anything else as an archive
	 * (libarchive recognises the format from the bytes, not the name). */
	if (has_suffix(name, len, ".xml") || input_is_json(name) ||
	    input_is_jsonl(name))
		return visit_file(path, name, fn, ctx);
	return visit_archive(path, want, fn, ctx);
}
