/*
 * fold: which threads redirect to another thread's entry, and what a
 * published URL becomes when its thread changes (docs/site.md).
 *
 * Only a human says two questions are the same: a duplicate link of the
 * source (Stack Exchange PostLinks type 3, a duplicate closure) or a
 * writer's curation `merge`.  A machine-found near-duplicate (a cluster
 * member close to its canonical question, index/cluster.c) never folds:
 * both pages list it as related, and the writers' report offers it as a
 * merge suggestion.  A published thread URL stays (render/plan.c,
 * keep_urls).
 * Pure functions: no I/O, no messages.
 */
#ifndef FQ_CORE_FOLD_H
#define FQ_CORE_FOLD_H

#include <stddef.h>

/* A cluster member at least this close (cosine) to its canonical
 * question is a near-duplicate: related on both entries, and a merge
 * suggestion in the report.  Below it a member is only listed on its
 * topic's page.  The cosine is cluster_members.similarity. */
#define FOLD_NEAR_MIN 0.30

/* One thread as the fold decision sees it: render/model.c (and
 * index/answers_eval.c) fill the inputs. */
struct fold_thr {
	int page;       /* in: has an entry of its own; out: 0 once folded */
	int in_scope;   /* in: within the tag scope and not hidden */
	int merge;      /* in: curation merge target (an index), or -1 */
	const int *dup; /* in: indexes of the threads it duplicates */
	size_t ndup;    /*     (human links, in the source's order) */
	int fold;       /* out: the entry it redirects to, or -1 */
};

/*
 * Decides v[0..n).fold: a human duplicate folds into the question it
 * duplicates, followed a few steps along a chain, breadth first (a
 * cycle folds nothing), the first one that has an entry and duplicates
 * nothing; a
 * writer's merge wins over it if its target has an entry and is not
 * merged itself.  A folded thread's page is cleared.
 */
void fold_decide(struct fold_thr *v, size_t n);

/* Whether a cluster member at cosine sim from its canonical question is
 * a near-duplicate of it (FOLD_NEAR_MIN). */
int fold_near(double sim);

#endif
