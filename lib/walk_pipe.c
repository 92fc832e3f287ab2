/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A walk in its own thread, pulled record by record (lib/walk.h): the
 * walk fills a batch of records, hands it over and goes on with the
 * next while the reader takes the first; at most PIPE_RING batches are
 * in flight. The walk waits when they are all taken, and ends when the
 * reader closes the pipe. */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "walk.h"

#define PIPE_BATCH 512	/* records per hand-over */
#define PIPE_RING 8	/* batches in flight */

struct walk_pipe {
	struct walk_params wp;
	size_t rec_size;
	walk_pipe_convert_fn *convert;
	pthread_t thread;
	bool started;
	pthread_mutex_t lock;
	pthread_cond_t data;		/* a batch is ready, or the walk ended */
	pthread_cond_t space;		/* a batch was given back, or stop */
	unsigned char *mem;		/* PIPE_RING batches of PIPE_BATCH records */
	unsigned n[PIPE_RING];		/* records in each batch */
	unsigned filled;		/* batches handed over, not yet given back */
	unsigned wr;			/* the walk's batch */
	unsigned rd, rpos;		/* the reader's batch and position */
	bool reading;			/* the reader holds batch rd */
	bool done, stop;
	int rc;
	struct pt_error err;
	struct walk_stats stats;
};

static void *record(struct walk_pipe *p, unsigned batch, unsigned i)
{
	return p->mem + ((size_t)batch * PIPE_BATCH + i) * p->rec_size;
}

/* Hand batch wr over and wait for a free one. -1 when the reader has
 * gone: the walk stops. */
static int publish(struct walk_pipe *p)
{
	pthread_mutex_lock(&p->lock);
	p->filled++;
	pthread_cond_signal(&p->data);
	while (p->filled == PIPE_RING && !p->stop)
		pthread_cond_wait(&p->space, &p->lock);
	bool stop = p->stop;
	pthread_mutex_unlock(&p->lock);
	p->wr = (p->wr + 1) % PIPE_RING;
	p->n[p->wr] = 0;
	return stop ? -1 : 0;
}

static int pipe_sink(void *arg, const struct logical_entry *le)
{
	struct walk_pipe *p = arg;
	p->convert(record(p, p->wr, p->n[p->wr]++), le, p->wp.pg);
	return p->n[p->wr] == PIPE_BATCH ? publish(p) : 0;
}

static void *pipe_thread(void *arg)
{
	struct walk_pipe *p = arg;
	p->err.exit_code = PT_EXIT_IMAGE;
	int rc = walk_tables(&p->wp, &p->stats, &p->err);
	pthread_mutex_lock(&p->lock);
	/* The last batch, partly filled: there is room for it, as the walk
	 * never goes on with every batch taken. */
	if (p->n[p->wr])
		p->filled++;
	p->rc = rc;
	p->done = true;
	pthread_cond_signal(&p->data);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

int walk_pipe_next(struct walk_pipe *p, const void **rec, struct pt_error *err)
{
	for (;;) {
		if (p->reading && p->rpos < p->n[p->rd]) {
			*rec = record(p, p->rd, p->rpos++);
			return 1;
		}
		pthread_mutex_lock(&p->lock);
		if (p->reading) {
			p->reading = false;
			p->filled--;
			p->rd = (p->rd + 1) % PIPE_RING;
			pthread_cond_signal(&p->space);
		}
		while (!p->filled && !p->done)
			pthread_cond_wait(&p->data, &p->lock);
		if (!p->filled) {
			int rc = p->rc;
			pthread_mutex_unlock(&p->lock);
			if (rc) {
				*err = p->err;
				if (!err->exit_code)
					err->exit_code = PT_EXIT_IMAGE;
				return -1;
			}
			return 0;
		}
		p->reading = true;
		p->rpos = 0;
		pthread_mutex_unlock(&p->lock);
	}
}

void walk_pipe_close(struct walk_pipe *p)
{
	if (!p)
		return;
	if (p->started) {
		pthread_mutex_lock(&p->lock);
		p->stop = true;
		pthread_cond_signal(&p->space);
		pthread_mutex_unlock(&p->lock);
		pthread_join(p->thread, NULL);
	}
	pthread_cond_destroy(&p->data);
	pthread_cond_destroy(&p->space);
	pthread_mutex_destroy(&p->lock);
	free(p->mem);
	free(p);
}

struct walk_pipe *walk_pipe_start(const struct walk_params *wp, size_t rec_size,
				  walk_pipe_convert_fn *convert, struct pt_error *err)
{
	struct walk_pipe *p = calloc(1, sizeof *p);
	size_t bytes = (size_t)PIPE_RING * PIPE_BATCH * rec_size;
	if (!p) {
		pt_oom(err, sizeof *p);
		return NULL;
	}
	if (!(p->mem = malloc(bytes))) {
		free(p);
		pt_oom(err, bytes);
		return NULL;
	}
	p->rec_size = rec_size;
	p->convert = convert;
	p->wp = *wp;
	p->wp.on_entry = pipe_sink;
	p->wp.on_run = NULL;
	p->wp.arg = p;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->data, NULL);
	pthread_cond_init(&p->space, NULL);
	int rc = pthread_create(&p->thread, NULL, pipe_thread, p);
	if (rc) {
		pt_fail(err, PT_EXIT_INTERNAL, "cannot start a walk: %s", strerror(rc));
		walk_pipe_close(p);
		return NULL;
	}
	p->started = true;
	return p;
}
