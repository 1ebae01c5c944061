/*
 * body: a post's sanitized HTML as an entry shows it.  Links to
 * questions of the same site point at their local entries (ingest
 * resolved which links those are: this file parses no URL), relative
 * links are resolved against the thread's original URL, images become
 * links to them (no request to another host), and the plain text of a
 * question becomes the page's description.
 */
#include "render.h"

#include <stdint.h>
#include <string.h>

#include "core/buf.h"
#include "core/escape.h"
#include "core/htmltext.h"
#include "core/store.h"
#include "core/xmalloc.h"
#include "render/render_int.h"

/* The links of one entry page that name a thread of its site, as
 * ingest resolved them (post_links, docs/sources.md): the primary key
 * keeps each page's rows in href order, which SQLite's BINARY collation
 * defines as memcmp and then length: body_target searches that order. */
static const char SQL_PAGE_LINKS[] =
    "SELECT href, to_ext FROM post_links WHERE source_id=?1 AND from_ext=?2"
    " ORDER BY href";

int
body_links(struct worker *w, int ti)
{
	const struct site *s = w->s;
	const struct thr *t = &s->t[ti];
	sqlite3_stmt *q = store_stmt(w->st, SQL_PAGE_LINKS);
	int step;

	buf_reset(&w->hrefs);
	w->nplinks = 0;
	bind_int(q, 1, t->source_id);
	bind_int(q, 2, t->ext_id);
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		int j = model_thread(s, t->source_id,
		    sqlite3_column_int64(q, 1));
		int c = j < 0 ? -1 : model_target(s, j);
		struct plink *l;

		if (c < 0)
			continue; /* no page: the link stays as written */
		if (w->nplinks == w->capplinks) {
			w->capplinks = w->capplinks ? 2 * w->capplinks : 16;
			w->plinks = xrealloc(w->plinks,
			    w->capplinks * sizeof w->plinks[0]);
		}
		l = &w->plinks[w->nplinks++];
		l->off = w->hrefs.len;
		l->n = (size_t)sqlite3_column_bytes(q, 0);
		l->target = c;
		buf_put(&w->hrefs, (const char *)sqlite3_column_text(q, 0),
		    l->n);
	}
	sqlite3_reset(q);
	return step == SQLITE_DONE ? 0 : store_fail(w->st);
}

/* The entry an href of the page body_links read points at, or -1: the
 * bytes as find_attr returns them, compared as SQLite ordered them. */
static int
body_target(const struct worker *w, const char *h, size_t n)
{
	size_t lo = 0, hi = w->nplinks;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct plink *l = &w->plinks[mid];
		int c = memcmp(w->hrefs.data + l->off, h, l->n < n ? l->n : n);

		if (c == 0)
			c = (l->n > n) - (l->n < n);
		if (c == 0)
			return l->target;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
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
			const char *href = htmltext_attr(lt, gt, "href", &hn);
			int c = href ? body_target(w, href, hn) : -1;

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
			const char *src = htmltext_attr(lt, gt, "src", &sn);
			const char *alt = htmltext_attr(lt, gt, "alt", &an);
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
