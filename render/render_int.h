/*
 * Shared inside render/ only (not an interface for other stages).
 */
#ifndef FQ_RENDER_INT_H
#define FQ_RENDER_INT_H

/* The slug of an entry's URL, /q/<short name>/<id>/<slug>/ (site.c;
 * the short name is sources.short): a heap string the caller frees. */
char *render_slugify(const char *title);

#endif
