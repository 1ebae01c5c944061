/*
 * output: what `faqtory index` and `faqtory build` say about an index
 * run, its summary lines and its --json document (docs/index.md).
 */
#include "index/index.h"

#include "core/err.h"

void
index_result_note(const struct index_result *r)
{
	fq_note("index: %lld threads (%lld new, %lld changed, %lld removed, "
	    "%lld unchanged) in %.2f s; %lld related, %lld clusters of %lld "
	    "questions in %.2f s (%lld questions queried)",
	    (long long)r->threads, (long long)r->added,
	    (long long)r->changed, (long long)r->removed,
	    (long long)r->unchanged, (double)r->ms_text / 1000.0,
	    (long long)r->related, (long long)r->clusters,
	    (long long)r->clustered, (double)r->ms_cluster / 1000.0,
	    (long long)r->queried);
	fq_note("index: answers: %lld accepted, %lld community candidates "
	    "(%lld above the threshold, with evidence) in %.2f s",
	    (long long)r->answers_accepted, (long long)r->answers_community,
	    (long long)r->answers_confident, (double)r->ms_answers / 1000.0);
}

void
index_result_brief(const struct index_result *r, int64_t ms)
{
	fq_note("index: %lld threads, %lld clusters in %.2f s",
	    (long long)r->threads, (long long)r->clusters,
	    (double)ms / 1000.0);
}

void
index_result_json(const struct index_result *r, struct buf *out)
{
	buf_printf(out, "{\"threads\":%lld,\"added\":%lld,\"changed\":%lld,"
	    "\"removed\":%lld,\"unchanged\":%lld,\"related\":%lld,"
	    "\"queried\":%lld,\"clusters\":%lld,\"clustered\":%lld,"
	    "\"answers\":{\"accepted\":%lld,\"community\":%lld,"
	    "\"confident\":%lld}}\n",
	    (long long)r->threads, (long long)r->added,
	    (long long)r->changed, (long long)r->removed,
	    (long long)r->unchanged, (long long)r->related,
	    (long long)r->queried, (long long)r->clusters,
	    (long long)r->clustered,
	    (long long)r->answers_accepted,
	    (long long)r->answers_community,
	    (long long)r->answers_confident);
}
