/*
 * serve: a local preview of a built site over loopback only, with
 * Debian's libmicrohttpd.  GET and HEAD of files under the folder;
 * "/x/" serves "/x/index.html"; anything missing gets 404.html with
 * status 404.  Every request is untrusted (docs/security.md):
 *   - its Host must name the address served (servepath.c), else 421;
 *   - its path is decoded and checked by render_serve_path, and the
 *     file opened beneath the folder with no symlink at any component
 *     (beneath.c), so nothing outside the folder is ever served;
 *   - a redirect goes only to a path-absolute Location built from the
 *     checked path, never to another host;
 *   - connections are bounded per client address and in all, and idle
 *     ones are closed soon, so held-open sockets cannot lock others out.
 */
#define _GNU_SOURCE
#include "render.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/xmalloc.h"
#include "render_int.h"

/* Connection bounds.  Browsers open at most 6 connections per host, so
 * 32 per client address is generous; the total stays well below the
 * default 1024 descriptors, each connection holding at most a socket
 * and a file.  An idle connection is closed after 5 s (Apache's
 * keep-alive default): a browser reconnects without a sound, and held-
 * open sockets free their slots soon. */
#define PER_IP_LIMIT 32u
#define CONNECTION_LIMIT 400u
#define IDLE_TIMEOUT_S 5u

/*
 * libmicrohttpd is loaded when serving, not linked: it brings GnuTLS
 * and seven more libraries, whose loading cost every other command
 * 2.2 ms of a 5.6 ms start-up, and only this preview needs them.
 */
#define MHD_SONAME "libmicrohttpd.so.12"

static struct {
	void *lib;
	__typeof__(MHD_start_daemon) *start_daemon;
	__typeof__(MHD_stop_daemon) *stop_daemon;
	__typeof__(MHD_get_daemon_info) *get_daemon_info;
	__typeof__(MHD_lookup_connection_value) *lookup_connection_value;
	__typeof__(MHD_get_connection_values) *get_connection_values;
	__typeof__(MHD_get_connection_info) *get_connection_info;
	__typeof__(MHD_create_response_from_fd) *create_response_from_fd;
	__typeof__(MHD_create_response_from_buffer) *create_response_from_buffer;
	__typeof__(MHD_add_response_header) *add_response_header;
	__typeof__(MHD_queue_response) *queue_response;
	__typeof__(MHD_destroy_response) *destroy_response;
} mhd;

static int
mhd_load(void)
{
	const char *missing = NULL;

	if ((mhd.lib = dlopen(MHD_SONAME, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		fq_err("serve: %s (install libmicrohttpd12)", dlerror());
		return -1;
	}
	/* POSIX's way to store a dlsym result in a function pointer. */
#define SYM(f) \
	if (missing == NULL && \
	    (*(void **)&mhd.f = dlsym(mhd.lib, "MHD_" #f)) == NULL) \
		missing = "MHD_" #f
	SYM(start_daemon);
	SYM(stop_daemon);
	SYM(get_daemon_info);
	SYM(lookup_connection_value);
	SYM(get_connection_values);
	SYM(get_connection_info);
	SYM(create_response_from_fd);
	SYM(create_response_from_buffer);
	SYM(add_response_header);
	SYM(queue_response);
	SYM(destroy_response);
#undef SYM
	if (missing) {
		fq_err("serve: %s: no %s", MHD_SONAME, missing);
		dlclose(mhd.lib);
		mhd.lib = NULL;
		return -1;
	}
	return 0;
}

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* zip: worth gzipping (text; the search shards are mostly words). */
static const struct {
	const char *ext, *type;
	int zip;
} types[] = {
	{ ".html", "text/html; charset=utf-8", 1 },
	{ ".css", "text/css; charset=utf-8", 1 },
	{ ".js", "text/javascript; charset=utf-8", 1 },
	{ ".mjs", "text/javascript; charset=utf-8", 1 },
	{ ".json", "application/json", 1 },
	{ ".xml", "application/xml; charset=utf-8", 1 },
	{ ".txt", "text/plain; charset=utf-8", 1 },
	{ ".svg", "image/svg+xml", 1 },
	{ ".png", "image/png", 0 },
	{ ".jpg", "image/jpeg", 0 },
	{ ".ico", "image/x-icon", 0 },
	{ ".woff2", "font/woff2", 0 },
	{ ".bin", "application/octet-stream", 1 },
};

/* The Content-Type of path, and in *zip whether to gzip it. */
static const char *
type_of(const char *path, int *zip)
{
	size_t n = strlen(path), i;

	*zip = 1;
	if (n >= 14 && strcmp(path + n - 14, "opensearch.xml") == 0)
		return "application/opensearchdescription+xml";
	if (n >= 8 && strcmp(path + n - 8, "feed.xml") == 0)
		return "application/atom+xml; charset=utf-8";
	for (i = 0; i < sizeof types / sizeof types[0]; i++) {
		size_t e = strlen(types[i].ext);

		if (n >= e && strcmp(path + n - e, types[i].ext) == 0) {
			*zip = types[i].zip;
			return types[i].type;
		}
	}
	*zip = 0;
	return "application/octet-stream";
}

struct srv {
	const char *dir; /* reopened per request: a rebuild swaps it */
	int dirfd;
};

/* Appends each Accept-Encoding line to the list cls: repeated lines
 * are one comma-separated list (RFC 9110 5.3). */
static enum MHD_Result
join_accept(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct buf *b = cls;

	(void)kind;
	if (key && value && strcasecmp(key,
	    MHD_HTTP_HEADER_ACCEPT_ENCODING) == 0) {
		if (b->len)
			buf_puts(b, ", ");
		buf_puts(b, value);
	}
	return MHD_YES;
}

/* Whether the request's Accept-Encoding lines, joined, accept gzip. */
static int
accepts_gzip(struct MHD_Connection *c)
{
	struct buf b = BUF_INIT;
	int ok;

	mhd.get_connection_values(c, MHD_HEADER_KIND, join_accept, &b);
	ok = b.len > 0 && render_serve_gzip_ok(b.data);
	buf_release(&b);
	return ok;
}

/* The response for the file fd: gzipped when the type is text and the
 * client accepts it, else the file as stored.  Closes fd either way
 * (libmicrohttpd owns it once a response is made from it). */
static struct MHD_Response *
file_response(struct MHD_Connection *c, int fd, const struct stat *sb,
    int zip)
{
	struct MHD_Response *r;
	unsigned char *gz = NULL;
	size_t n = 0;

	if (zip && accepts_gzip(c))
		gz = render_gzip_file(fd, (size_t)sb->st_size, &n);
	if (gz == NULL) {
		if ((r = mhd.create_response_from_fd((uint64_t)sb->st_size,
		    fd)) == NULL)
			close(fd);
		return r;
	}
	close(fd);
	r = mhd.create_response_from_buffer(n, gz, MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(gz);
	} else if (mhd.add_response_header(r, "Content-Encoding", "gzip") !=
	    MHD_YES) {
		/* A gzip body must never go out unlabelled. */
		mhd.destroy_response(r);
		r = NULL;
	}
	return r;
}

static enum MHD_Result
send_fd(struct MHD_Connection *c, int fd, const struct stat *sb,
    const char *name, unsigned status)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	int zip;
	const char *type = type_of(name, &zip);

	if ((r = file_response(c, fd, sb, zip)) == NULL)
		return MHD_NO;
	mhd.add_response_header(r, "Content-Type", type);
	if (zip) /* caches must keep the two encodings apart */
		mhd.add_response_header(r, "Vary", "Accept-Encoding");
	mhd.add_response_header(r, "X-Content-Type-Options", "nosniff");
	mhd.add_response_header(r, "Cache-Control", "no-cache");
	ret = mhd.queue_response(c, status, r);
	mhd.destroy_response(r);
	return ret;
}

static enum MHD_Result
send_text(struct MHD_Connection *c, unsigned status, const char *text)
{
	struct MHD_Response *r = mhd.create_response_from_buffer(strlen(text),
	    (void *)text, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (r == NULL)
		return MHD_NO; /* out of memory: the connection is closed */
	mhd.add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
	ret = mhd.queue_response(c, status, r);
	mhd.destroy_response(r);
	return ret;
}

/* The site's 404 page with status 404, or a line of text without one. */
static enum MHD_Result
send_not_found(struct srv *srv, struct MHD_Connection *c)
{
	struct stat sb;
	int fd = render_open_beneath(srv->dirfd, "404.html", &sb);

	if (fd < 0)
		return send_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
	return send_fd(c, fd, &sb, "404.html", MHD_HTTP_NOT_FOUND);
}

/* libmicrohttpd decodes the path into a C string, where "%00" cuts it
 * short; render_serve_path decodes it itself, seeing every byte. */
static size_t
unescape_none(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

/* Redirects the folder rel, asked for without its '/', to "/rel/" so
 * that its relative links work. */
static enum MHD_Result
send_redirect(struct MHD_Connection *c, const char *rel)
{
	char *loc = render_serve_location(rel);
	struct MHD_Response *r = mhd.create_response_from_buffer(0, NULL,
	    MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret = MHD_NO; /* out of memory: connection closed */

	if (r != NULL) {
		mhd.add_response_header(r, "Location", loc);
		ret = mhd.queue_response(c, MHD_HTTP_MOVED_PERMANENTLY, r);
		mhd.destroy_response(r);
	}
	free(loc);
	return ret;
}

/* Whether rel, asked for without a trailing '/', is a folder of the
 * site with an index.html (the request then gets a redirect). */
static int
has_index(int dirfd, const char *rel)
{
	struct buf path = BUF_INIT;
	struct stat sb;
	int fd;

	if (*rel == '\0' || rel[strlen(rel) - 1] == '/')
		return 0;
	buf_printf(&path, "%s/index.html", rel);
	fd = render_open_beneath(dirfd, path.data, &sb);
	buf_release(&path);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

/* Serves the file the checked path rel names, a redirect if it names a
 * folder without its '/', or the 404 page. */
static enum MHD_Result
send_path(struct srv *srv, struct MHD_Connection *c, const char *rel)
{
	struct buf path = BUF_INIT;
	struct stat sb;
	enum MHD_Result ret;
	int fd;

	buf_puts(&path, rel);
	if (path.len == 0 || path.data[path.len - 1] == '/')
		buf_puts(&path, "index.html");
	if ((fd = render_open_beneath(srv->dirfd, path.data, &sb)) >= 0)
		ret = send_fd(c, fd, &sb, path.data, MHD_HTTP_OK);
	else if (has_index(srv->dirfd, rel))
		ret = send_redirect(c, rel);
	else
		ret = send_not_found(srv, c);
	buf_release(&path);
	return ret;
}

/* The port the daemon of c listens on (what --port 0 picked). */
static int
bound_port(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = mhd.get_connection_info(c,
	    MHD_CONNECTION_INFO_DAEMON);
	const union MHD_DaemonInfo *di = ci ? mhd.get_daemon_info(ci->daemon,
	    MHD_DAEMON_INFO_BIND_PORT) : NULL;

	return di ? di->port : -1;
}

static enum MHD_Result
handle_in(struct srv *srv, struct MHD_Connection *c, const char *url,
    const char *method)
{
	const char *host = mhd.lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_HOST);
	enum MHD_Result ret;
	char *rel;

	if (!render_serve_host_ok(host, bound_port(c)))
		return send_text(c, MHD_HTTP_MISDIRECTED_REQUEST,
		    "misdirected request\n");
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return send_text(c, MHD_HTTP_METHOD_NOT_ALLOWED,
		    "method not allowed\n");
	if (srv->dirfd < 0)
		return send_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
	if ((rel = render_serve_path(url, strlen(url))) == NULL)
		return send_not_found(srv, c);
	ret = send_path(srv, c, rel);
	free(rel);
	return ret;
}

/* The request handler: each request sees the folder as it is now. */
static enum MHD_Result
handle(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *data,
    size_t *data_size, void **state)
{
	struct srv req = *(struct srv *)cls;
	enum MHD_Result ret;

	(void)version;
	(void)data;
	(void)data_size;
	(void)state;
	req.dirfd = open(req.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ret = handle_in(&req, c, url, method);
	if (req.dirfd >= 0)
		close(req.dirfd);
	return ret;
}

int
render_serve(const char *dir, int port)
{
	struct MHD_Daemon *d;
	struct sockaddr_in sa;
	struct sigaction act;
	struct srv srv;
	const union MHD_DaemonInfo *info;

	if (mhd_load() < 0)
		return -1;
	srv.dir = dir;
	srv.dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (srv.dirfd < 0) {
		fq_err("%s: %s", dir, strerror(errno));
		dlclose(mhd.lib);
		return -1;
	}
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* No MHD_USE_ERROR_LOG: errors are our one line.  MHD_USE_AUTO picks
	 * epoll on Linux, which select's 1024-descriptor ceiling does not
	 * bound. */
	d = mhd.start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO,
	    (uint16_t)port, NULL, NULL, handle, &srv,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	    MHD_OPTION_CONNECTION_TIMEOUT, IDLE_TIMEOUT_S,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, PER_IP_LIMIT,
	    MHD_OPTION_CONNECTION_LIMIT, CONNECTION_LIMIT,
	    MHD_OPTION_UNESCAPE_CALLBACK, unescape_none, NULL,
	    MHD_OPTION_END);
	if (d == NULL) {
		fq_err("127.0.0.1:%d: cannot listen (port in use?)", port);
		close(srv.dirfd);
		dlclose(mhd.lib);
		return -1;
	}
	info = mhd.get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	if (info && info->port)
		port = info->port;
	memset(&act, 0, sizeof act);
	act.sa_handler = on_signal;
	sigaction(SIGINT, &act, NULL);
	sigaction(SIGTERM, &act, NULL);
	printf("serving %s at http://127.0.0.1:%d/ (Ctrl-C to stop)\n", dir,
	    port);
	fflush(stdout);
	while (!stop)
		pause();
	mhd.stop_daemon(d);
	close(srv.dirfd);
	dlclose(mhd.lib);
	return 0;
}
