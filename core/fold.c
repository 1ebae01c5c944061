/*
 * fold: the redirect decision (fold.h).  Kept out of render/model.c so
 * the rule "only a human folds" is in one short file, and in core/ so
 * index/answers_eval.c folds as the build does without depending on
 * render/.
 */
#include "core/fold.h"


/* How far a chain of duplicates is followed (A dup of B dup of C), and
 * how many questions a search looks at. */
#define DUP_STEPS 8
#define DUP_SEEN 64

/* Thread i folds into the first question, breadth first along its
 * duplicate links (each thread's in id order), that has an
 * entry and duplicates nothing: a question closed as a duplicate of
 * several is folded into one that is answered here. */
static void
fold_dup(struct fold_thr *v, int i)
{
	int seen[DUP_SEEN], depth[DUP_SEEN];
	size_t head = 0, n = 1, k, z;

	seen[0] = i;
	depth[0] = 0;
	for (; head < n; head++) {
		const struct fold_thr *u = &v[seen[head]];

		if (head > 0 && u->page && u->ndup == 0) {
			v[i].fold = seen[head];
			return;
		}
		if (depth[head] == DUP_STEPS)
			continue;
		for (k = 0; k < u->ndup && n < DUP_SEEN; k++) {
			for (z = 0; z < n && seen[z] != u->dup[k]; z++)
				;
			if (z < n)
				continue; /* a cycle, or met already */
			seen[n] = u->dup[k];
			depth[n++] = depth[head] + 1;
		}
	}
}

/* Thread i's fold, followed to a thread that folds nowhere. */
static void
fold_final(struct fold_thr *v, int i)
{
	int t = v[i].fold, steps;

	for (steps = 0; steps < DUP_STEPS && v[t].fold >= 0; steps++) {
		t = v[t].fold;
		if (t == i)
			break;
	}
	v[i].fold = (t == i || v[t].fold >= 0) ? -1 : t;
}

void
fold_decide(struct fold_thr *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		v[i].fold = -1;
		if (v[i].in_scope && v[i].ndup)
			fold_dup(v, (int)i);
	}
	/* The writers' merges win over the human duplicates. */
	for (i = 0; i < n; i++) {
		int m = v[i].merge;

		if (v[i].in_scope && m >= 0 && m != (int)i && v[m].page &&
		    v[m].merge < 0)
			v[i].fold = m;
	}
	/* A fold's target may fold too (a merge into a duplicate, a
	 * duplicate of a merged question): point every fold at the end of
	 * its chain, so no redirect leads to a redirect; a chain that comes
	 * back (a merge into one's own duplicate) folds nothing. */
	for (i = 0; i < n; i++)
		if (v[i].fold >= 0)
			fold_final(v, (int)i);
	for (i = 0; i < n; i++)
		if (v[i].fold >= 0)
			v[i].page = 0;
}

int
fold_near(double sim)
{
	return sim >= FOLD_NEAR_MIN;
}
