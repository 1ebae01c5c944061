/*
 * parts: one piece of work split over threads (index_int.h).
 */
#include <pthread.h>
#include <stdlib.h>

#include "core/xmalloc.h"
#include "index/index_int.h"

void
index_parts(void *(*fn)(void *), void *jobs, size_t size, int njobs)
{
	pthread_t *th = xcalloc((size_t)njobs, sizeof *th);
	int *started = xcalloc((size_t)njobs, sizeof *started);
	int i;

	for (i = 1; i < njobs; i++)
		started[i] = pthread_create(&th[i], NULL, fn,
		    (char *)jobs + (size_t)i * size) == 0;
	fn(jobs);
	for (i = 1; i < njobs; i++) {
		if (started[i])
			pthread_join(th[i], NULL);
		else
			fn((char *)jobs + (size_t)i * size); /* here instead */
	}
	free(th);
	free(started);
}
