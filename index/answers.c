/*
 * answers: snapshots and features of a thread's candidates, the
 * evidence gate, and the `faqtory index` step that writes
 * answer_choice (docs/answer-selection.md).
 *
 * A snapshot is the thread as it stood at its acceptance (training and
 * evaluation) or as it stands now (choosing).  At the acceptance: the
 * answers created up to its day (before its time where the source
 * gives one), the votes cast up to its day (strict_votes: before it;
 * votes are dated to the day, so the day's own votes cannot be split
 * into before and after the click), and the asker's words up to the
 * end of its day (before its time where exact).  Sources without dated
 * votes use their final scores or likes, and say so in the evaluation.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xmalloc.h"
#include "index/answers.h"
#include "index/index_int.h"

const char *const ans_feature_names[ANS_NF] = { "score", "margin", "top",
	"tied", "first", "thanks", "neg", "asker_c", "self", "self_solved",
	"staff", "auth_acc", "auth_ans", "len", "code" };

/* CRC-32 (IEEE), as zlib's crc32: the halves and folds the study drew. */
static uint32_t
crc32_of(const char *s, size_t n)
{
	uint32_t c = 0xffffffffu;
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		c ^= (unsigned char)s[i];
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return c ^ 0xffffffffu;
}

unsigned
ans_half(const char *src, int64_t ext)
{
	char key[512];
	int n = snprintf(key, sizeof key, "%s:%lld", src, (long long)ext);

	return crc32_of(key, n < (int)sizeof key ? (size_t)n : 0) & 1;
}

unsigned
ans_fold_of(const char *src, int64_t ext)
{
	char key[512];
	int n = snprintf(key, sizeof key, "fold:%s:%lld", src, (long long)ext);

	return (crc32_of(key, n < (int)sizeof key ? (size_t)n : 0) >> 1) % 5;
}

static int
is_self(const struct ans_thread *t, const struct ans_post *p)
{
	return p->author == t->asker && p->anon == t->asker_anon;
}

/* Whether something at time `when` is hidden by a snapshot at t's
 * acceptance: after its exact time, else after its day. */
static int
after_acc(const struct ans_thread *t, const char *when)
{
	if (t->acc_exact)
		return strcmp(when, t->acc) >= 0;
	return strncmp(when, t->acc, 10) > 0;
}

size_t
ans_snapshot(const struct ans_set *s, const struct ans_thread *t,
    const struct ans_opts *o, struct ans_cand **out)
{
	int cut = o->hide && t->acc[0];
	int dated = t->src >= 0 && s->srcs[t->src].dated;
	struct ans_cand *c = xreallocarray(NULL, t->npost ? t->npost : 1,
	    sizeof *c);
	size_t n = 0, j, k;

	for (j = t->post0; j < t->post0 + t->npost; j++) {
		const struct ans_post *p = &s->posts[j];
		struct ans_cand *x = &c[n];

		if (cut && after_acc(t, p->t))
			continue;
		memset(x, 0, sizeof *x);
		x->post = j;
		x->score = p->score;
		if (cut && dated) {
			x->score = 0;
			for (k = p->vote0; k < p->vote0 + p->nvote; k++) {
				int c10 = strncmp(s->votes[k].day, t->acc, 10);

				if (c10 < 0 || (c10 == 0 && !o->strict_votes))
					x->score += s->votes[k].delta;
			}
		}
		for (k = p->rem0; k < p->rem0 + p->nrem; k++) {
			if (cut && after_acc(t, s->rems[k].t))
				continue;
			x->thanks |= s->rems[k].thanks;
			x->neg |= s->rems[k].neg;
			x->asker_c = 1;
		}
		n++;
	}
	*out = c;
	return n;
}

/* Signed log1p, as the study scales scores and margins. */
static double
slog(double v)
{
	return v < 0 ? -log1p(-v) : log1p(v);
}

void
ans_features(const struct ans_set *s, const struct ans_thread *t,
    const struct ans_cand *c, size_t n, double *x)
{
	int64_t best = 0, second = 0;
	size_t i, top = 0;
	int others = 0;

	/* The best score, and the best of the others for the best one:
	 * every candidate's margin is against the best other candidate,
	 * found without a pass per candidate (a thread of a million answers
	 * stays linear). */
	for (i = 1; i < n; i++)
		if (c[i].score > c[top].score)
			top = i;
	if (n)
		best = c[top].score;
	for (i = 0; i < n; i++)
		if (i != top && (!others || c[i].score > second)) {
			second = c[i].score;
			others = 1;
		}
	for (i = 0; i < n; i++) {
		const struct ans_post *p = &s->posts[c[i].post];
		double *f = x + i * ANS_NF;
		int64_t next = i == top ? second : best, m;

		m = c[i].score - next;
		memset(f, 0, ANS_NF * sizeof *f);
		f[F_SCORE] = slog((double)c[i].score) / 3;
		f[F_MARGIN] = slog((double)m) / 3;
		f[F_TOP] = m > 0;
		f[F_TIED] = m == 0 && c[i].score == best;
		f[F_FIRST] = i == 0;
		f[F_THANKS] = c[i].thanks;
		f[F_NEG] = c[i].neg;
		f[F_ASKER_C] = c[i].asker_c;
		f[F_SELF] = is_self(t, p);
		f[F_SELF_SOLVED] = is_self(t, p) && p->solved;
		f[F_STAFF] = p->staff;
		f[F_AUTH_ACC] = log1p((double)p->prior_acc) / 3;
		f[F_AUTH_ANS] = log1p((double)p->prior_ans) / 5;
		/* Rounded to hundredths, as the study did. */
		f[F_LEN] = floor(log1p((double)p->words) / 6 * 100 + 0.5) / 100;
		f[F_CODE] = p->code;
	}
}

int
ans_gate(const struct ans_set *s, const struct ans_thread *t,
    const struct ans_cand *c)
{
	const struct ans_post *p = &s->posts[c->post];

	return c->score >= 1 || (c->thanks && !c->neg) || p->staff ||
	    (is_self(t, p) && p->solved);
}

size_t
ans_choose(const double *w, const double *x, size_t n, double *conf)
{
	double z, mz = 0, tot = 0;
	size_t i, best = 0;
	int k;

	for (i = 0; i < n; i++) {
		for (z = 0, k = 0; k < ANS_NF; k++)
			z += w[k] * x[i * ANS_NF + k];
		if (i == 0 || z > mz) {
			mz = z;
			best = i;
		}
	}
	for (i = 0; i < n; i++) {
		for (z = 0, k = 0; k < ANS_NF; k++)
			z += w[k] * x[i * ANS_NF + k];
		tot += exp(z - mz);
	}
	*conf = n ? 1.0 / tot : 0;
	return best;
}

/* --- author history ---------------------------------------------------- */

struct hkey {
	int64_t author;
	char t[ANS_TIME];
};

static int
by_author_time(const void *a, const void *b)
{
	const struct hkey *x = a, *y = b;

	if (x->author != y->author)
		return x->author < y->author ? -1 : 1;
	return strcmp(x->t, y->t);
}

/* How many keys of `author` sort before `t`. */
static uint32_t
count_before(const struct hkey *k, size_t nk, int64_t author, const char *t)
{
	size_t lo = 0, hi = nk, first;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (k[mid].author < author)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	hi = nk;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (k[mid].author < author || (k[mid].author == author &&
		    strcmp(k[mid].t, t) < 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return (uint32_t)(lo - first);
}

/* One source's history: each answer's author's answers accepted before
 * the question's day (keyed by acceptance time, or day + "T", or the
 * question's creation where the acceptance is undated), and earlier
 * answers. */
static void
history(struct ans_set *s, int src)
{
	struct hkey *acc, *ans;
	size_t nacc = 0, nans = 0, i, j;

	acc = xreallocarray(NULL, s->nposts ? s->nposts : 1, sizeof *acc);
	ans = xreallocarray(NULL, s->nposts ? s->nposts : 1, sizeof *ans);
	for (i = 0; i < s->nth; i++) {
		const struct ans_thread *t = &s->th[i];

		if (t->src != src)
			continue;
		for (j = t->post0; j < t->post0 + t->npost; j++) {
			const struct ans_post *p = &s->posts[j];

			ans[nans].author = p->author;
			memcpy(ans[nans++].t, p->t, ANS_TIME);
			if (!t->has_accepted || p->ext != t->accepted)
				continue;
			acc[nacc].author = p->author;
			if (t->acc_exact)
				memcpy(acc[nacc].t, t->acc, ANS_TIME);
			else if (t->acc[0])
				snprintf(acc[nacc].t, ANS_TIME, "%.10sT", t->acc);
			else
				memcpy(acc[nacc].t, t->t, ANS_TIME);
			nacc++;
		}
	}
	if (nacc > 1)
		qsort(acc, nacc, sizeof *acc, by_author_time);
	if (nans > 1)
		qsort(ans, nans, sizeof *ans, by_author_time);
	for (i = 0; i < s->nth; i++) {
		const struct ans_thread *t = &s->th[i];

		if (t->src != src)
			continue;
		for (j = t->post0; j < t->post0 + t->npost; j++) {
			struct ans_post *p = &s->posts[j];
			char day[11];

			if (p->anon)
				continue;
			snprintf(day, sizeof day, "%.10s", t->t);
			p->prior_acc = count_before(acc, nacc, p->author, day);
			p->prior_ans = count_before(ans, nans, p->author, t->t);
		}
	}
	free(acc);
	free(ans);
}

void
ans_finish(struct ans_set *s)
{
	size_t i;

	for (i = 0; i < s->nsrcs; i++)
		history(s, (int)i);
}

/* --- labelled examples ------------------------------------------------- */

void
ans_items_build(const struct ans_set *s, const struct ans_opts *o,
    struct ans_items *out, size_t *skipped)
{
	size_t i, j, cap = 0;

	memset(out, 0, sizeof *out);
	for (i = 0; i < s->nth; i++) {
		const struct ans_thread *t = &s->th[i];
		const struct ans_source *src;
		struct ans_cand *c;
		struct ans_item *it;
		size_t n, pos = (size_t)-1;

		if (!t->has_accepted || t->src < 0)
			continue;
		src = &s->srcs[t->src];
		if (src->dated && !t->acc[0]) {
			skipped[t->src]++; /* the acceptance's date is unknown */
			continue;
		}
		n = ans_snapshot(s, t, o, &c);
		for (j = 0; j < n; j++)
			if (s->posts[c[j].post].ext == t->accepted)
				pos = j;
		if (pos == (size_t)-1) {
			skipped[t->src]++;
			free(c);
			continue;
		}
		if (out->n == cap) {
			cap = cap ? 2 * cap : 1024;
			out->it = xreallocarray(out->it, cap, sizeof *out->it);
		}
		it = &out->it[out->n++];
		memset(it, 0, sizeof *it);
		it->thread = i;
		it->src = t->src;
		it->n = n;
		it->pos = pos;
		it->x = xreallocarray(NULL, n * ANS_NF, sizeof *it->x);
		it->gate = xmalloc(n);
		it->score = xreallocarray(NULL, n, sizeof *it->score);
		ans_features(s, t, c, n, it->x);
		for (j = 0; j < n; j++) {
			it->gate[j] = (unsigned char)ans_gate(s, t, &c[j]);
			it->score[j] = c[j].score;
		}
		it->half = ans_half(src->name, t->ext);
		it->fold = ans_fold_of(src->name, t->ext);
		free(c);
	}
}

void
ans_items_free(struct ans_items *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->it[i].x);
		free(l->it[i].gate);
		free(l->it[i].score);
	}
	free(l->it);
	memset(l, 0, sizeof *l);
}

/* --- the index step ---------------------------------------------------- */

static const char SQL_AC_DEL[] = "DELETE FROM answer_choice";
static const char SQL_AC_INS[] =
    "INSERT INTO answer_choice(thread_id, kind, post_ext, confidence, gate,"
    " score, next_score, nanswers, thanks, self_fix, staff)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";

/* What the chosen candidate (index k of n) shows about itself. */
struct ans_row {
	const char *kind;
	size_t k, n;
	double conf;
};

static int
write_choice(struct store *st, const struct ans_set *s,
    const struct ans_thread *t, const struct ans_cand *c,
    const struct ans_row *r)
{
	sqlite3_stmt *q = store_stmt(st, SQL_AC_INS);
	const struct ans_post *p = r->n ? &s->posts[c[r->k].post] : NULL;
	int64_t next = 0;
	int others = 0;
	size_t j;

	for (j = 0; j < r->n; j++) {
		if (j != r->k && (!others || c[j].score > next))
			next = c[j].score;
		others |= j != r->k;
	}
	bind_int(q, 1, t->id);
	bind_text(q, 2, r->kind, strlen(r->kind));
	if (p) {
		bind_int(q, 3, p->ext);
		bind_int(q, 6, c[r->k].score);
	}
	if (others)
		bind_int(q, 7, next);
	sqlite3_bind_double(q, 4, r->conf);
	bind_int(q, 5, p ? ans_gate(s, t, &c[r->k]) : 0);
	bind_int(q, 8, (int64_t)r->n);
	bind_int(q, 9, p ? c[r->k].thanks && !c[r->k].neg : 0);
	bind_int(q, 10, p ? is_self(t, p) && p->solved : 0);
	bind_int(q, 11, p ? p->staff : 0);
	return store_done(st, q);
}

/* One thread: its accepted answer, else the model's choice among its
 * answers as they stand now, else none. */
static int
choose_thread(struct store *st, const struct ans_set *s,
    const struct ans_model *m, const struct ans_thread *t,
    struct index_result *r)
{
	struct ans_opts now = { 0, 0 };
	struct ans_cand *c;
	struct ans_row row = { "none", 0, 0, 0 };
	double *x;
	size_t j;
	int rc;

	row.n = ans_snapshot(s, t, &now, &c);
	x = xreallocarray(NULL, row.n ? row.n * ANS_NF : 1, sizeof *x);
	if (t->has_accepted) {
		for (j = 0; j < row.n; j++)
			if (s->posts[c[j].post].ext == t->accepted)
				row.k = j;
		row.kind = "accepted";
		row.conf = 1;
		r->answers_accepted++;
	} else if (row.n) {
		ans_features(s, t, c, row.n, x);
		row.k = ans_choose(m->w[t->src], x, row.n, &row.conf);
		row.kind = "community";
		r->answers_community++;
		if (row.conf >= m->thr[t->src] && ans_gate(s, t, &c[row.k]))
			r->answers_confident++;
	}
	rc = write_choice(st, s, t, c, &row);
	free(x);
	free(c);
	return rc;
}

static int
meta(struct store *st, const char *key, const char *value)
{
	return store_meta_set(st, key, value, strlen(value));
}

int
index_answers_run(struct store *st, int jobs, struct index_result *r)
{
	struct ans_set s;
	struct ans_items items;
	struct ans_model m;
	struct ans_opts hide = { 1, 0 };
	struct buf json = BUF_INIT;
	size_t *skipped, i;
	char thr[32];
	int rc = -1, kept;
	int64_t base = 0, since = 0;

	if (ans_load(st, &s) < 0) {
		ans_set_free(&s);
		return -1;
	}
	skipped = xcalloc(s.nsrcs ? s.nsrcs : 1, sizeof *skipped);
	memset(&items, 0, sizeof items);
	if ((kept = ans_model_restore(st, &s, r->added + r->changed +
	    r->removed, &m, &base, &since)) < 0) {
		memset(&m, 0, sizeof m);
		goto out;
	}
	if (!kept) {
		ans_items_build(&s, &hide, &items, skipped);
		ans_model_fit(&s, &items, NULL, ANS_MARGIN, jobs, &m);
		base = (int64_t)s.nth;
		since = 0;
	}
	if (store_exec(st, SQL_AC_DEL) < 0)
		goto out;
	for (i = 0; i < s.nth; i++)
		if (s.th[i].src >= 0 &&
		    choose_thread(st, &s, &m, &s.th[i], r) < 0)
			goto out;
	snprintf(thr, sizeof thr, "%.4f", m.threshold);
	ans_model_json(&s, &m, &json);
	if (meta(st, "answer_threshold", thr) < 0 ||
	    meta(st, "answer_model", json.data) < 0 ||
	    ans_model_keep(st, &s, &m, base, since) < 0)
		goto out;
	rc = 0;
out:
	buf_release(&json);
	ans_model_free(&m);
	ans_items_free(&items);
	free(skipped);
	ans_set_free(&s);
	return rc;
}
