/*
 * libFuzzer target for which links of a post's body name a post of its
 * own site (ingest/postlink.c): the input is sanitized-looking HTML,
 * read as a Stack Exchange site's body and as a Discourse forum's.
 * Whatever it is, every href handed out lies inside the input, and a
 * link taken as local names a question or an answer by a positive id.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct scan {
	const char *html;
	size_t n;
	const struct postlink_site *sites;
	size_t nsites;
};

static void
on_href(void *ctx, const char *href, size_t hn)
{
	const struct scan *sc = ctx;
	struct postlink l;
	size_t i;

	if (href < sc->html || hn > sc->n ||
	    (size_t)(href - sc->html) > sc->n - hn)
		abort();
	for (i = 0; i < sc->nsites; i++) {
		if (!postlink_parse(&sc->sites[i], href, hn, &l))
			continue;
		if ((l.what != POSTLINK_QUESTION && l.what != POSTLINK_ANSWER) ||
		    l.id <= 0 || l.answer < 0 || (l.own != 0 && l.own != 1))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct postlink_site sites[4];
	struct scan sc;

	postlink_site_init(&sites[0], "stackexchange", "beer.stackexchange.com");
	postlink_site_init(&sites[1], "stackexchange", "beer.stackexchange.com.7z");
	postlink_site_init(&sites[2], "discourse", "forum.example.com");
	postlink_site_init(&sites[3], "discourse", "urho3d-topics");
	sc.html = (const char *)data;
	sc.n = size;
	sc.sites = sites;
	sc.nsites = 4;
	postlink_scan(sc.html, sc.n, on_href, &sc);
	return 0;
}
