/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A program the command runs inside: crash (crash/ptwalk-crash.c). The
 * host holds the memory, its processes and the output stream; the
 * command keeps its options, columns, formats and messages, so that
 * `ptwalk walk -p 1' in crash prints what `ptwalk walk --pid=1 IMAGE'
 * prints. The host speaks libptwalk's public types. */
#ifndef PTWALK_HOST_H
#define PTWALK_HOST_H

#include <stdbool.h>
#include "ptwalk/ptwalk.h"

struct pt_host {
	/* The argument that stands for the host's memory: the command
	 * opens it through READ when IMAGE is this very string. NAME
	 * labels it in messages (the dump's file name). */
	const char *image;
	const char *name;
	const char *program;		/* "crash", in messages */
	ptwalk_read_fn read;
	void *arg;
	/* VMCOREINFO's KEY ("SYMBOL(swapper_pg_dir)"), malloc()ed, or NULL:
	 * the command asks for each key it reads (ptwalk_vmcoreinfo_key()). */
	char *(*vmcoreinfo)(void *arg, const char *key);
	bool big_endian;
	/* The host's processes (thread-group leaders, in its order): FN for
	 * each, until FN returns nonzero, which is returned; -1 with a
	 * message in WHY (WHYSZ bytes) when the host cannot list them. */
	int (*tasks)(void *arg, ptwalk_task_fn fn, void *fnarg, char *why, size_t whysz);
	/* The process of the host's current context (its thread-group
	 * leader's PID), or -1 for a kernel thread. */
	int32_t (*current)(void *arg);
};

/* NULL on the command line; set by a host before ptwalk_main(). */
extern const struct pt_host *pt_host;

#endif
