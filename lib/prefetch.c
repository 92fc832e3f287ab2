/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Read-ahead of table pages on worker threads, for images whose reads
 * cost more than a copy (kdump-compressed: every page inflated).
 *
 * The walker names the tables it will read next (image_prefetch(): the
 * children of the table it is about to walk, in its order); workers, each
 * with the backend's own reader (struct image_backend.worker_new: one
 * libkdumpfile context per thread), read them into a bounded ring of
 * units. A read that misses the image cache takes its unit from the ring
 * (image.c cache_get()): done, it swaps buffers with the cache slot;
 * queued, the caller reads it itself; being read, the caller reads the
 * next queued unit meanwhile, so the caller's thread is one of the jobs.
 * What is read, and every status and message, is what the caller's own
 * read would give: only when it is read changes.
 *
 * Bounded: the ring holds at most PF_MAX_BYTES of units, whatever the
 * image's size; a hint that finds it full is dropped (the unit is then
 * read when it is needed, as without read-ahead). Hints that no walk
 * takes (a child reached again as an alias) are given up once two newer
 * batches have been named. */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "image-private.h"

#define PF_MAX_BYTES (16u << 20)
#define PF_MAX_SLOTS 1024u

enum pf_state { PF_FREE, PF_QUEUED, PF_BUSY, PF_DONE };

struct pf_slot {
	uint64_t pa;
	uint64_t gen;		/* the batch that named it */
	int32_t next;		/* hash chain */
	uint8_t state;
	enum read_status status;
	size_t valid;
	uint8_t *data;
	char err[sizeof ((struct image *)0)->last_error];
};

struct prefetch {
	struct image *img;
	pthread_mutex_t lock;
	pthread_cond_t work;	/* a unit was queued, or stop */
	pthread_cond_t done;	/* a unit was read */
	bool stop;
	unsigned nworkers, started;
	pthread_t *threads;
	void **wctx;
	size_t nslots;
	struct pf_slot *slots;
	int32_t *bucket;	/* nslots * 2 chains, a power of two */
	size_t nbuckets;
	int32_t *freelist;
	size_t nfree;
	/* Queued slots in the order named; an entry whose slot is no longer
	 * queued (the caller took it) is skipped. Twice the slots: each
	 * slot is in it at most once queued plus once stale. */
	int32_t *queue;
	size_t qcap, qhead, qlen;
	uint64_t gen;
};

static size_t pf_hash(const struct prefetch *pf, uint64_t pa)
{
	return (size_t)((pa / pf->img->unit) * 0x9e3779b97f4a7c15ull >> 32) & (pf->nbuckets - 1);
}

static struct pf_slot *pf_find(struct prefetch *pf, uint64_t pa)
{
	for (int32_t i = pf->bucket[pf_hash(pf, pa)]; i >= 0; i = pf->slots[i].next)
		if (pf->slots[i].pa == pa)
			return &pf->slots[i];
	return NULL;
}

static void pf_release(struct prefetch *pf, struct pf_slot *s)
{
	int32_t idx = (int32_t)(s - pf->slots);
	int32_t *p = &pf->bucket[pf_hash(pf, s->pa)];
	while (*p != idx)
		p = &pf->slots[*p].next;
	*p = s->next;
	s->state = PF_FREE;
	pf->freelist[pf->nfree++] = idx;
}

/* The oldest queued slot, taken off the queue, or NULL. */
static struct pf_slot *pf_pop(struct prefetch *pf)
{
	while (pf->qlen) {
		struct pf_slot *s = &pf->slots[pf->queue[pf->qhead]];
		pf->qhead = (pf->qhead + 1) % pf->qcap;
		pf->qlen--;
		if (s->state == PF_QUEUED)
			return s;
	}
	return NULL;
}

/* Read S (state PF_BUSY) with reader CTX (NULL: the image's own), and
 * mark it done. Called with the lock held; reads without it. */
static void pf_read(struct prefetch *pf, struct pf_slot *s, void *ctx)
{
	struct image *img = pf->img;
	uint64_t pa = s->pa;
	pthread_mutex_unlock(&pf->lock);
	size_t valid = 0;
	char err[sizeof s->err];
	err[0] = 0;
	enum read_status st = img->backend->worker_read(img, ctx, pa, s->data, &valid, err,
							  sizeof err);
	pthread_mutex_lock(&pf->lock);
	s->status = st;
	s->valid = valid;
	memcpy(s->err, err, sizeof err);
	s->state = PF_DONE;
	pthread_cond_broadcast(&pf->done);
}

static void *pf_worker(void *arg)
{
	void **slot = arg;
	struct prefetch *pf = slot[0];
	void *ctx = slot[1];

	pthread_mutex_lock(&pf->lock);
	for (;;) {
		struct pf_slot *s = NULL;
		while (!pf->stop && !(s = pf_pop(pf)))
			pthread_cond_wait(&pf->work, &pf->lock);
		if (pf->stop)
			break;
		s->state = PF_BUSY;
		pf_read(pf, s, ctx);
	}
	pthread_mutex_unlock(&pf->lock);
	return NULL;
}

void prefetch_stop(struct image *img)
{
	struct prefetch *pf = img->pf;
	if (!pf)
		return;
	pthread_mutex_lock(&pf->lock);
	pf->stop = true;
	pthread_cond_broadcast(&pf->work);
	pthread_mutex_unlock(&pf->lock);
	for (unsigned i = 0; i < pf->started; i++)
		pthread_join(pf->threads[i], NULL);
	for (unsigned i = 0; i < pf->nworkers; i++)
		if (pf->wctx[2 * i + 1])
			img->backend->worker_free(img, pf->wctx[2 * i + 1]);
	pthread_cond_destroy(&pf->done);
	pthread_cond_destroy(&pf->work);
	pthread_mutex_destroy(&pf->lock);
	free(pf->threads);
	free(pf->wctx);
	free(pf->slots);
	free(pf->bucket);
	free(pf->freelist);
	free(pf->queue);
	free(pf);
	img->pf = NULL;
}

size_t prefetch_slots(const struct image *img, size_t unit)
{
	if (img->jobs < 2 || !img->backend || !img->backend->worker_new)
		return 0;
	size_t n = PF_MAX_BYTES / unit;
	return n > PF_MAX_SLOTS ? PF_MAX_SLOTS : n < 16 ? 16 : n;
}

int prefetch_start(struct image *img, uint8_t *mem, size_t nslots, struct pt_error *err)
{
	struct prefetch *pf = calloc(1, sizeof *pf);
	size_t nb = 1;
	while (nb < 2 * nslots)
		nb <<= 1;
	if (!pf)
		return pt_oom(err, sizeof *pf);
	pf->img = img;
	pf->nworkers = img->jobs - 1;
	pf->nslots = nslots;
	pf->nbuckets = nb;
	pf->qcap = 2 * nslots;
	pf->threads = calloc(pf->nworkers, sizeof *pf->threads);
	pf->wctx = calloc(2 * pf->nworkers, sizeof *pf->wctx);
	pf->slots = calloc(nslots, sizeof *pf->slots);
	pf->bucket = malloc(nb * sizeof *pf->bucket);
	pf->freelist = malloc(nslots * sizeof *pf->freelist);
	pf->queue = malloc(pf->qcap * sizeof *pf->queue);
	if (!pf->threads || !pf->wctx || !pf->slots || !pf->bucket || !pf->freelist || !pf->queue) {
		free(pf->threads);
		free(pf->wctx);
		free(pf->slots);
		free(pf->bucket);
		free(pf->freelist);
		free(pf->queue);
		free(pf);
		return pt_oom(err, nslots * sizeof(struct pf_slot));
	}
	memset(pf->bucket, 0xff, nb * sizeof *pf->bucket);
	for (size_t i = 0; i < nslots; i++) {
		pf->slots[i].data = mem + i * img->unit;
		pf->freelist[pf->nfree++] = (int32_t)(nslots - 1 - i);
	}
	pthread_mutex_init(&pf->lock, NULL);
	pthread_cond_init(&pf->work, NULL);
	pthread_cond_init(&pf->done, NULL);
	img->pf = pf;
	for (unsigned i = 0; i < pf->nworkers; i++) {
		pf->wctx[2 * i] = pf;
		pf->wctx[2 * i + 1] = img->backend->worker_new(img);
		/* A reader or a thread that cannot be had: fewer jobs. */
		if (!pf->wctx[2 * i + 1] ||
		    pthread_create(&pf->threads[pf->started], NULL, pf_worker, &pf->wctx[2 * i]))
			break;
		pf->started++;
	}
	if (!pf->started)
		prefetch_stop(img);
	return 0;
}

bool image_prefetching(const struct image *img)
{
	return img->pf != NULL;
}

void image_prefetch(struct image *img, const uint64_t *pas, size_t n)
{
	struct prefetch *pf = img->pf;
	if (!pf || !n)
		return;
	pthread_mutex_lock(&pf->lock);
	pf->gen++;
	bool queued = false, reclaimed = false;
	for (size_t k = 0; k < n; k++) {
		uint64_t base = pas[k] & ~(uint64_t)(img->unit - 1);
		bool cached = false;
		for (size_t i = 0; i < IMAGE_CACHE_SLOTS && !cached; i++)
			cached = img->slots[i].pa == base;
		if (cached || pf_find(pf, base))
			continue;
		if (!pf->nfree && !reclaimed) {
			/* Give up units named two batches ago and not taken. */
			reclaimed = true;
			for (size_t i = 0; i < pf->nslots; i++)
				if (pf->slots[i].state == PF_DONE && pf->slots[i].gen + 2 <= pf->gen)
					pf_release(pf, &pf->slots[i]);
		}
		if (!pf->nfree || pf->qlen == pf->qcap)
			break;
		int32_t idx = pf->freelist[--pf->nfree];
		struct pf_slot *s = &pf->slots[idx];
		size_t h = pf_hash(pf, base);
		s->pa = base;
		s->gen = pf->gen;
		s->state = PF_QUEUED;
		s->next = pf->bucket[h];
		pf->bucket[h] = idx;
		pf->queue[(pf->qhead + pf->qlen++) % pf->qcap] = idx;
		queued = true;
	}
	if (queued)
		pthread_cond_broadcast(&pf->work);
	pthread_mutex_unlock(&pf->lock);
}

bool prefetch_take(struct image *img, uint64_t base, struct cache_slot *cs)
{
	struct prefetch *pf = img->pf;
	pthread_mutex_lock(&pf->lock);
	struct pf_slot *s = pf_find(pf, base);
	if (!s) {
		pthread_mutex_unlock(&pf->lock);
		return false;
	}
	while (s->state != PF_DONE) {
		if (s->state == PF_QUEUED) {
			/* Not started: read it here. */
			s->state = PF_BUSY;
			pf_read(pf, s, NULL);
			break;
		}
		/* A worker has it: read the next queued one meanwhile. */
		struct pf_slot *o = pf_pop(pf);
		if (o) {
			o->state = PF_BUSY;
			pf_read(pf, o, NULL);
		} else {
			pthread_cond_wait(&pf->done, &pf->lock);
		}
	}
	uint8_t *data = cs->data;
	cs->data = s->data;
	s->data = data;
	cs->status = s->status;
	cs->valid = s->valid;
	if (s->err[0])
		memcpy(img->last_error, s->err, sizeof img->last_error);
	pf_release(pf, s);
	pthread_mutex_unlock(&pf->lock);
	return true;
}
