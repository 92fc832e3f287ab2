/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ptwalk map': an address space as one self-contained SVG, or HTML with
 * zoom and tooltips (see map_out.c). */
#ifndef PTWALK_MAP_OUT_H
#define PTWALK_MAP_OUT_H

#include <stdbool.h>
#include <stdint.h>

#include "diff.h"
#include "region.h"
#include "walk.h"

enum map_format { MAP_SVG, MAP_HTML };

/* A picture is at most MAP_MAX_BANDS bands of at most MAP_SEGS ranges
 * each (fewer per band when there are many bands): neighbouring ranges
 * are drawn as one, the finer the closer, when a band has more. */
#define MAP_SEGS 512
#define MAP_MAX_BANDS 4096
#define MAP_MAX_CLASSES 40

struct map_out;

/* A picture of PG's tables (PG NULL: saved walks only, with PAGE the
 * page size), RG's regions naming the bands (NULL: one band a table). */
struct map_out *map_new(const struct paging *pg, uint64_t page, const struct pt_regions *rg,
			enum map_format fmt, bool diff);
void map_free(struct map_out *m);
/* The title and the line under it. */
void map_title(struct map_out *m, const char *title, const char *subtitle);
/* Entries from now on belong to a table named LABEL: a process's gives
 * one band; PER_REGION: the kernel's, a band per region. */
void map_target(struct map_out *m, const char *label, bool per_region);
/* walk_params.on_entry (ARG the struct map_out). */
int map_entry(void *arg, const struct logical_entry *le);
/* diff_record_fn (ARG the struct map_out). */
int map_record(void *arg, const struct diff_record *rec);
/* Write the picture. */
void map_write(struct map_out *m);

#endif
