/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kernel virtual memory of an image, read through its own page tables,
 * and what is found there: symbols (kallsyms, a vmlinux), struct offsets
 * (BTF, DWARF) and the task list. */
#ifndef PTWALK_KMEM_H
#define PTWALK_KMEM_H

#include <stdbool.h>
#include <stdint.h>
#include "walk.h"

/* Translate VA through the table at ROOT. On success *PA, and *AVAIL the
 * bytes from VA to the end of what the leaf maps. Returns 0, or -1 with
 * ERR saying where the translation stopped. */
int pt_translate(const struct paging *pg, struct image *img, uint64_t root,
		 uint64_t va, uint64_t *pa, uint64_t *avail, struct pt_error *err);

struct kmem {
	struct image *img;
	const struct paging *pg;
	uint64_t root;			/* the kernel's root */
	/* The last translation, reused while reads stay in its page. */
	uint64_t tlb_va, tlb_pa, tlb_len;
};

void kmem_init(struct kmem *km, struct image *img, const struct paging *pg);
/* Read LEN bytes at kernel virtual VA. Returns 0 or -1 with ERR. */
int kmem_read(struct kmem *km, uint64_t va, void *buf, size_t len, struct pt_error *err);
int kmem_read_u64(struct kmem *km, uint64_t va, uint64_t *v, struct pt_error *err);
int kmem_read_u32(struct kmem *km, uint64_t va, uint32_t *v, struct pt_error *err);
/* A kernel pointer of the image's word size. */
int kmem_read_ptr(struct kmem *km, uint64_t va, uint64_t *v, struct pt_error *err);

/* ---- Symbols -------------------------------------------------------- */

/* Look NAMES up in the kallsyms tables whose addresses VMCOREINFO gives;
 * ADDRS[i] is set and FOUND[i] true for each one present. */
int ksyms_from_image(struct kmem *km, const char *const *names, size_t n,
		     uint64_t *addrs, bool *found, struct pt_error *err);
/* The same from a /proc/kallsyms copy. */
int ksyms_from_file(const char *path, const char *const *names, size_t n,
		    uint64_t *addrs, bool *found, struct pt_error *err);

/* What the kernel's configuration changes in decoding, learnt from its
 * own symbols where VMCOREINFO exports them and the command line has not
 * said (--kernel-config): CONFIG_DEVICE_PRIVATE, for the swap types.
 * Quiet: an image whose symbols do not read leaves it unknown. */
void kernel_probe(struct paging *pg, struct image *img);

/* ---- Struct offsets ------------------------------------------------- */

struct kernel_offsets {
	uint64_t task_tasks;	/* task_struct.tasks (struct list_head) */
	uint64_t task_pid;	/* task_struct.pid (pid_t) */
	uint64_t task_tgid;	/* task_struct.tgid */
	uint64_t task_comm;	/* task_struct.comm (char[16]) */
	uint64_t task_mm;	/* task_struct.mm */
	uint64_t mm_pgd;	/* mm_struct.pgd */
	unsigned comm_len;
	/* The threads of a process: for_each_thread() of Linux 3.14 on
	 * (include/linux/sched/signal.h, 4.18 to 7.x): the list at
	 * task->signal->thread_head, linked by task_struct.thread_node. */
	bool have_threads;
	uint64_t task_signal;		/* task_struct.signal */
	uint64_t task_thread_node;	/* task_struct.thread_node */
	uint64_t signal_thread_head;	/* signal_struct.thread_head */
};

/* From a BTF blob (the kernel's .BTF section). */
int offsets_from_btf(const void *data, size_t size, struct kernel_offsets *o,
		     struct pt_error *err);

/* ---- vmlinux (DWARF and ELF symbols) -------------------------------- */

struct vmlinux;
/* Open FILE, check its build ID against BUILD_ID (hex, may be empty). */
int vmlinux_open(const char *path, const char *build_id, struct vmlinux **out,
		 struct pt_error *err);
void vmlinux_close(struct vmlinux *v);
int vmlinux_offsets(struct vmlinux *v, struct kernel_offsets *o, struct pt_error *err);
/* Link-time address of a symbol. */
int vmlinux_symbol(struct vmlinux *v, const char *name, uint64_t *addr, struct pt_error *err);

/* ---- Tasks ---------------------------------------------------------- */

struct task_info {
	uint64_t task;		/* address of the task_struct */
	int32_t pid, tgid;
	char comm[17];
	uint64_t mm;		/* 0 for kernel threads */
	uint64_t pgd;		/* mm->pgd, kernel virtual */
	bool have_root;
	uint64_t root;		/* physical address of the pgd */
};

/* Where symbols and types come from, as the command line says. */
struct kernel_info_options {
	const char *vmlinux;
	const char *btf;
	const char *kallsyms;
	/* A caller's symbol lookup (0 and *ADDR, or nonzero: no such
	 * symbol), used when none of the above is given. */
	int (*lookup)(void *arg, const char *name, uint64_t *addr);
	void *lookup_arg;
};

struct kernel_info {
	struct kmem km;
	struct kernel_offsets off;
	uint64_t init_task;
	char how[160];		/* "kallsyms in VMCOREINFO, BTF in the image", ... */
};

/* Find init_task and the offsets, by the options or from the image. */
int kernel_info_setup(struct kernel_info *ki, struct image *img, const struct paging *pg,
		      const struct kernel_info_options *opts, struct pt_error *err);
/* Call FN for each process (thread-group leader) from init_task on.
 * Bounded: a list that loops or leaves memory is an error. */
int tasks_for_each(struct kernel_info *ki, int (*fn)(void *arg, const struct task_info *t),
		   void *arg, struct pt_error *err);
/* As tasks_for_each(), for every thread of every process: each
 * process's threads, its leader among them, in the kernel's order.
 * An error when the types lack the thread list's members, its message
 * starting with PT_NO_THREAD_LIST. */
#define PT_NO_THREAD_LIST "the kernel's types lack the thread list"
int threads_for_each(struct kernel_info *ki, int (*fn)(void *arg, const struct task_info *t),
		     void *arg, struct pt_error *err);

#endif
