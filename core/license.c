#include "license.h"

#include <string.h>

#include "url.h"
#include "xmalloc.h"

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

const char *
license_se_at(const char *date)
{
	static const char shape[] = "dddd-dd-dd";
	size_t i;

	if (date == NULL)
		return NULL;
	for (i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? !is_digit(date[i]) : date[i] != '-')
			return NULL;
	/* Dates of a dump are UTC, as are the dates of the rule. */
	if (strncmp(date, "2011-04-08", 10) < 0)
		return "CC BY-SA 2.5";
	if (strncmp(date, "2018-05-02", 10) < 0)
		return "CC BY-SA 3.0";
	return "CC BY-SA 4.0";
}

int
license_cc_url(const char *name, struct buf *out)
{
	static const char *const kinds[] = { "BY", "BY-SA", "BY-ND", "BY-NC",
		"BY-NC-SA", "BY-NC-ND" };
	const char *v, *sp;
	size_t i, k;

	if (strcmp(name, "CC0 1.0") == 0) {
		buf_puts(out, "https://creativecommons.org/publicdomain/zero/"
		    "1.0/");
		return 1;
	}
	if (strncmp(name, "CC ", 3) != 0 || (sp = strchr(name + 3, ' ')) ==
	    NULL)
		return 0;
	v = sp + 1;
	if (!is_digit(v[0]) || v[1] != '.' || !is_digit(v[2]) || v[3])
		return 0;
	for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		if (strlen(kinds[k]) == (size_t)(sp - name - 3) &&
		    strncmp(name + 3, kinds[k], (size_t)(sp - name - 3)) == 0)
			break;
	if (k == sizeof kinds / sizeof kinds[0])
		return 0;
	buf_puts(out, "https://creativecommons.org/licenses/");
	for (i = 0; kinds[k][i]; i++)
		buf_putc(out, (char)(kinds[k][i] | 0x20)); /* lower case */
	buf_printf(out, "/%s/", v);
	return 1;
}

const char *
license_parse(const char *value, char **name, char **url)
{
	struct buf b = BUF_INIT;
	const char *lt = strchr(value, '<');
	size_t n = strlen(value), nl;

	*name = *url = NULL;
	if (lt == NULL) {
		if (!license_cc_url(value, &b)) {
			buf_release(&b);
			return "content_license: not a licence faqtory knows; "
			       "write 'NAME <URL>' or one such as 'CC BY-SA "
			       "4.0'";
		}
		*name = xstrdup(value);
		*url = buf_detach(&b);
		return NULL;
	}
	for (nl = (size_t)(lt - value); nl > 0 && value[nl - 1] == ' '; nl--)
		;
	if (nl == 0 || value[n - 1] != '>' || strchr(lt + 1, '<') ||
	    memchr(value, '>', n - 1))
		return "content_license: expected 'NAME <URL>'";
	if (!url_is_safe(lt + 1, (size_t)(value + n - 1 - (lt + 1)),
	    URL_ABSOLUTE))
		return "content_license: the URL must be an absolute http:// "
		       "or https:// URL";
	*name = xstrndup(value, nl);
	*url = xstrndup(lt + 1, (size_t)(value + n - 1 - (lt + 1)));
	return NULL;
}
