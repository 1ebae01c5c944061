/*
 * core/license: the licence Stack Exchange applied at a date, the links
 * of Creative Commons licences, the content_license setting; and
 * render/locale's plural categories (the counted nouns of a page).
 */
#include "harness.h"

#include <stdlib.h>

#include "core/buf.h"
#include "core/license.h"
#include "render/locale.h"

static void
test_se_at(void)
{
	static const struct {
		const char *date, *want;
	} cases[] = {
		{ "2008-09-15T00:00:00", "CC BY-SA 2.5" },
		{ "2011-04-07T23:59:59", "CC BY-SA 2.5" },
		{ "2011-04-08T00:00:00", "CC BY-SA 3.0" },
		{ "2011-04-08", "CC BY-SA 3.0" },
		{ "2018-05-01T23:59:59.997", "CC BY-SA 3.0" },
		{ "2018-05-02T00:00:00", "CC BY-SA 4.0" },
		{ "2024-04-01T10:00:00", "CC BY-SA 4.0" },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		CHECK_STR(license_se_at(cases[i].date), cases[i].want);
	CHECK(license_se_at(NULL) == NULL);
	CHECK(license_se_at("") == NULL);
	CHECK(license_se_at("2018-5-2") == NULL);
	CHECK(license_se_at("yesterday") == NULL);
}

static void
test_cc_url(void)
{
	static const struct {
		const char *name, *want; /* want NULL: not known */
	} cases[] = {
		{ "CC BY-SA 2.5", "https://creativecommons.org/licenses/by-sa/2.5/" },
		{ "CC BY-SA 3.0", "https://creativecommons.org/licenses/by-sa/3.0/" },
		{ "CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/" },
		{ "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/" },
		{ "CC BY-NC-SA 3.0",
		  "https://creativecommons.org/licenses/by-nc-sa/3.0/" },
		{ "CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/" },
		{ "CC BY-SA", NULL },
		{ "CC BY-SA 4", NULL },
		{ "CC BY-SA 4.0 ", NULL },
		{ "CC BY-XX 4.0", NULL },
		{ "cc by-sa 4.0", NULL },
		{ "CC BY-SA 10.0", NULL },
		{ "MIT", NULL },
		{ "", NULL },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf b = BUF_INIT;
		int r = license_cc_url(cases[i].name, &b);

		if (cases[i].want) {
			CHECK(r == 1);
			CHECK_STR(b.data, cases[i].want);
		} else {
			CHECK(r == 0 && b.len == 0);
		}
		buf_release(&b);
	}
}

static void
test_parse(void)
{
	static const struct {
		const char *value, *name, *url; /* name NULL: an error */
	} cases[] = {
		{ "CC BY-SA 4.0", "CC BY-SA 4.0",
		  "https://creativecommons.org/licenses/by-sa/4.0/" },
		{ "Forum Terms <https://forum.example.com/tos>", "Forum Terms",
		  "https://forum.example.com/tos" },
		{ "Apache License 2.0  <http://a.example/L>", "Apache License 2.0",
		  "http://a.example/L" },
		{ "Forum Terms", NULL, NULL },
		{ "<https://x.example/>", NULL, NULL },
		{ "T <https://x.example/> more", NULL, NULL },
		{ "T <https://x.example/", NULL, NULL },
		{ "T <<https://x.example/>>", NULL, NULL },
		{ "T <javascript:alert(1)>", NULL, NULL },
		{ "T <https://x.example/a b>", NULL, NULL },
		{ "T <>", NULL, NULL },
		{ "T > <https://x.example/>", NULL, NULL },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *name, *url;
		const char *why = license_parse(cases[i].value, &name, &url);

		if (cases[i].name) {
			CHECK(why == NULL);
			CHECK_STR(name, cases[i].name);
			CHECK_STR(url, cases[i].url);
		} else {
			CHECK(why != NULL && name == NULL && url == NULL);
		}
		free(name);
		free(url);
	}
}

static void
test_plural(void)
{
	CHECK_STR(locale_plural("en", 1), "one");
	CHECK_STR(locale_plural("en", 0), "other");
	CHECK_STR(locale_plural("en", 2), "other");
	CHECK_STR(locale_plural("en", 21), "other");
	CHECK_STR(locale_plural("en-GB", 1), "one");
	CHECK_STR(locale_plural("id", 1), "other");
	CHECK_STR(locale_plural("id", 2), "other");
	CHECK_STR(locale_plural("fr", 0), "one");
	CHECK_STR(locale_plural("fr", 1), "one");
	CHECK_STR(locale_plural("fr", 2), "other");
	CHECK_STR(locale_plural("pt-BR", 0), "one");
	CHECK_STR(locale_plural("ja", 1), "other");
	CHECK_STR(locale_plural("de", 1), "one");
	CHECK_STR(locale_plural("idx", 1), "one"); /* not "id" */
}

void
run_tests(void)
{
	test_se_at();
	test_cc_url();
	test_parse();
	test_plural();
}
