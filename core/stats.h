/*
 * stats: what `faqtory stats` prints, the store's counts per source
 * (questions, answers, accepted, community, comments, duplicate links,
 * what ingest skipped) and the publishing rule they were counted under.
 * In core/ because it reads what every stage wrote: ingest's rows, the
 * index's answer choices through core/answerpolicy.h.
 */
#ifndef FQ_STATS_H
#define FQ_STATS_H

#include "answerpolicy.h"
#include "buf.h"

struct store;

/* Appends the table (json 0) or the JSON document (json 1) to out,
 * each ending in a newline.  Returns 0, or -1 after printing one error
 * line (out then holds a part). */
int stats_write(struct store *st, const struct answer_policy *p, int json,
    struct buf *out);

#endif
