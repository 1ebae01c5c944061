/* Internal to ingest/: the Stack Exchange reader (stackexchange.c). */
#ifndef FQ_SE_H
#define FQ_SE_H

struct store;
struct ingest_opts;
struct ingest_result;

/* Reads the dump at `path` as source `site` inside the caller's open
 * transaction.  Returns 0, or -1 after printing one error line. */
int se_ingest(struct store *st, const char *path, const char *site,
    const struct ingest_opts *opt, struct ingest_result *res);

#endif
