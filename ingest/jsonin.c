/*
 * JSON input helpers; see ingest_int.h (jsonin).
 */
#include "ingest_int.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"

int
jin_slurp(struct sink *k, struct member *m, size_t cap, struct buf *out)
{
	ssize_t r;

	buf_reset(out);
	for (;;) {
		buf_grow(out, 1 << 16);
		r = m->read(m, out->data + out->len, 1 << 16);
		if (r < 0) {
			const char *e = input_error(m);

			return sink_fail(k, "%s", e ? e : "read error");
		}
		if (r == 0)
			break;
		out->len += (size_t)r;
		out->data[out->len] = '\0';
		if (out->len > cap)
			return sink_fail(k, "larger than the %zu MB a document "
			    "may have", cap >> 20);
	}
	k->res->bytes += (int64_t)out->len;
	return 0;
}

json_t *
jin_load(struct sink *k, const char *data, size_t n, long line)
{
	json_error_t e;
	json_t *v = json_loadb(data, n, 0, &e);

	if (v == NULL) {
		/* Positions first, as for XML: "file:line:col: what". */
		if (line > 0)
			fq_err("%s:%d: %s", k->where, e.column, e.text);
		else
			fq_err("%s:%d:%d: %s", k->where, e.line, e.column,
			    e.text);
		return NULL;
	}
	if (!json_is_object(v) && !json_is_array(v)) {
		sink_fail(k, "expected an object, found %s", jin_type(v));
		json_decref(v);
		return NULL;
	}
	return v;
}

const char *
jin_type(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

/* The value at key, or NULL when absent or null (an error if required). */
static int
get(struct sink *k, json_t *o, const char *key, int required, json_t **v)
{
	*v = json_is_object(o) ? json_object_get(o, key) : NULL;
	if (*v && json_is_null(*v))
		*v = NULL;
	if (*v == NULL && required)
		return sink_fail(k, "'%s' is missing", key);
	return 0;
}

static int
wrong(struct sink *k, const char *key, const json_t *v, const char *want)
{
	return sink_fail(k, "'%s' is %s, expected %s", key, jin_type(v), want);
}

int
jin_str(struct sink *k, json_t *o, const char *key, int required,
    const char **s, size_t *n)
{
	json_t *v;

	*s = NULL;
	*n = 0;
	if (get(k, o, key, required, &v) < 0)
		return -1;
	if (v == NULL)
		return 0;
	if (!json_is_string(v))
		return wrong(k, key, v, "a string");
	if (json_string_length(v) > JIN_FIELD_MAX)
		return sink_fail(k, "'%s' is %.1f MB, over the %zu MB a field "
		    "may have", key, (double)json_string_length(v) / 1048576.0,
		    JIN_FIELD_MAX >> 20);
	*s = json_string_value(v);
	*n = json_string_length(v);
	return 0;
}

int
jin_int(struct sink *k, json_t *o, const char *key, int required,
    int64_t *out)
{
	json_t *v;
	double d;

	if (get(k, o, key, required, &v) < 0)
		return -1;
	if (v == NULL)
		return 0;
	if (json_is_integer(v)) {
		*out = (int64_t)json_integer_value(v);
		return 0;
	}
	if (!json_is_real(v))
		return wrong(k, key, v, "a number");
	d = json_real_value(v);
	if (!(d > -9e15 && d < 9e15))
		return sink_fail(k, "'%s' is out of range", key);
	*out = (int64_t)d;
	return 0;
}

int
jin_bool(struct sink *k, json_t *o, const char *key, int *out)
{
	json_t *v;

	if (get(k, o, key, 0, &v) < 0)
		return -1;
	if (v == NULL)
		return 0;
	if (!json_is_boolean(v))
		return wrong(k, key, v, "true or false");
	*out = json_is_true(v);
	return 0;
}

int
jin_obj(struct sink *k, json_t *o, const char *key, int required,
    json_t **out)
{
	json_t *v;

	*out = NULL;
	if (get(k, o, key, required, &v) < 0)
		return -1;
	if (v && !json_is_object(v))
		return wrong(k, key, v, "an object");
	*out = v;
	return 0;
}

int
jin_arr(struct sink *k, json_t *o, const char *key, int required,
    json_t **out)
{
	json_t *v;

	*out = NULL;
	if (get(k, o, key, required, &v) < 0)
		return -1;
	if (v && !json_is_array(v))
		return wrong(k, key, v, "an array");
	*out = v;
	return 0;
}

int
jin_id(struct sink *k, json_t *o, const char *key, int required,
    int64_t *id, int *present)
{
	json_t *v;
	const char *s;
	size_t n, i;
	int64_t x = 0;

	if (present)
		*present = 0;
	if (get(k, o, key, required, &v) < 0)
		return -1;
	if (v == NULL)
		return 0;
	if (json_is_integer(v)) {
		x = (int64_t)json_integer_value(v);
		if (x < 0 || x >= SINK_ID_LIMIT)
			return sink_fail(k, "'%s' %lld is out of range (0 to "
			    "2^52-1)", key, (long long)x);
	} else if (json_is_string(v) && json_string_length(v) > 0 &&
	    json_string_length(v) <= 1024) {
		s = json_string_value(v);
		n = json_string_length(v);
		for (i = 0; i < n && i < 16 && s[i] >= '0' && s[i] <= '9'; i++)
			x = x * 10 + (s[i] - '0');
		if (i < n || x >= SINK_ID_LIMIT || (n > 1 && s[0] == '0'))
			x = sink_synth_id(s, n);
	} else {
		return wrong(k, key, v, "an integer id or a non-empty string");
	}
	*id = x;
	if (present)
		*present = 1;
	return 0;
}

int
jin_node_id(struct sink *k, json_t *o, int64_t thread, const char *pos,
    int hash_strings, struct buf *key, int64_t *id)
{
	int present;

	if (jin_id(k, o, "id", 0, id, &present) < 0)
		return -1;
	if (present && hash_strings &&
	    !json_is_integer(json_object_get(o, "id")) && *id < SINK_ID_LIMIT)
		present = 0;
	if (!present) {
		buf_reset(key);
		buf_printf(key, "%lld#%s", (long long)thread, pos);
		*id = sink_synth_id(key->data, key->len);
	}
	return 0;
}
