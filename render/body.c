/*
 * body: a post's sanitized HTML as an entry shows it.  Links to
 * questions of the same site point at their local entries, relative
 * links are resolved against the thread's original URL, images become
 * links to them (no request to another host), and the plain text of a
 * question becomes the page's description.
 */
#include "render.h"

#include <stdint.h>
#include <string.h>

#include "core/buf.h"
#include "core/escape.h"
#include "core/store.h"
#include "render/render_int.h"

static int
strip_prefix(const char **p, const char *end, const char *pre)
{
	size_t n = strlen(pre);

	if ((size_t)(end - *p) >= n && strncmp(*p, pre, n) == 0) {
		*p += n;
		return 1;
	}
	return 0;
}

static const char SQL_ANSWER_THREAD[] =
    "SELECT thread_ext FROM posts WHERE source_id=?1 AND ext_id=?2";

/* The local page for a link to question or answer `id` of the thread's
 * own site, or -1.  Hosts: the site's own name, or another
 * *.stackexchange.com name (a site's former name) when the links table
 * confirms the target. */
static int
local_target(struct worker *w, int ti, const char *u, const char *end)
{
	struct site *s = w->s;
	const struct thr *t = &s->t[ti];
	const char *site = s->srcs[t->src].name, *host, *h_end;
	int answer = 0, own = 1, j;
	int64_t id = 0;

	if (!strip_prefix(&u, end, "https:"))
		strip_prefix(&u, end, "http:");
	if (strip_prefix(&u, end, "//")) {
		host = u;
		while (u < end && *u != '/')
			u++;
		h_end = u;
		own = (size_t)(h_end - host) == strlen(site) &&
		    strncmp(host, site, (size_t)(h_end - host)) == 0;
		if (!own && !((size_t)(h_end - host) > 18 &&
		    strncmp(h_end - 18, ".stackexchange.com", 18) == 0))
			return -1;
	} else if (u == end || *u != '/') {
		return -1;
	}
	if (strip_prefix(&u, end, "/questions/") ||
	    strip_prefix(&u, end, "/q/"))
		answer = 0;
	else if (strip_prefix(&u, end, "/a/"))
		answer = 1;
	else
		return -1;
	while (u < end && *u >= '0' && *u <= '9' && id < 1000000000000LL)
		id = id * 10 + (*u++ - '0');
	if (id == 0 || (u < end && *u != '/' && *u != '?' && *u != '#'))
		return -1;
	if (answer) {
		sqlite3_stmt *q = store_stmt(w->st, SQL_ANSWER_THREAD);

		bind_int(q, 1, t->source_id);
		bind_int(q, 2, id);
		if (sqlite3_step(q) == SQLITE_ROW)
			id = sqlite3_column_int64(q, 0);
		else
			id = -1;
		sqlite3_reset(q);
		if (id < 0)
			return -1;
	}
	j = model_thread(s, t->source_id, id);
	if (j < 0 || (!own && !ilist_has(&t->links, j)))
		return -1;
	return model_target(s, j);
}

static const char *
find_attr(const char *tag, const char *end, const char *name, size_t *n)
{
	size_t nl = strlen(name);
	const char *p = tag;

	while (p < end) {
		const char *q;

		if ((p == tag || p[-1] == ' ') && (size_t)(end - p) > nl + 1 &&
		    strncmp(p, name, nl) == 0 && p[nl] == '=' &&
		    p[nl + 1] == '"') {
			p += nl + 2;
			q = memchr(p, '"', (size_t)(end - p));
			if (q == NULL)
				return NULL;
			*n = (size_t)(q - p);
			return p;
		}
		p++;
	}
	return NULL;
}

/* Whether an href (as the sanitizer wrote it) is relative to the page it
 * was written on: no scheme, not protocol-relative, not a fragment. */
static int
is_relative(const char *h, size_t n)
{
	size_t i;

	if (n == 0 || h[0] == '#' || (n > 1 && h[0] == '/' && h[1] == '/'))
		return 0;
	for (i = 0; i < n && h[i] != '/' && h[i] != '?' && h[i] != '#'; i++)
		if (h[i] == ':')
			return 0;
	return 1;
}

/* Appends href resolved against the original thread's URL, as the
 * author's browser did: "/x" against its origin, "x" against its
 * folder.  Without a URL to resolve against, the link cannot work here
 * or there: it becomes "#".  The href is already attribute-escaped. */
static void
resolve_url(const char *base, const char *h, size_t n, struct buf *out)
{
	const char *host, *path, *slash;

	if (base == NULL || (host = strstr(base, "://")) == NULL) {
		buf_putc(out, '#');
		return;
	}
	host += 3;
	path = strchr(host, '/');
	if (h[0] == '/') {
		esc_attr(out, base, path ? (size_t)(path - base) : strlen(base));
	} else {
		slash = strrchr(path ? path : host, '/');
		if (slash == NULL) {
			esc_attr(out, base, strlen(base));
			buf_putc(out, '/');
		} else {
			esc_attr(out, base, (size_t)(slash + 1 - base));
		}
	}
	buf_put(out, h, n);
}

/*
 * Copies a sanitized body to out with two changes: links to questions
 * of the same site point at their local pages, and images (which would
 * be requests to another host) become links to them.  The sanitizer's
 * output is regular: lowercase tags, attributes in double quotes with
 * '"', '<' and '>' escaped, so a tag ends at the first '>'.
 */
void
body_fix(struct worker *w, int ti, const char *root, const char *h,
    size_t n, struct buf *out)
{
	const char *p = h, *end = h + n;
	int in_a = 0;

	while (p < end) {
		const char *lt = memchr(p, '<', (size_t)(end - p)), *gt;

		if (lt == NULL) {
			buf_put(out, p, (size_t)(end - p));
			break;
		}
		buf_put(out, p, (size_t)(lt - p));
		gt = memchr(lt, '>', (size_t)(end - lt));
		if (gt == NULL) {
			buf_put(out, lt, (size_t)(end - lt));
			break;
		}
		gt++;
		if (strncmp(lt, "<a ", 3) == 0 || strncmp(lt, "<a>", 3) == 0) {
			size_t hn = 0;
			const char *href = find_attr(lt, gt, "href", &hn);
			int c = href ? local_target(w, ti, href, href + hn) : -1;

			in_a = 1;
			if (c >= 0) {
				buf_put(out, lt, (size_t)(href - lt));
				buf_puts(out, root);
				plan_entry_path(w->s, c, out);
				buf_put(out, href + hn, (size_t)(gt - href - hn));
			} else if (href && is_relative(href, hn)) {
				buf_put(out, lt, (size_t)(href - lt));
				resolve_url(w->s->t[ti].url, href, hn, out);
				buf_put(out, href + hn, (size_t)(gt - href - hn));
			} else {
				buf_put(out, lt, (size_t)(gt - lt));
			}
		} else if (strncmp(lt, "</a>", 4) == 0) {
			in_a = 0;
			buf_put(out, lt, (size_t)(gt - lt));
		} else if (strncmp(lt, "<img ", 5) == 0) {
			size_t sn = 0, an = 0;
			const char *src = find_attr(lt, gt, "src", &sn);
			const char *alt = find_attr(lt, gt, "alt", &an);
			const char *label = theme_loc(w->s, "image");

			if (!in_a && src) {
				buf_puts(out, "<a class=\"img\" href=\"");
				buf_put(out, src, sn);
				buf_puts(out, "\" rel=\"nofollow ugc noopener\">");
			} else {
				buf_puts(out, "<span class=\"img\">");
			}
			buf_puts(out, "[");
			esc_html(out, label, strlen(label));
			if (alt && an) {
				buf_puts(out, ": ");
				buf_put(out, alt, an);
			}
			buf_puts(out, !in_a && src ? "]</a>" : "]</span>");
		} else {
			buf_put(out, lt, (size_t)(gt - lt));
		}
		p = gt;
	}
}

/* Plain text of some HTML, entities left as they are (they are valid
 * in an attribute), whitespace collapsed, cut near max bytes. */
void
body_plain_text(const char *h, size_t n, size_t max, struct buf *out)
{
	size_t i;
	int in_tag = 0, space = 0;

	for (i = 0; i < n && out->len < max; i++) {
		char c = h[i];

		if (c == '<') {
			in_tag = 1;
			space = 1;
			continue;
		}
		if (c == '>') {
			in_tag = 0;
			continue;
		}
		if (in_tag)
			continue;
		if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
			space = 1;
			continue;
		}
		if (space && out->len)
			buf_putc(out, ' ');
		space = 0;
		if (c == '"')
			buf_puts(out, "&quot;");
		else
			buf_putc(out, c);
	}
	/* Do not cut inside a UTF-8 sequence or an entity. */
	while (out->len && ((unsigned char)out->data[out->len - 1] & 0xc0) ==
	    0x80)
		out->len--;
	if (out->len && (unsigned char)out->data[out->len - 1] >= 0xc0)
		out->len--;
	for (i = out->len; i > 0 && out->len - i < 10; i--) {
		if (out->data[i - 1] == ';')
			break;
		if (out->data[i - 1] == '&') {
			out->len = i - 1;
			break;
		}
	}
	out->data[out->len] = '\0';
}
