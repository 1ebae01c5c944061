/*
 * shortname: a source's short name, the <src> of its public URLs
 * (/q/<src>/<id>/...), decided by ingest and kept in sources.short so
 * that no two sources of a store ever share one.
 *
 * The base is the source's name without ".stackexchange.com",
 * lowercased, every character but [a-z0-9-] and a '.' after the first
 * character becoming '-' (beer.stackexchange.com -> beer, forum_a ->
 * forum-a).  When that is taken, the source gets base-2, base-3, ...
 * (the first free one); sources are named in the order of their id, so
 * the first one ingested keeps the plain base.  A short name never
 * changes once given.  docs/sources.md says the same to users.
 */
#ifndef FQ_SHORTNAME_H
#define FQ_SHORTNAME_H

struct store;

/* The base short name of a source name; heap string, caller frees. */
char *shortname_base(const char *source_name);

/* Gives every source of the store without a short name its own, in id
 * order.  Inside the caller's transaction.  Returns 0, or -1 after
 * printing the store's error. */
int shortname_assign(struct store *st);

#endif
