/*
 * store: the one SQLite file every stage reads and writes.
 *
 * The schema is versioned with PRAGMA user_version and migrated forward
 * on open (see the migrations[] array in store.c; never edit a shipped
 * step, add one).  Rows from a source are keyed by (source_id, ext_id),
 * ext_id being the id the source itself uses, so that files of a dump
 * can arrive in any order and references are resolved at the end of
 * the source's transaction.
 *
 * Statements are prepared once and cached per connection, keyed by the
 * address of their SQL text: pass string literals or static arrays.
 */
#ifndef FQ_STORE_H
#define FQ_STORE_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

struct store;

/* Opens (creating if absent unless readonly) and migrates the store.
 * On failure prints one error line and returns NULL. */
struct store *store_open(const char *path, int readonly);
void store_close(struct store *st);
sqlite3 *store_db(struct store *st);
const char *store_path(struct store *st);

/* Returns the cached statement for `sql`, reset and with bindings
 * cleared; the store owns it.  Dies with a message if `sql` does not
 * compile (a programming error, not an input error). */
sqlite3_stmt *store_stmt(struct store *st, const char *sql);

/* Runs SQL without results.  On error prints "faqtory: DB: msg" and
 * returns -1; 0 on success. */
int store_exec(struct store *st, const char *sql);
/* Steps a statement expected to finish (INSERT/UPDATE/DELETE).  Returns
 * 0, or -1 after printing the error. */
int store_done(struct store *st, sqlite3_stmt *stmt);
/* Prints "faqtory: DB: <sqlite message>" and returns -1. */
int store_fail(struct store *st);

/* Bulk mode for a stage that writes much of the store at once: in WAL
 * mode every page is written twice (the log, then the checkpoint at
 * commit: a third of a fresh ingest's time); with a rollback journal,
 * pages new to the file are not journaled at all.  Atomicity is the
 * same.  The switch happens only when no other connection has the store
 * open (else WAL simply stays); it never fails and prints nothing. */
void store_bulk(struct store *st, int on);

/* PRAGMA integrity_check of the whole file (every table and index; the
 * index stage adds its FTS5 check, index_check).  Returns 0, or -1
 * after printing "PATH: integrity check failed: what". */
int store_check(struct store *st);

int store_begin(struct store *st);
int store_commit(struct store *st);
/* Safe to call when no transaction is open. */
void store_rollback(struct store *st);

/* Convenience binders: NULL or n==0 strings bind as given (NULL→NULL). */
void bind_text(sqlite3_stmt *s, int i, const char *p, size_t n);
void bind_int(sqlite3_stmt *s, int i, int64_t v);

/* index_meta (migration 2): the store's key-value metadata, written by
 * index/ (its configuration, versions and models) and read by every
 * stage.  The one reader and the one writer of that table.
 * store_meta_get appends the value of `key` to out (caller-owned) and
 * returns 1, or 0 if the key is absent (out unchanged), or -1 after
 * printing the error.  store_meta_set stores value (n bytes), replacing
 * any; 0 or -1 (error printed). */
int store_meta_get(struct store *st, const char *key, struct buf *out);
int store_meta_set(struct store *st, const char *key, const char *value,
    size_t n);

/* A fast 64-bit hash for content hashes (stable across versions: the
 * store keeps its values). */
uint64_t fq_hash64(const void *p, size_t n, uint64_t seed);

/* The schema version (PRAGMA user_version) this faqtory writes: the
 * number of migration steps. */
#define STORE_SCHEMA_VERSION 14

#endif
