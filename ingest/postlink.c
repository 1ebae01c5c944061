/*
 * postlink: which links of a body name a post of the source's own site;
 * see ingest_int.h (postlink).  The href syntax follows what the render
 * resolved itself before ingest did (it parses no URL now: render/body.c
 * reads post_links), so the same links become local.
 */
#include "ingest_int.h"

#include <stdio.h>
#include <string.h>

#include "core/htmltext.h"

/* Ids beyond this are not ids of any site (and cannot overflow). */
#define MAX_ID 1000000000000LL

void
postlink_site_init(struct postlink_site *s, const char *kind,
    const char *name)
{
	memset(s, 0, sizeof s[0]);
	if (strcmp(kind, "stackexchange") == 0) {
		s->kind = POSTLINK_SE;
		snprintf(s->host, sizeof s->host, "%s", name);
	} else if (strcmp(kind, "discourse") == 0) {
		s->kind = POSTLINK_DISCOURSE;
		/* As discourse.c: a source named after its host. */
		if (strchr(name, '.') && strchr(name, '/') == NULL)
			snprintf(s->host, sizeof s->host, "%s", name);
	}
}

static int
skip(const char **p, const char *end, const char *pre)
{
	size_t n = strlen(pre);

	if ((size_t)(end - *p) >= n && strncmp(*p, pre, n) == 0) {
		*p += n;
		return 1;
	}
	return 0;
}

/* Digits at *p as an id (> 0), ending at end, '/', '?' or '#'; 0 if
 * there is none. */
static int64_t
id_at(const char **p, const char *end)
{
	const char *u = *p;
	int64_t id = 0;

	while (u < end && *u >= '0' && *u <= '9' && id < MAX_ID)
		id = id * 10 + (*u++ - '0');
	if (id == 0 || (u < end && *u != '/' && *u != '?' && *u != '#'))
		return 0;
	*p = u;
	return id;
}

/* "[http[s]:][//HOST]/PATH": *own is 1 for the site's host or none, 0
 * for another *.stackexchange.com host (Stack Exchange only: a site's
 * former name).  0 if the href names no host of the site. */
static int
host_of(const struct postlink_site *s, const char **u, const char *end,
    int *own)
{
	const char *host;
	size_t n;

	*own = 1;
	if (!skip(u, end, "https:"))
		skip(u, end, "http:");
	if (skip(u, end, "//")) {
		host = *u;
		while (*u < end && **u != '/')
			(*u)++;
		n = (size_t)(*u - host);
		*own = s->host[0] && n == strlen(s->host) &&
		    strncmp(host, s->host, n) == 0;
		if (!*own && !(s->kind == POSTLINK_SE && n > 18 &&
		    strncmp(*u - 18, ".stackexchange.com", 18) == 0))
			return 0;
	}
	return *u < end && **u == '/';
}

/* Stack Exchange: /questions/ID[/slug[/AID]], /q/ID[/UID], /a/AID[/UID]. */
static int
se_path(const char *u, const char *end, struct postlink *l)
{
	if (skip(&u, end, "/questions/") || skip(&u, end, "/q/")) {
		if ((l->id = id_at(&u, end)) == 0)
			return 0;
		l->what = POSTLINK_QUESTION;
		/* The answer of "/questions/ID/slug/AID#AID". */
		if (skip(&u, end, "/")) {
			while (u < end && *u != '/' && *u != '?' && *u != '#')
				u++;
			if (skip(&u, end, "/"))
				l->answer = id_at(&u, end);
		}
		return 1;
	}
	if (skip(&u, end, "/a/")) {
		l->what = POSTLINK_ANSWER;
		return (l->id = id_at(&u, end)) != 0;
	}
	return 0;
}

/* Discourse: /t/slug/ID[/N] or /t/ID[/N] (N, a post's number in the
 * topic, is not an id: the link names the topic). */
static int
discourse_path(const char *u, const char *end, struct postlink *l)
{
	const char *slug;

	if (!skip(&u, end, "/t/"))
		return 0;
	slug = u;
	if ((l->id = id_at(&u, end)) == 0) {
		u = slug;
		while (u < end && *u != '/' && *u != '?' && *u != '#')
			u++;
		if (!skip(&u, end, "/") || (l->id = id_at(&u, end)) == 0)
			return 0;
	}
	l->what = POSTLINK_QUESTION;
	return 1;
}

int
postlink_parse(const struct postlink_site *s, const char *href, size_t n,
    struct postlink *l)
{
	const char *u = href, *end = href + n;

	memset(l, 0, sizeof l[0]);
	if (s->kind == POSTLINK_NONE || !host_of(s, &u, end, &l->own))
		return 0;
	return s->kind == POSTLINK_SE ? se_path(u, end, l) :
	    discourse_path(u, end, l);
}

void
postlink_scan(const char *html, size_t n,
    void (*fn)(void *ctx, const char *href, size_t hn), void *ctx)
{
	const char *p = html, *end = html + n, *lt, *gt, *href;
	size_t hn;

	while (p < end && (lt = memchr(p, '<', (size_t)(end - p))) != NULL) {
		if ((gt = memchr(lt, '>', (size_t)(end - lt))) == NULL)
			break;
		gt++;
		if (gt - lt >= 3 && (strncmp(lt, "<a ", 3) == 0 ||
		    strncmp(lt, "<a>", 3) == 0) &&
		    (href = htmltext_attr(lt, gt, "href", &hn)) != NULL)
			fn(ctx, href, hn);
		p = gt;
	}
}
