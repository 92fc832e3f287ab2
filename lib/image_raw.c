/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Raw physical images: the file's byte N is physical address BASE + N,
 * as a debug probe (JTAG, BDM) captures memory. Nothing in the file says
 * what it is, so --arch and the paging options come from the user. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "image-private.h"

struct raw_priv {
	const uint8_t *map;
	size_t len;
	uint64_t base;
};

static const uint8_t *raw_map(struct image *img, uint64_t pa, size_t len)
{
	const struct raw_priv *rp = img->priv;
	if (pa < rp->base || pa - rp->base > rp->len || len > rp->len - (pa - rp->base))
		return NULL;
	return rp->map + (pa - rp->base);
}

static enum read_status raw_read_unit(struct image *img, uint64_t pa, void *buf, size_t *valid)
{
	const struct raw_priv *rp = img->priv;
	const uint8_t *p = raw_map(img, pa, img->unit);
	if (p) {
		memcpy(buf, p, img->unit);
		return READ_OK;
	}
	/* A unit straddling either end of the image. Memory comes in pages:
	 * a file ending inside one was cut short (truncated), the bytes
	 * before its end are there. */
	if (pa + img->unit <= rp->base || pa >= rp->base + rp->len)
		return READ_OUTSIDE;
	if (pa < rp->base)
		return READ_OUTSIDE;
	*valid = (size_t)(rp->base + rp->len - pa);
	memcpy(buf, rp->map + (pa - rp->base), *valid);
	return READ_TRUNCATED;
}

static void raw_close(struct image *img)
{
	struct raw_priv *rp = img->priv;
	if (!rp)
		return;
	if (rp->map)
		munmap((void *)rp->map, rp->len);
	free(rp);
	img->priv = NULL;
}

static const struct image_backend raw_backend = {
	.name = "raw",
	.read_unit = raw_read_unit,
	.map = raw_map,
	.close = raw_close,
};

int raw_image_open(struct image *img, const struct image_options *opts,
		   struct pt_error *err)
{
	struct raw_priv *rp = calloc(1, sizeof *rp);
	if (!rp)
		return pt_oom(err, sizeof *rp);
	img->priv = rp;
	img->backend = &raw_backend;
	img->format = IMAGE_RAW;
	snprintf(img->format_name, sizeof img->format_name, "raw");
	snprintf(img->compression, sizeof img->compression, "none");

	const struct image_machines *ms = opts->machines;
	const char *known = ms ? ms->names : "none";
	struct image_machine m;
	if (opts->arch) {
		if (!ms || !ms->lookup(opts->arch, NULL, NULL, &m))
			return pt_fail(err, PT_EXIT_USAGE, "unknown architecture '%s' (known: %s)",
				       opts->arch, known);
	} else if (!ms || !ms->lookup(NULL, NULL, &img->vmci, &m)) {
		return pt_fail(err, PT_EXIT_USAGE, "%s: a raw image needs --arch (%s)%s",
			       img->path, known,
			       !opts->vmcoreinfo_file ? "" :
			       strcmp(opts->vmcoreinfo_file, "memory") ? ": its --vmcoreinfo names none" :
			       ": --vmcoreinfo=memory is looked for once the image is open");
	}
	img->big_endian = m.big_endian;
	img->endian_known = true;
	img->arch_hint = m.name;
	if (img->file_size > SIZE_MAX || img->file_size > UINT64_MAX - opts->raw_base)
		return pt_fail(err, PT_EXIT_IMAGE, "%s: image too large for base 0x%llx",
			       img->path, (unsigned long long)opts->raw_base);
	rp->base = opts->raw_base;
	rp->len = (size_t)img->file_size;
	void *map = mmap(NULL, rp->len, PROT_READ, MAP_SHARED, img->fd, 0);
	if (map == MAP_FAILED)
		return pt_fail(err, PT_EXIT_IMAGE, "%s: cannot map: %s", img->path, strerror(errno));
	rp->map = map;
	return image_add_range(img, rp->base, rp->base + rp->len, err);
}
