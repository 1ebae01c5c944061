/*
 * libFuzzer target for ingest/discourse.c: a categories.json (or
 * site.json) read next to one fixed topic of category 9, then resolved
 * as a source's end does (discourse_finish).  When the source is
 * accepted, the topic has exactly one category tag, and it is not empty.
 */
#include "json_target.h"

static const char topic_json[] =
    "{\"id\": 468, \"title\": \"how to build samples?\","
    " \"created_at\": \"2014-10-06T15:21:33.000Z\", \"category_id\": 9,"
    " \"tags\": [\"build\"], \"post_stream\": {\"posts\": [{\"id\": 2565,"
    " \"created_at\": \"2014-10-06T15:21:33.000Z\", \"cooked\": \"<p>Do I"
    " need a directive to compile the samples?</p>\", \"post_number\": 1,"
    " \"post_type\": 1, \"user_id\": 76}], \"stream\": [2565]}}";

static const char category_tags[] =
    "SELECT count(*), min(length(tag)) FROM thread_tags WHERE"
    " source_id=?1 AND thread_ext=468 AND pos=0";

static int
doc(struct sink *k, const char *data, size_t n)
{
	sqlite3_stmt *s;

	if (discourse_document(k, topic_json, sizeof topic_json - 1, NULL) < 0)
		abort();
	if (discourse_categories(k, data, n) < 0 || discourse_finish(k) < 0)
		return -1;
	s = store_stmt(k->st, category_tags);
	sqlite3_bind_int64(s, 1, k->source);
	if (sqlite3_step(s) != SQLITE_ROW || sqlite3_column_int(s, 0) != 1 ||
	    sqlite3_column_int(s, 1) < 1)
		abort();
	sqlite3_reset(s);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return json_target(data, size, "discourse", doc);
}
