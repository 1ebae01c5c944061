#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "shortname.h"
#include "xmalloc.h"

/* Each step brings the schema from version i to i+1. */
static const char *const migrations[] = {
	/* 1: the foundation schema. */
	"CREATE TABLE sources("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"      /* e.g. beer.stackexchange.com */
	"  kind TEXT NOT NULL,"             /* stackexchange, discourse, ... */
	"  origin TEXT NOT NULL,"           /* the path it was last read from */
	"  newest TEXT,"                    /* newest date in the data */
	"  skipped TEXT NOT NULL DEFAULT '{}'," /* JSON: reason -> count */
	"  missing TEXT NOT NULL DEFAULT ''" /* optional files absent */
	");"
	"CREATE TABLE authors("
	"  source_id INTEGER NOT NULL,"
	"  ext_id INTEGER NOT NULL,"
	"  name TEXT NOT NULL,"
	"  reputation INTEGER,"
	"  role TEXT,"          /* NULL, staff, moderator, admin, system */
	"  created TEXT,"
	"  url TEXT,"
	"  PRIMARY KEY(source_id, ext_id)"
	") WITHOUT ROWID;"
	/* One thread per question.  id is stable across re-ingests: other
	 * stages (full-text rowids, clusters) refer to it. */
	"CREATE TABLE threads("
	"  id INTEGER PRIMARY KEY,"
	"  source_id INTEGER NOT NULL,"
	"  ext_id INTEGER NOT NULL,"
	"  title TEXT NOT NULL,"
	"  created TEXT,"
	"  last_activity TEXT,"
	"  closed TEXT,"
	"  score INTEGER NOT NULL DEFAULT 0,"
	"  views INTEGER NOT NULL DEFAULT 0,"
	"  accepted_ext INTEGER,"  /* as the source says; see posts.accepted */
	"  url TEXT,"
	"  meta_hash INTEGER NOT NULL DEFAULT 0,"
	"  hash INTEGER NOT NULL DEFAULT 0,"   /* content hash of the thread */
	"  UNIQUE(source_id, ext_id)"
	");"
	/* Questions (kind 1) and answers (kind 2).  Bodies are stored only
	 * as sanitized HTML; their plain text is derived when indexing
	 * (sanitize_html is idempotent and returns it), which halves what
	 * ingest writes. */
	"CREATE TABLE posts("
	"  source_id INTEGER NOT NULL,"
	"  ext_id INTEGER NOT NULL,"
	"  thread_ext INTEGER NOT NULL,"
	"  kind INTEGER NOT NULL,"
	"  created TEXT,"
	"  edited TEXT,"
	"  score INTEGER NOT NULL DEFAULT 0,"
	"  author_ext INTEGER,"      /* authors.ext_id, NULL if deleted */
	"  author_name TEXT,"        /* display name given with the post */
	"  license TEXT,"
	"  accepted INTEGER NOT NULL DEFAULT 0,"
	"  hash INTEGER NOT NULL,"
	"  body_html TEXT NOT NULL,"  /* last: reading the columns before a
				       * long body never walks its overflow */
	"  PRIMARY KEY(source_id, ext_id)"
	");"
	/* Covering for what hashing and resolving read per thread, so those
	 * never touch the rows (and their long bodies). */
	"CREATE INDEX posts_thread ON posts(source_id, thread_ext, kind,"
	" ext_id, hash, accepted);"
	"CREATE TABLE comments("
	"  source_id INTEGER NOT NULL,"
	"  ext_id INTEGER NOT NULL,"
	"  post_ext INTEGER NOT NULL,"
	"  created TEXT,"
	"  score INTEGER NOT NULL DEFAULT 0,"
	"  author_ext INTEGER,"
	"  author_name TEXT,"
	"  license TEXT,"
	"  hash INTEGER NOT NULL,"
	"  body_html TEXT NOT NULL,"
	"  PRIMARY KEY(source_id, ext_id)"
	");"
	"CREATE INDEX comments_post ON comments(source_id, post_ext, hash);"
	"CREATE TABLE tags("
	"  source_id INTEGER NOT NULL,"
	"  name TEXT NOT NULL,"
	"  count INTEGER NOT NULL DEFAULT 0,"
	"  description TEXT,"  /* plain text, e.g. the tag wiki excerpt */
	"  PRIMARY KEY(source_id, name)"
	") WITHOUT ROWID;"
	/* Key columns first: SQLite 3.40's integrity_check misreads NOT
	 * NULL columns that precede key columns in WITHOUT ROWID tables. */
	"CREATE TABLE thread_tags("
	"  source_id INTEGER NOT NULL,"
	"  thread_ext INTEGER NOT NULL,"
	"  tag TEXT NOT NULL,"
	"  pos INTEGER NOT NULL,"
	"  PRIMARY KEY(source_id, thread_ext, tag)"
	") WITHOUT ROWID;"
	"CREATE INDEX thread_tags_tag ON thread_tags(source_id, tag);"
	/* kind: 'duplicate' (from_ext is a duplicate of to_ext) or
	 * 'related'.  Only links whose both ends are present are kept. */
	"CREATE TABLE links("
	"  source_id INTEGER NOT NULL,"
	"  from_ext INTEGER NOT NULL,"
	"  to_ext INTEGER NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  origin TEXT NOT NULL,"  /* postlinks, closure, ... */
	"  PRIMARY KEY(source_id, from_ext, to_ext, kind)"
	") WITHOUT ROWID;"
	"CREATE INDEX links_to ON links(source_id, to_ext);",
	/* 2: the index stage (index/index.h).  Its FTS5 table `fts` is
	 * created by index/ itself: its tokenizer is ours (registered by
	 * index_open) and its definition names the sources' languages,
	 * which are data, not schema (docs/index.md). */
	"ALTER TABLE sources ADD COLUMN lang TEXT;" /* Snowball list, NULL: english */
	/* What the full-text index holds per thread: the content hash it
	 * was built from and the thread's term vector (for clustering). */
	"CREATE TABLE index_threads("
	"  thread_id INTEGER PRIMARY KEY,"
	"  hash INTEGER NOT NULL,"
	"  terms BLOB NOT NULL"
	");"
	"CREATE TABLE index_meta("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL"
	") WITHOUT ROWID;"
	/* The k nearest questions of each question, rank 0 nearest. */
	"CREATE TABLE related("
	"  thread_id INTEGER NOT NULL,"
	"  rank INTEGER NOT NULL,"
	"  other_id INTEGER NOT NULL,"
	"  score REAL NOT NULL,"
	"  PRIMARY KEY(thread_id, rank)"
	") WITHOUT ROWID;"
	/* Recurring issues; id is the canonical thread's id. */
	"CREATE TABLE clusters("
	"  id INTEGER PRIMARY KEY,"
	"  canonical_thread INTEGER NOT NULL,"
	"  label TEXT NOT NULL,"
	"  size INTEGER NOT NULL,"
	"  first_seen TEXT,"
	"  last_seen TEXT"
	");"
	"CREATE TABLE cluster_members("
	"  cluster_id INTEGER NOT NULL,"
	"  thread_id INTEGER NOT NULL,"
	"  similarity REAL NOT NULL,"
	"  PRIMARY KEY(cluster_id, thread_id)"
	") WITHOUT ROWID;"
	"CREATE UNIQUE INDEX cluster_members_thread ON cluster_members(thread_id);",
	/* 3: the writers' loop (docs/trends.md).  `curation` is what the
	 * curation file said, written by ingest/curation.c at the start of
	 * a build (one row per action; articles already sanitized HTML);
	 * `flags` are computed by index/trends.c. */
	"CREATE TABLE curation("
	"  file TEXT NOT NULL,"        /* the curation file, for messages */
	"  line INTEGER NOT NULL,"
	"  action TEXT NOT NULL,"      /* pin hide merge retitle article dismiss */
	"  thread_id INTEGER NOT NULL," /* threads.id of the entry */
	"  target_id INTEGER,"         /* merge: the entry it folds into */
	"  text TEXT,"                 /* retitle: title; article: writer */
	"  html TEXT,"                 /* article: sanitized HTML */
	"  kind TEXT,"                 /* dismiss: the flag kind */
	"  score REAL,"                /* dismiss: its score when dismissed */
	"  PRIMARY KEY(line)"
	");"
	"CREATE INDEX curation_thread ON curation(thread_id, action);"
	/* Phrases that, in a comment on an accepted answer, say it does not
	 * work; per Snowball language name ('english', ...).  Empty: the
	 * built-in lists of index/trends.c. */
	"CREATE TABLE curation_phrases("
	"  lang TEXT NOT NULL,"
	"  phrase TEXT NOT NULL,"
	"  PRIMARY KEY(lang, phrase)"
	") WITHOUT ROWID;"
	/* kind: rising, gap, suspect_answer, unanswered.  thread_id is the
	 * question (for a recurring issue, its canonical question). */
	"CREATE TABLE flags("
	"  kind TEXT NOT NULL,"
	"  thread_id INTEGER NOT NULL,"
	"  cluster_id INTEGER,"        /* NULL: not in a recurring issue */
	"  score REAL NOT NULL,"
	"  evidence TEXT NOT NULL,"    /* JSON object */
	"  dismissed INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY(kind, thread_id)"
	") WITHOUT ROWID;",
	/* 4: the render reads the authors and accepted answers of every
	 * thread (render/model.c): indexes that cover those columns spare
	 * it a pass over every body (at 20x the beer site, 48 of its
	 * 90 ms of loading). */
	"DROP INDEX posts_thread;"
	"CREATE INDEX posts_thread ON posts(source_id, thread_ext, kind,"
	"  ext_id, hash, accepted, author_ext, score, author_name);"
	"DROP INDEX comments_post;"
	"CREATE INDEX comments_post ON comments(source_id, post_ext, hash,"
	"  ext_id, author_ext);",
	/* 5: each source's short name, the <src> of its URLs, decided once
	 * by ingest and unique in the store (core/shortname.h); sources
	 * already present are named when this step runs (see migrate). */
	("ALTER TABLE sources ADD COLUMN short TEXT;"
	 "CREATE UNIQUE INDEX sources_short ON sources(short);"),
	/* 6: every Stack Exchange post and comment says its licence: a
	 * dump older than ContentLicense (2019) gets the one Stack
	 * Exchange applied at the content's date (core/license.h), as
	 * ingest now stores it.  Here by the creation date; the next
	 * ingest of the dump refines a post's by its last edit. */
	"UPDATE posts SET license = CASE"
	"  WHEN created < '2011-04-08' THEN 'CC BY-SA 2.5'"
	"  WHEN created < '2018-05-02' THEN 'CC BY-SA 3.0'"
	"  ELSE 'CC BY-SA 4.0' END"
	" WHERE license IS NULL AND created IS NOT NULL AND source_id IN"
	"  (SELECT id FROM sources WHERE kind = 'stackexchange');"
	"UPDATE comments SET license = CASE"
	"  WHEN created < '2011-04-08' THEN 'CC BY-SA 2.5'"
	"  WHEN created < '2018-05-02' THEN 'CC BY-SA 3.0'"
	"  ELSE 'CC BY-SA 4.0' END"
	" WHERE license IS NULL AND created IS NOT NULL AND source_id IN"
	"  (SELECT id FROM sources WHERE kind = 'stackexchange');",
	/* 7: each post's original URL where its source gives or implies
	 * one (docs/sources.md), for the page's structured data.  Stack
	 * Exchange's follows from the site (the source's name), as ingest
	 * now builds it; the other formats get theirs at the next ingest.
	 * Last in the row, after the body: only the render's post read,
	 * which takes the body anyway, asks for it. */
	"ALTER TABLE posts ADD COLUMN url TEXT;"
	"UPDATE posts SET url = 'https://' || (SELECT s.name FROM sources s"
	"  WHERE s.id = posts.source_id) || CASE kind WHEN 1 THEN '/q/'"
	"  ELSE '/a/' END || ext_id"
	" WHERE source_id IN"
	"  (SELECT id FROM sources WHERE kind = 'stackexchange');",
	/* 8: the evidence answer selection weighs (docs/answer-selection.md):
	 * when the asker accepted, and the votes each post had by then.
	 * Votes are kept per post and day, never one row per vote: Stack
	 * Exchange dates them to the day anyway, and big sites have
	 * millions.  They are not part of any content hash (a vote changes
	 * nothing a page shows).  Filled by the next ingest of a dump. */
	"ALTER TABLE threads ADD COLUMN accepted_day TEXT;" /* sink_vote */
	"CREATE TABLE votes("
	"  source_id INTEGER NOT NULL,"
	"  post_ext INTEGER NOT NULL,"   /* posts.ext_id: question or answer */
	"  day TEXT NOT NULL,"           /* YYYY-MM-DD, UTC */
	"  up INTEGER NOT NULL,"
	"  down INTEGER NOT NULL,"
	"  PRIMARY KEY(source_id, post_ext, day)"
	") WITHOUT ROWID;",
	/* 9: the answer each thread would publish, chosen by `faqtory
	 * index` (index/answers.c, docs/answer-selection.md); whether it
	 * is published is decided later under the config
	 * (core/answerpolicy.h). */
	"CREATE TABLE answer_choice("
	"  thread_id INTEGER PRIMARY KEY,"  /* threads.id */
	"  kind TEXT NOT NULL,"             /* accepted, community, none */
	"  post_ext INTEGER,"               /* posts.ext_id; NULL: none */
	"  confidence REAL NOT NULL,"       /* accepted 1, none 0 */
	"  gate INTEGER NOT NULL,"          /* the evidence gate passed */
	"  score INTEGER,"                  /* the chosen answer's */
	"  next_score INTEGER,"             /* best other candidate's */
	"  nanswers INTEGER NOT NULL,"      /* candidates considered */
	"  thanks INTEGER NOT NULL,"        /* the asker thanked (0/1) */
	"  self_fix INTEGER NOT NULL,"      /* the asker's own fix (0/1) */
	"  staff INTEGER NOT NULL"          /* staff author (0/1) */
	") WITHOUT ROWID;",
	/* 10: the static search's data, computed by `faqtory index`
	 * (index/searchdata.c) and read by render (docs/search.md), until
	 * now created by index/ itself.  Whatever an older faqtory stored
	 * there may have another shape: it is dropped, and the next index
	 * rebuilds it (no 'search' key: render notes that the search is
	 * empty until then). */
	"DROP TABLE IF EXISTS search_vocab;"
	"DROP TABLE IF EXISTS search_docs;"
	"DROP TABLE IF EXISTS search_forms;"
	"DELETE FROM index_meta WHERE key = 'search';"
	/* One row: the vocabulary as one blob (index/searchdata.c). */
	"CREATE TABLE search_vocab("
	"  terms BLOB NOT NULL"
	");"
	/* Per thread: positions, term ids and frequencies, snippet. */
	"CREATE TABLE search_docs("
	"  thread_id INTEGER PRIMARY KEY,"
	"  hash INTEGER NOT NULL,"
	"  len INTEGER NOT NULL,"
	"  terms BLOB NOT NULL,"
	"  snippet TEXT NOT NULL"
	");"
	/* Plain words whose query token is a different stem. */
	"CREATE TABLE search_forms("
	"  form TEXT PRIMARY KEY,"
	"  term TEXT NOT NULL,"
	"  term_id INTEGER NOT NULL" /* vocabulary id of term */
	") WITHOUT ROWID;",
	/* 11: links between posts of one source, resolved by ingest when
	 * it reads the source (ingest/postlink.c, docs/sources.md): each
	 * <a href> of a post's or comment's body that names a question or
	 * an answer of the same site, so the render maps it to the entry
	 * without parsing URLs.  Filled by the next ingest of a source. */
	"CREATE TABLE post_links("
	"  source_id INTEGER NOT NULL,"
	"  from_ext INTEGER NOT NULL,"  /* threads.ext_id: the page it is on */
	"  href TEXT NOT NULL,"         /* as in body_html (attribute-escaped) */
	"  to_ext INTEGER NOT NULL,"    /* threads.ext_id linked to */
	"  answer_ext INTEGER,"         /* the answer named; NULL: none */
	"  PRIMARY KEY(source_id, from_ext, href)"
	") WITHOUT ROWID;",
	/* 12: recurring issues, the tight level of clusters beside the
	 * topics in `clusters` (index/issues.c, docs/index.md).  id is the
	 * canonical thread's id, as for topics; a question is in at most
	 * one issue.  Filled by the next index. */
	"CREATE TABLE issues("
	"  id INTEGER PRIMARY KEY,"
	"  canonical_thread INTEGER NOT NULL,"
	"  label TEXT NOT NULL,"           /* the canonical question's title */
	"  size INTEGER NOT NULL,"
	"  first_seen TEXT,"
	"  last_seen TEXT"
	");"
	"CREATE TABLE issue_members("
	"  issue_id INTEGER NOT NULL,"
	"  thread_id INTEGER NOT NULL,"
	"  similarity REAL NOT NULL,"     /* cosine to the canonical */
	"  PRIMARY KEY(issue_id, thread_id)"
	") WITHOUT ROWID;"
	"CREATE UNIQUE INDEX issue_members_thread ON issue_members(thread_id);",
	/* 13: the cosine candidates of each question, kept between runs
	 * so that a nightly index queries only what changed
	 * (index/neighbours_store.c).  Filled by the next index. */
	"CREATE TABLE index_neighbours("
	"  thread_id INTEGER PRIMARY KEY,"
	"  hash INTEGER NOT NULL,"        /* index_threads.hash when computed */
	"  cands BLOB NOT NULL"           /* thread ids, 8 bytes LE each */
	");",
	/* 14: what ingest needs to keep a post the next snapshot gives
	 * again unchanged (ingest/keep.c): the hash of what the reader gave
	 * for each stored post, and the links of its body that name a post
	 * of the site (resolved into post_links at every ingest).  Empty
	 * for a store from before: its next ingest of a source writes
	 * every post again, as before. */
	"CREATE TABLE post_src("
	"  source_id INTEGER NOT NULL,"
	"  ext_id INTEGER NOT NULL,"     /* posts.ext_id */
	"  src INTEGER NOT NULL,"        /* hash of the reader's fields */
	"  PRIMARY KEY(source_id, ext_id)"
	") WITHOUT ROWID;"
	"CREATE TABLE post_hrefs("
	"  source_id INTEGER NOT NULL,"
	"  post_ext INTEGER NOT NULL,"   /* posts.ext_id whose body has it */
	"  href TEXT NOT NULL,"          /* as in body_html */
	"  what INTEGER NOT NULL,"       /* ingest/postlink.c */
	"  id INTEGER NOT NULL,"
	"  answer INTEGER,"
	"  own INTEGER NOT NULL"
	");"
	"CREATE INDEX post_hrefs_post ON post_hrefs(source_id, post_ext);",
};
/* The step after which existing sources need short names. */
#define MIGRATION_SHORT 5

#define NMIGRATIONS (sizeof migrations / sizeof migrations[0])
_Static_assert(NMIGRATIONS == STORE_SCHEMA_VERSION,
    "a migration step bumps STORE_SCHEMA_VERSION");
#define CACHE_SIZE 128

struct cached {
	const char *sql;
	sqlite3_stmt *stmt;
};

struct store {
	sqlite3 *db;
	char *path;
	int in_tx;
	struct cached cache[CACHE_SIZE];
};

uint64_t
fq_hash64(const void *p, size_t n, uint64_t seed)
{
	/* 8 bytes a step, then a final mix (a multiply-xorshift in the
	 * spirit of wyhash/xxh64): bodies are hashed at ingest speed. */
	const unsigned char *s = p;
	uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ULL), k;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&k, s + i, 8);
		k *= 0xff51afd7ed558ccdULL;
		k ^= k >> 32;
		h = (h ^ k) * 0xc4ceb9fe1a85ec53ULL;
		h ^= h >> 29;
	}
	k = 0;
	for (; i < n; i++)
		k = (k << 8) | s[i];
	h = (h ^ k ^ 0x100) * 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* fq_hsum(x): order-independent sum of 64-bit hashes, wrapping. */
static void
hsum_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	uint64_t *acc = sqlite3_aggregate_context(ctx, sizeof *acc);

	if (acc && sqlite3_value_type(argv[0]) != SQLITE_NULL)
		*acc += (uint64_t)sqlite3_value_int64(argv[0]);
}

static void
hsum_final(sqlite3_context *ctx)
{
	uint64_t *acc = sqlite3_aggregate_context(ctx, 0);

	sqlite3_result_int64(ctx, acc ? (int64_t)*acc : 0);
}

/* fq_hash(text...): FNV-1a over the arguments as text, NUL-separated. */
static void
hash_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	uint64_t h = 0;
	int i;

	for (i = 0; i < argc; i++) {
		const unsigned char *t = sqlite3_value_text(argv[i]);
		int n = sqlite3_value_bytes(argv[i]);

		h = fq_hash64(t ? (const void *)t : "", (size_t)n, h);
		h = fq_hash64("", 1, h);
	}
	sqlite3_result_int64(ctx, (int64_t)h);
}

static int
migrate(struct store *st, int readonly)
{
	sqlite3_stmt *s = NULL;
	int version = 0, rc;
	size_t i;
	char pragma[64];

	rc = sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL);
	if (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		version = sqlite3_column_int(s, 0);
	else
		rc = SQLITE_ERROR;
	sqlite3_finalize(s);
	if (rc != SQLITE_OK)
		return store_fail(st);
	if (version > (int)NMIGRATIONS) {
		fq_err("%s: store has schema version %d, newer than this "
		       "faqtory (%d)", st->path, version, (int)NMIGRATIONS);
		return -1;
	}
	if (version == (int)NMIGRATIONS)
		return 0;
	if (readonly) {
		fq_err("%s: %s", st->path, version == 0 ? "empty store (run "
		    "'faqtory ingest' first)" : "store needs migrating (run "
		    "'faqtory ingest' or 'faqtory index' once)");
		return -1;
	}
	if (store_begin(st) < 0)
		return -1;
	for (i = (size_t)version; i < NMIGRATIONS; i++) {
		if (store_exec(st, migrations[i]) < 0)
			goto fail;
	}
	if (version < MIGRATION_SHORT && shortname_assign(st) < 0)
		goto fail;
	snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d",
	    (int)NMIGRATIONS);
	if (store_exec(st, pragma) < 0 || store_commit(st) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(st);
	return -1;
}

struct store *
store_open(const char *path, int readonly)
{
	struct store *st = xcalloc(1, sizeof *st);
	/* NOMUTEX: a connection is used by one thread at a time (ingest's
	 * writer thread takes it over while the reader only queues). */
	int flags = (readonly ? SQLITE_OPEN_READONLY
			      : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
	    SQLITE_OPEN_NOMUTEX;

	st->path = xstrdup(path);
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
		fq_err("%s: %s", path,
		    st->db ? sqlite3_errmsg(st->db) : "cannot open store");
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, 5000);
	sqlite3_create_function(st->db, "fq_hsum", 1, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC, NULL, NULL, hsum_step, hsum_final);
	sqlite3_create_function(st->db, "fq_hash", -1, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC, NULL, hash_fn, NULL, NULL);
	/* The first statement that reads the file tells whether it is a
	 * database at all. */
	/* Big pages: post bodies are a few KB and ingest writes them in
	 * bulk, so 16 KB pages mean far fewer overflow pages and syscalls.
	 * Only takes effect while the file is still empty. */
	if (!readonly && store_exec(st, "PRAGMA page_size=16384") < 0)
		goto fail;
	if (!readonly && store_exec(st, "PRAGMA journal_mode=WAL") < 0)
		goto fail;
	if (store_exec(st, "PRAGMA synchronous=NORMAL;"
			   "PRAGMA foreign_keys=OFF;"
			   "PRAGMA cache_size=-4096") < 0)
		goto fail;
	if (migrate(st, readonly) < 0)
		goto fail;
	return st;
fail:
	store_close(st);
	return NULL;
}

void
store_close(struct store *st)
{
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < CACHE_SIZE; i++)
		sqlite3_finalize(st->cache[i].stmt);
	/* Also ends a read transaction opened with a plain BEGIN. */
	store_rollback(st);
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

sqlite3 *
store_db(struct store *st)
{
	return st->db;
}

const char *
store_path(struct store *st)
{
	return st->path;
}

int
store_fail(struct store *st)
{
	fq_err("%s: %s", st->path, sqlite3_errmsg(st->db));
	return -1;
}

sqlite3_stmt *
store_stmt(struct store *st, const char *sql)
{
	size_t h = ((uintptr_t)sql >> 3) % CACHE_SIZE, i;
	struct cached *c;

	for (i = 0; i < CACHE_SIZE; i++) {
		c = &st->cache[(h + i) % CACHE_SIZE];
		if (c->sql == sql) {
			sqlite3_reset(c->stmt);
			sqlite3_clear_bindings(c->stmt);
			return c->stmt;
		}
		if (c->sql == NULL)
			break;
	}
	if (i == CACHE_SIZE)
		xdie("statement cache full");
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &c->stmt, NULL) != SQLITE_OK) {
		fq_err("%s: %s", st->path, sqlite3_errmsg(st->db));
		fq_err("in statement: %s", sql);
		exit(EXIT_FAIL);
	}
	c->sql = sql;
	return c->stmt;
}

int
store_exec(struct store *st, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fq_err("%s: %s", st->path, msg ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int
store_done(struct store *st, sqlite3_stmt *stmt)
{
	int rc = sqlite3_step(stmt);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_fail(st);
	sqlite3_reset(stmt);
	return 0;
}

void
store_bulk(struct store *st, int on)
{
	sqlite3_exec(st->db, on ? "PRAGMA journal_mode=DELETE"
				: "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
}

static const char SQL_INTEGRITY[] = "PRAGMA integrity_check";

int
store_check(struct store *st)
{
	sqlite3_stmt *q = store_stmt(st, SQL_INTEGRITY);
	const char *r = NULL;
	int rc = 0;

	if (sqlite3_step(q) == SQLITE_ROW)
		r = (const char *)sqlite3_column_text(q, 0);
	if (r == NULL || strcmp(r, "ok") != 0) {
		fq_err("%s: integrity check failed: %s", st->path,
		    r ? r : sqlite3_errmsg(st->db));
		rc = -1;
	}
	sqlite3_reset(q);
	return rc;
}

int
store_begin(struct store *st)
{
	if (store_exec(st, "BEGIN IMMEDIATE") < 0)
		return -1;
	st->in_tx = 1;
	return 0;
}

int
store_commit(struct store *st)
{
	if (store_exec(st, "COMMIT") < 0)
		return -1;
	st->in_tx = 0;
	return 0;
}

void
store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->in_tx = 0;
}

static const char SQL_META_GET[] =
    "SELECT value FROM index_meta WHERE key = ?1";
static const char SQL_META_SET[] =
    "INSERT OR REPLACE INTO index_meta(key, value) VALUES(?1, ?2)";

int
store_meta_get(struct store *st, const char *key, struct buf *out)
{
	sqlite3_stmt *q = store_stmt(st, SQL_META_GET);
	int rc;

	bind_text(q, 1, key, strlen(key));
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		buf_put(out, sqlite3_column_text(q, 0),
		    (size_t)sqlite3_column_bytes(q, 0));
	rc = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : store_fail(st);
	sqlite3_reset(q);
	return rc;
}

int
store_meta_set(struct store *st, const char *key, const char *value,
    size_t n)
{
	sqlite3_stmt *q = store_stmt(st, SQL_META_SET);

	bind_text(q, 1, key, strlen(key));
	bind_text(q, 2, value, n);
	return store_done(st, q);
}

void
bind_text(sqlite3_stmt *s, int i, const char *p, size_t n)
{
	if (p == NULL)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_text64(s, i, p, n, SQLITE_TRANSIENT, SQLITE_UTF8);
}

void
bind_int(sqlite3_stmt *s, int i, int64_t v)
{
	sqlite3_bind_int64(s, i, v);
}
