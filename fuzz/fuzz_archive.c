/*
 * libFuzzer target for ingest/input.c, the layer under every source
 * reader.  The input is written into a scratch folder as "in" (opened as
 * an archive: libarchive tells .7z, .tar, .tar.xz, .zip and the rest
 * from the bytes) and as "in.json" (a lone data file); then the archive,
 * the lone file and the folder are each visited and every member read
 * to its end through struct member, in reads of varying sizes.  Work per
 * input is bounded like a reader's: at most MAX_MEMBERS members and
 * MAX_BYTES bytes, then the visit stops early.  Any input gives 0, 1 or
 * -1 with one error line; members keep the contract of the input
 * section of ingest_int.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"
#include "ingest/ingest_int.h"

#define MAX_MEMBERS 256
#define MAX_BYTES (4 << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char top[64], arch[96], lone[96];

struct visit {
	size_t members, bytes;
};

static void
cleanup(void)
{
	unlink(arch);
	unlink(lone);
	rmdir(top);
}

static int
want_all(const char *name)
{
	return name != NULL;
}

static int
want_data(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && strcmp(name + n - 5, ".json") == 0;
}

/* A name shown in messages holds no control character (it could forge
 * an error line or drive the terminal). */
static int
shown(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/* Reads one member to its end (or the budget), checking what
 * ingest_int.h (input) promises: a base name, a display name fit for
 * messages, reads within the buffer, `consumed` their sum, and a reason
 * for every failed read. */
static int
on_member(void *arg, struct member *m)
{
	struct visit *v = arg;
	static char p[8192];
	size_t want, sum = 0;
	ssize_t r;

	if (m->name == NULL || m->display == NULL || strchr(m->name, '/') ||
	    !shown(m->display) || m->consumed != 0)
		abort();
	if (++v->members > MAX_MEMBERS)
		return 1;
	for (;;) {
		want = 1 + (v->bytes + v->members * 7) % sizeof p;
		r = m->read(m, p, want);
		if (r < 0) {
			if (input_error(m) == NULL)
				abort();
			fq_err("%s: %s", m->display, input_error(m));
			return -1;
		}
		if ((size_t)r > want)
			abort();
		sum += (size_t)r;
		if (m->consumed != sum)
			abort();
		if (r == 0)
			return 0;
		if ((v->bytes += (size_t)r) > MAX_BYTES)
			return 1;
	}
}

static void
visit(const char *path, int (*want)(const char *))
{
	struct visit v = { 0, 0 };
	int rc = input_each(path, want, on_member, &v);

	if (rc < -1 || rc > 1)
		abort();
}

static void
put(const char *path, const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (top[0] == '\0') {
		snprintf(top, sizeof top, "/tmp/fuzz-archive-XXXXXX");
		if (mkdtemp(top) == NULL)
			abort();
		snprintf(arch, sizeof arch, "%s/in", top);
		snprintf(lone, sizeof lone, "%s/in.json", top);
		fq_quiet = 1;
		atexit(cleanup);
	}
	put(arch, data, size);
	put(lone, data, size);
	visit(arch, want_all);
	visit(lone, want_all);
	visit(top, want_data);
	return 0;
}
