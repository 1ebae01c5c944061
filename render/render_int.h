/*
 * Shared inside render/ only (not an interface for other stages).
 */
#ifndef FQ_RENDER_INT_H
#define FQ_RENDER_INT_H

/* The URL pieces of an entry, /q/<short name>/<id>/<slug>/ (site.c):
 * heap strings the caller frees. */
char *render_short_name(const char *source_name);
char *render_slugify(const char *title);

#endif
