/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the src/arch_*.c files only. */
#ifndef PTWALK_ARCH_PRIVATE_H
#define PTWALK_ARCH_PRIVATE_H

#include "arch.h"

/* PG's swap kinds, once its release is known (src/swap.c). */
int swap_kinds_setup(struct paging *pg, const struct paging_facts *f,
		     const struct paging_options *opts, struct pt_error *err);

int paging_page_size(struct paging *pg, const struct paging_facts *f,
		     const struct paging_options *opts, uint64_t fallback,
		     struct pt_error *err);

#endif
