/*
 * answers_eval: `faqtory answers --eval`, answer selection measured the
 * way docs/answer-selection.md describes.
 *
 * (a) The accepted threads whose CRC32("SOURCE:ID") is odd have their
 * mark hidden, with the acceptance vote and the votes, answers and
 * comments after its date (votes of the acceptance day are kept unless
 * strict_votes).  The model and its thresholds are fitted on the even
 * half only; the odd half is scored: precision (the chosen answer is
 * the accepted one) at coverage (share of hidden threads that would get
 * a community answer: confidence >= the source's threshold and the
 * evidence gate), beside the baselines "highest-scored answer with a
 * margin of 1 / 3" and "first answer" on the same snapshots.
 * (b) With the model `faqtory index` fits (every accepted thread):
 * entries before (accepted only) and after (plus the community answers
 * published under the default policy), and the share of question views
 * they cover, beside the ceiling (every thread with an answer scored
 * >= 1).  A thread without an entry of its own that the site redirects
 * to an entry (a human duplicate link, decided by core/fold.c as the
 * build decides it) is covered too: its URL leads to that entry.  The
 * views are given with and without those redirects.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/escape.h"
#include "core/xmalloc.h"
#include "index/answers.h"
#include "index/index.h"
#include "core/fold.h"

/* Covered and correct among n. */
struct pc {
	size_t n, cov, ok;
};

/* M_VOTED: the top-voted tier alone (core/answerpolicy.h ANSWER_VOTED),
 * threads the model leaves without a community answer. */
enum { M_MODEL, M_UNGATED, M_STUDY, M_TOP1, M_TOP3, M_FIRST, M_VOTED, M_N };
static const char *const m_names[M_N] = { "model", "model_ungated",
	"model_study_rule", "top_m1", "top_m3", "first", "voted_tier" };

struct group {
	const char *name;
	struct pc all[M_N], multi[M_N];
	double views, today, after, ceiling, redirected;
	size_t before, entries, community, voted, redirects;
};

/* The human duplicate links of the store, as the site reads them
 * (render/model.c load_links): from_ext duplicates to_ext. */
static const char SQL_E_DUPS[] =
    "SELECT source_id, from_ext, to_ext FROM links WHERE kind='duplicate'"
    " ORDER BY source_id, from_ext, to_ext, kind";

struct dup {
	int64_t src, from, to;
};

struct dups {
	struct dup *v;
	size_t n;
};

static int
load_dups(struct store *st, struct dups *d)
{
	sqlite3_stmt *q = store_stmt(st, SQL_E_DUPS);
	size_t cap = 0;
	int rc;

	memset(d, 0, sizeof *d);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (d->n == cap) {
			cap = cap ? 2 * cap : 64;
			d->v = xreallocarray(d->v, cap, sizeof *d->v);
		}
		d->v[d->n].src = sqlite3_column_int64(q, 0);
		d->v[d->n].from = sqlite3_column_int64(q, 1);
		d->v[d->n++].to = sqlite3_column_int64(q, 2);
	}
	return rc == SQLITE_DONE ? 0 : store_fail(st);
}

/* The index of source src's thread ext among th[lo, hi) (sorted by
 * ext), or -1. */
static int
find_ext(const struct ans_set *s, size_t lo, size_t hi, int64_t ext)
{
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->th[mid].ext < ext)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->nth && s->th[lo].ext == ext ? (int)lo : -1;
}

static void
tally(struct pc *p, int covered, int ok)
{
	p->n++;
	p->cov += covered != 0;
	p->ok += covered && ok;
}

/* The highest-scored candidate (the earlier on ties) and its margin
 * over the next (a lone answer's margin is its score). */
static size_t
top_scored(const struct ans_item *it, int64_t *margin)
{
	size_t i, top = 0;
	int64_t next = 0;
	int others = 0;

	for (i = 1; i < it->n; i++)
		if (it->score[i] > it->score[top])
			top = i;
	for (i = 0; i < it->n; i++) {
		if (i != top && (!others || it->score[i] > next))
			next = it->score[i];
		others |= i != top;
	}
	*margin = it->score[top] - next;
	return top;
}

/* Whether candidate k of n (scores sc) is what the top-voted tier
 * publishes: two or more answers, k scored >= 1 and above every other
 * (a tie settles nothing). */
static int
voted_tier(const int64_t *sc, size_t n, size_t k)
{
	size_t i;

	if (n < 2 || sc[k] < 1)
		return 0;
	for (i = 0; i < n; i++)
		if (i != k && sc[i] >= sc[k])
			return 0;
	return 1;
}

static void
score_item(struct group *g, const struct ans_item *it,
    const struct ans_model *m, double study_thr)
{
	double conf;
	size_t k = ans_choose(m->w[it->src], it->x, it->n, &conf), top;
	int64_t margin;
	int cov[M_N], ok[M_N], j;

	top = top_scored(it, &margin);
	cov[M_MODEL] = conf >= m->thr[it->src] && it->gate[k];
	cov[M_UNGATED] = conf >= m->thr[it->src];
	cov[M_STUDY] = conf >= study_thr;
	ok[M_MODEL] = ok[M_UNGATED] = ok[M_STUDY] = k == it->pos;
	cov[M_TOP1] = margin >= 1;
	cov[M_TOP3] = margin >= 3;
	ok[M_TOP1] = ok[M_TOP3] = top == it->pos;
	cov[M_FIRST] = 1;
	ok[M_FIRST] = it->pos == 0;
	cov[M_VOTED] = !cov[M_MODEL] && voted_tier(it->score, it->n, k);
	ok[M_VOTED] = k == it->pos;
	for (j = 0; j < M_N; j++) {
		tally(&g->all[j], cov[j], ok[j]);
		if (it->n >= 2)
			tally(&g->multi[j], cov[j], ok[j]);
	}
}

/* voted_tier() over snapshot candidates. */
static int
top_voted(const struct ans_cand *c, size_t n, size_t k)
{
	int64_t *sc = xreallocarray(NULL, n ? n : 1, sizeof *sc);
	size_t i;
	int r;

	for (i = 0; i < n; i++)
		sc[i] = c[i].score;
	r = voted_tier(sc, n, k);
	free(sc);
	return r;
}

/* (b): entries and views under the model `faqtory index` fits, and
 * the threads the site redirects to an entry. */
static void
coverage(const struct ans_set *s, const struct ans_model *m, size_t src,
    const struct dups *d, struct group *g)
{
	struct ans_opts now = { 0, 0 };
	size_t i, j, lo = s->nth, hi = 0;
	struct fold_thr *v;
	unsigned char *had;
	int **dup;

	for (i = 0; i < s->nth; i++) {
		if (s->th[i].src != (int)src)
			continue;
		if (lo == s->nth)
			lo = i;
		hi = i + 1;
	}
	if (lo >= hi)
		return;
	v = xcalloc(hi - lo, sizeof *v);
	dup = xcalloc(hi - lo, sizeof *dup);
	had = xmalloc(hi - lo);
	for (i = lo; i < hi; i++) {
		const struct ans_thread *t = &s->th[i];
		struct ans_cand *c;
		size_t n = ans_snapshot(s, t, &now, &c), k;
		double views = (double)t->views, conf;
		int scored = 0;

		v[i - lo].in_scope = 1;
		v[i - lo].merge = -1;
		g->views += views;
		for (j = 0; j < n; j++)
			scored |= c[j].score >= 1;
		if (t->has_accepted) {
			g->today += views;
			g->after += views;
			g->before++;
			g->entries++;
			v[i - lo].page = 1;
		} else if (n) {
			double *x = xreallocarray(NULL, n * ANS_NF, sizeof *x);

			ans_features(s, t, c, n, x);
			k = ans_choose(m->w[src], x, n, &conf);
			if (conf >= m->thr[src] && ans_gate(s, t, &c[k])) {
				g->community++;
				v[i - lo].page = 1;
			} else if (top_voted(c, n, k)) {
				g->voted++;
				v[i - lo].page = 1;
			}
			if (v[i - lo].page) {
				g->after += views;
				g->entries++;
			}
			free(x);
		}
		if (t->has_accepted || scored)
			g->ceiling += views;
		free(c);
	}
	/* The human duplicates, in the site's order. */
	for (j = 0; j < d->n; j++) {
		int a, b;
		size_t k;

		if (d->v[j].src != s->srcs[src].id)
			continue;
		a = find_ext(s, lo, hi, d->v[j].from);
		b = find_ext(s, lo, hi, d->v[j].to);
		if (a < 0 || b < 0 || a == b)
			continue;
		k = v[a - lo].ndup;
		dup[a - lo] = xreallocarray(dup[a - lo], k + 1, sizeof **dup);
		dup[a - lo][k] = b - (int)lo;
		v[a - lo].dup = dup[a - lo];
		v[a - lo].ndup = k + 1;
	}
	/* fold_decide clears a folded thread's page: remember who had one. */
	for (i = lo; i < hi; i++)
		had[i - lo] = (unsigned char)v[i - lo].page;
	fold_decide(v, hi - lo);
	for (i = lo; i < hi; i++)
		if (!had[i - lo] && v[i - lo].fold >= 0) {
			g->redirected += (double)s->th[i].views;
			g->redirects++;
		}
	for (i = lo; i < hi; i++)
		free(dup[i - lo]);
	free(dup);
	free(had);
	free(v);
}

static void
add_group(struct group *to, const struct group *from)
{
	int j;

	for (j = 0; j < M_N; j++) {
		to->all[j].n += from->all[j].n;
		to->all[j].cov += from->all[j].cov;
		to->all[j].ok += from->all[j].ok;
		to->multi[j].n += from->multi[j].n;
		to->multi[j].cov += from->multi[j].cov;
		to->multi[j].ok += from->multi[j].ok;
	}
	to->views += from->views;
	to->today += from->today;
	to->after += from->after;
	to->ceiling += from->ceiling;
	to->redirected += from->redirected;
	to->redirects += from->redirects;
	to->before += from->before;
	to->entries += from->entries;
	to->community += from->community;
	to->voted += from->voted;
}

static const char *
votes_note(const struct ans_source *src)
{
	if (src->dated)
		return "dated votes";
	if (strcmp(src->kind, "discourse") == 0)
		return "likes undated: final likes";
	if (strcmp(src->kind, "github") == 0)
		return "no answer scores";
	return "votes undated: final scores";
}

static void
cell(struct buf *out, const struct pc *p)
{
	if (p->cov)
		buf_printf(out, " %.2f @ %.2f |", (double)p->ok / (double)p->cov,
		    (double)p->cov / (double)p->n);
	else if (p->n)
		buf_puts(out, "   -  @ 0.00 |");
	else
		buf_puts(out, "   -         |");
}

static void
share(struct buf *out, double part, double views)
{
	if (views > 0)
		buf_printf(out, " %.2f |", part / views);
	else
		buf_puts(out, "  -   |");
}

static void
text_row(struct buf *out, const struct group *g, const char *note,
    double thr)
{
	int j;

	buf_printf(out, "| %s | %zu | %zu |", g->name, g->all[0].n,
	    g->multi[0].n);
	cell(out, &g->all[M_MODEL]);
	cell(out, &g->multi[M_MODEL]);
	for (j = M_UNGATED; j < M_N; j++) {
		if (j == M_STUDY)
			continue;
		cell(out, &g->all[j]);
		cell(out, &g->multi[j]);
	}
	if (thr >= 0)
		buf_printf(out, " %.3f |", thr);
	else
		buf_puts(out, " |");
	buf_printf(out, " %s |\n", note);
}

static void
text_views(struct buf *out, const struct group *g)
{
	buf_printf(out, "| %s | %zu | %zu | %zu | %zu | %zu |", g->name,
	    g->before, g->entries, g->community, g->voted, g->redirects);
	share(out, g->today, g->views);
	share(out, g->after, g->views);
	share(out, g->after + g->redirected, g->views);
	share(out, g->ceiling, g->views);
	buf_putc(out, '\n');
}

static void
json_pc(struct buf *out, const char *name, const struct pc *p)
{
	buf_printf(out, "\"%s\":{\"n\":%zu,\"covered\":%zu,\"correct\":%zu",
	    name, p->n, p->cov, p->ok);
	if (p->cov)
		buf_printf(out, ",\"precision\":%.4f",
		    (double)p->ok / (double)p->cov);
	if (p->n)
		buf_printf(out, ",\"coverage\":%.4f",
		    (double)p->cov / (double)p->n);
	buf_putc(out, '}');
}

static void
json_group(struct buf *out, const struct group *g, const char *kind,
    const char *note, double thr, int own)
{
	int j;

	buf_puts(out, "{\"name\":\"");
	esc_json(out, g->name, strlen(g->name));
	buf_putc(out, '"');
	if (kind)
		buf_printf(out, ",\"kind\":\"%s\",\"votes\":\"%s\","
		    "\"threshold\":%.4f,\"calibrated\":\"%s\"", kind, note, thr,
		    own ? "own" : "pooled");
	buf_printf(out, ",\"hidden\":%zu,\"hidden_multi\":%zu", g->all[0].n,
	    g->multi[0].n);
	for (j = 0; j < M_N; j++) {
		buf_printf(out, ",\"%s\":{", m_names[j]);
		json_pc(out, "all", &g->all[j]);
		buf_putc(out, ',');
		json_pc(out, "multi", &g->multi[j]);
		buf_putc(out, '}');
	}
	buf_printf(out, ",\"entries_before\":%zu,\"entries_after\":%zu,"
	    "\"community\":%zu,\"voted\":%zu,\"redirects\":%zu,"
	    "\"views\":%.0f", g->before, g->entries, g->community, g->voted,
	    g->redirects, g->views);
	if (g->views > 0)
		buf_printf(out, ",\"views_today\":%.4f,\"views_after\":%.4f,"
		    "\"views_redirected\":%.4f,\"views_ceiling\":%.4f",
		    g->today / g->views, g->after / g->views,
		    (g->after + g->redirected) / g->views,
		    g->ceiling / g->views);
	buf_putc(out, '}');
}

static void
print_text(struct buf *out, const struct ans_set *s, struct group *g,
    const struct group *pool, const struct ans_model *fm, int strict)
{
	size_t i;

	buf_printf(out, "answer selection on held-out accepted threads (mark, "
	    "acceptance vote and everything after the acceptance %s hidden; "
	    "fitted on the other half)\n\n", strict ? "day, and the votes "
	    "of that day," : "day");
	buf_puts(out, "| source | hidden | >=2 | model all | model >=2 | "
	    "ungated all | ungated >=2 | top m>=1 all | top m>=1 >=2 | "
	    "top m>=3 all | top m>=3 >=2 | first all | first >=2 | "
	    "voted tier all | voted tier >=2 | threshold | votes |\n");
	buf_puts(out, "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
	    "---|---|---|---|\n");
	for (i = 0; i < s->nsrcs; i++)
		text_row(out, &g[i], votes_note(&s->srcs[i]), fm->thr[i]);
	text_row(out, pool, "dated votes", -1);
	buf_printf(out, "\ncells: precision @ coverage; model: confidence >= "
	    "the source's threshold and the evidence gate; voted tier: the "
	    "threads the model leaves out whose chosen answer has the "
	    "highest score (>= 1) of two or more, published as top-voted, "
	    "not confirmed; >=2: two or more "
	    "answers at the acceptance; pooled threshold %.3f (targets %.2f "
	    "on >=2 and %.2f on all, out-of-fold on the fitted half, plus a "
	    "margin of %.2f); the study's rule (pooled, ungated, no margin): "
	    "%.3f, pooled precision @ coverage all",
	    fm->threshold, ANS_TARGET2, ANS_TARGETALL, ANS_MARGIN,
	    fm->study_threshold);
	cell(out, &pool->all[M_STUDY]);
	buf_puts(out, " >=2");
	cell(out, &pool->multi[M_STUDY]);
	buf_puts(out, "\n\nentries and question views covered, with the "
	    "model fitted on every accepted thread (as `faqtory index`); "
	    "redirects: threads without an entry that a human duplicate link "
	    "redirects to an entry (as the site folds them)\n\n"
	    "| source | entries before | after | community | voted |"
	    " redirects | views before | after | after, with redirects |"
	    " ceiling |\n|---|---|---|---|---|---|---|---|---|---|\n");
	for (i = 0; i < s->nsrcs; i++)
		text_views(out, &g[i]);
	text_views(out, pool);
}

static void
print_json(struct buf *out, const struct ans_set *s, struct group *g,
    const struct group *pool, const struct ans_model *fm, int strict)
{
	size_t i;

	buf_printf(out, "{\"protocol\":{\"hidden\":\"odd CRC32 of "
	    "SOURCE:ID\",\"acceptance_day_votes\":\"%s\","
	    "\"target_multi\":%.2f,\"target_all\":%.2f,\"margin\":%.2f},"
	    "\"threshold\":%.4f,\"study_threshold\":%.4f,\"sources\":[",
	    strict ? "hidden" : "kept", ANS_TARGET2, ANS_TARGETALL,
	    ANS_MARGIN, fm->threshold, fm->study_threshold);
	for (i = 0; i < s->nsrcs; i++) {
		if (i)
			buf_putc(out, ',');
		json_group(out, &g[i], s->srcs[i].kind,
		    votes_note(&s->srcs[i]), fm->thr[i], fm->own_thr[i]);
	}
	buf_puts(out, "],\"pooled\":");
	json_group(out, pool, NULL, NULL, 0, 0);
	buf_puts(out, "}\n");
}

/* The fits' threads: the online CPUs (the models are the same on any
 * count). */
static int
eval_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

int
index_answers_eval(struct store *st, int json, int strict_votes,
    struct buf *out)
{
	struct ans_set s;
	struct ans_items items;
	struct ans_model fm, pm;
	struct ans_opts hide = { 1, 0 };
	struct group *g, pool;
	struct dups dups;
	unsigned char *use;
	size_t *skipped, i;

	hide.strict_votes = strict_votes;
	memset(&dups, 0, sizeof dups);
	if (ans_load(st, &s) < 0 || load_dups(st, &dups) < 0) {
		free(dups.v);
		ans_set_free(&s);
		return -1;
	}
	skipped = xcalloc(s.nsrcs ? s.nsrcs : 1, sizeof *skipped);
	g = xcalloc(s.nsrcs ? s.nsrcs : 1, sizeof *g);
	ans_items_build(&s, &hide, &items, skipped);
	use = xmalloc(items.n ? items.n : 1);
	for (i = 0; i < items.n; i++)
		use[i] = items.it[i].half == 0;
	ans_model_fit(&s, &items, use, ANS_MARGIN, eval_jobs(), &fm);
	ans_model_fit(&s, &items, NULL, ANS_MARGIN, eval_jobs(), &pm);
	for (i = 0; i < s.nsrcs; i++)
		g[i].name = s.srcs[i].name;
	for (i = 0; i < items.n; i++)
		if (!use[i])
			score_item(&g[items.it[i].src], &items.it[i], &fm,
			    fm.study_threshold);
	memset(&pool, 0, sizeof pool);
	pool.name = "stackexchange pooled";
	for (i = 0; i < s.nsrcs; i++) {
		coverage(&s, &pm, i, &dups, &g[i]);
		if (s.srcs[i].se)
			add_group(&pool, &g[i]);
	}
	if (json)
		print_json(out, &s, g, &pool, &fm, strict_votes);
	else
		print_text(out, &s, g, &pool, &fm, strict_votes);
	ans_model_free(&fm);
	ans_model_free(&pm);
	ans_items_free(&items);
	free(use);
	free(g);
	free(skipped);
	free(dups.v);
	ans_set_free(&s);
	return 0;
}
