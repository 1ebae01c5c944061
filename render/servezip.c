/*
 * servezip: gzip for `faqtory serve`.  A cold search on a phone reads
 * search.js, the meta file, a few shards and entry files: about 68 KB
 * as stored, half that gzipped (docs/search.md).  Any static host
 * compresses them; the preview does too, so what it measures is what
 * a customer would receive.
 *
 * The file is read whole and deflated per request (a site's files are
 * small; the largest the preview compresses is ZIP_MAX, above it the
 * file goes out as stored), so nothing is cached and a rebuild is seen
 * at once.  The output buffer is the caller's (free()).
 */
#include "render_int.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#include "core/xmalloc.h"

/* Bytes below which gzip's 18-byte frame is not worth it, and above
 * which a request's memory would grow with the file. */
#define ZIP_MIN 256
#define ZIP_MAX (4u << 20)

/* Reads size bytes of fd from offset 0 into buf; 0, or -1 on a short
 * read or an error (the file changed under us: send it as stored). */
static int
read_all(int fd, unsigned char *buf, size_t size)
{
	size_t got = 0;

	while (got < size) {
		ssize_t k = pread(fd, buf + got, size - got, (off_t)got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		got += (size_t)k;
	}
	return 0;
}

/* Deflates in[0..n) into a gzip member (level 6, zlib's default, the
 * level nginx and the bench assume); NULL if zlib fails. */
static unsigned char *
deflate_gzip(const unsigned char *in, size_t n, size_t *outlen)
{
	z_stream z = {0};
	unsigned char *out;
	uLong cap;
	int rc;

	/* 15 window bits + 16: a gzip header and trailer, not zlib's. */
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	cap = deflateBound(&z, (uLong)n);
	out = xmalloc(cap);
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	rc = deflate(&z, Z_FINISH);
	*outlen = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(out);
		return NULL;
	}
	return out;
}

unsigned char *
render_gzip_file(int fd, size_t size, size_t *outlen)
{
	unsigned char *in, *out;

	if (size < ZIP_MIN || size > ZIP_MAX)
		return NULL;
	in = xmalloc(size);
	out = read_all(fd, in, size) == 0 ?
	    deflate_gzip(in, size, outlen) : NULL;
	free(in);
	if (out != NULL && *outlen >= size) {
		free(out); /* incompressible: the stored bytes are smaller */
		out = NULL;
	}
	return out;
}
