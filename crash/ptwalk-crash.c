/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The crash extension: `extend ptwalk.so', then `ptwalk walk -p 1'.
 *
 * The command is ptwalk(1)'s own (src/): its options, columns, formats
 * and messages, on the memory of the crash session. This file is the
 * host (src/host.h) in libptwalk's public types: physical memory through
 * crash's readmem(PHYSADDR), VMCOREINFO key by key through crash's
 * pc->read_vmcoreinfo(), the processes from crash's task table, the
 * default process crash's current context, the output crash's fp (a
 * pipe for `| grep', a file for `> FILE').
 *
 * Each ptwalk command runs in a child process: the command ends with
 * exit() on a usage error and keeps its state in globals, and a fault
 * in it must not take the session with it. The child is a copy of crash,
 * so readmem() works there unchanged; it asks crash for nothing that
 * could longjmp (RETURN_ON_ERROR|QUIET everywhere), and ends with
 * _exit(), never running crash's (gdb's) exit handlers. */
#include "config.h"

#include <crash/defs.h>

#include <argp.h>
#include <signal.h>
#include <sys/wait.h>

#include "host.h"
#include "output.h"

void cmd_ptwalk(void);
void ptwalk_crash_init(void);
void ptwalk_crash_fini(void);

/* src/main.c and src/cli.c. */
int ptwalk_main(int argc, char **argv);
extern int pt_argp_flags;

/* ---- Memory ------------------------------------------------------------- */

/* crash's readmem() fails a range as a whole: read it a page at a time so
 * that a range partly in the dump gives its leading bytes, as the
 * ptwalk_read_fn contract asks. A page the dump lacks (makedumpfile -d)
 * is absent to ptwalk, not zeros. */
static long long crash_read(void *arg, uint64_t pa, void *buf, size_t len)
{
	(void)arg;
	size_t done = 0;
	ulong page = PAGESIZE() ? PAGESIZE() : 4096;

	while (done < len) {
		uint64_t at = pa + done;
		size_t chunk = page - (size_t)(at % page);
		if (chunk > len - done)
			chunk = len - done;
		if (!readmem((ulonglong)at, PHYSADDR, (char *)buf + done, (long)chunk,
			     "ptwalk physical read", RETURN_ON_ERROR | QUIET))
			break;
		done += chunk;
	}
	return (long long)done;
}

/* ---- VMCOREINFO ---------------------------------------------------------- */

/* The value of VMCOREINFO's KEY, malloc()ed, or NULL: crash keeps the
 * note and looks keys up in it (pc->read_vmcoreinfo()). A key the dump
 * lacks (no note, an older kernel) comes from crash's own view where it
 * has one: its symbol table (relocated for KASLR), its page size, the
 * release it read, and on x86_64 and arm64 the layout values of its
 * machine_specific (crash 8.0.2 defs.h). */
static char *crash_vmcoreinfo(void *arg, const char *key)
{
	(void)arg;
	char buf[80] = "";
	char *v = pc->read_vmcoreinfo ? pc->read_vmcoreinfo(key) : NULL;
	if (v)
		return v;
	if (!strncmp(key, "SYMBOL(", 7)) {
		char name[64];
		snprintf(name, sizeof name, "%.*s", (int)(strlen(key) - 8), key + 7);
		if (symbol_exists(name))
			snprintf(buf, sizeof buf, "%lx", symbol_value(name));
	} else if (!strcmp(key, "OSRELEASE")) {
		snprintf(buf, sizeof buf, "%s", kt->utsname.release);
	} else if (!strcmp(key, "PAGESIZE")) {
		snprintf(buf, sizeof buf, "%d", PAGESIZE());
	}
#ifdef X86_64
	else if (!strcmp(key, "NUMBER(phys_base)") && machdep->machspec)
		snprintf(buf, sizeof buf, "%ld", (long)machdep->machspec->phys_base);
#endif
#ifdef ARM64
	else if (!strcmp(key, "NUMBER(kimage_voffset)") && machdep->machspec &&
		 machdep->machspec->kimage_voffset)
		snprintf(buf, sizeof buf, "0x%lx", machdep->machspec->kimage_voffset);
	else if (!strcmp(key, "NUMBER(PHYS_OFFSET)") && machdep->machspec)
		snprintf(buf, sizeof buf, "0x%lx", machdep->machspec->phys_offset);
	else if (!strcmp(key, "NUMBER(VA_BITS)") && machdep->machspec && machdep->machspec->VA_BITS)
		snprintf(buf, sizeof buf, "%ld", machdep->machspec->VA_BITS);
#endif
	return buf[0] ? strdup(buf) : NULL;
}

/* ---- Processes ------------------------------------------------------------ */

static void fill_task(const struct task_context *tc, struct ptwalk_task *t)
{
	memset(t, 0, sizeof *t);
	t->task = tc->task;
	t->pid = (int32_t)tc->pid;
	t->tgid = (int32_t)task_tgid(tc->task);
	snprintf(t->comm, sizeof t->comm, "%s", tc->comm);
	t->mm = tc->mm_struct;
	if (!t->mm)
		return;
	ulong pgd;
	physaddr_t pa;
	if (VALID_MEMBER(mm_struct_pgd) &&
	    readmem(t->mm + OFFSET(mm_struct_pgd), KVADDR, &pgd, sizeof pgd, "mm_struct pgd",
		    RETURN_ON_ERROR | QUIET)) {
		t->pgd = pgd;
		if (kvtop(CURRENT_CONTEXT(), pgd, &pa, 0)) {
			t->have_root = 1;
			t->root = pa;
		}
	}
}

/* crash's task table: every thread, and an idle task per CPU. ptwalk's
 * list is the processes from init_task on: the thread-group leaders, and
 * of the idle tasks init_task alone. */
static int crash_tasks(void *arg, ptwalk_task_fn fn, void *fnarg, char *why, size_t whysz)
{
	(void)arg;
	struct task_context *tc = FIRST_CONTEXT();
	ulong init_task = symbol_exists("init_task") ? symbol_value("init_task") : 0;

	if (!tc || !RUNNING_TASKS()) {
		snprintf(why, whysz, "crash has no task table for this session");
		return -1;
	}
	for (ulong i = 0; i < RUNNING_TASKS(); i++, tc++) {
		if (tc->pid == 0 ? tc->task != init_task : task_tgid(tc->task) != tc->pid)
			continue;
		struct ptwalk_task t;
		fill_task(tc, &t);
		int rc = fn(fnarg, &t);
		if (rc)
			return rc;
	}
	return 0;
}

/* The current context's process, as crash's own commands default to it;
 * a thread's is its leader's. */
static int32_t crash_current(void *arg)
{
	(void)arg;
	struct task_context *tc = CURRENT_CONTEXT();
	if (!tc || !tc->mm_struct)
		return -1;
	return (int32_t)task_tgid(tc->task);
}

/* ---- The command ----------------------------------------------------------- */

static const char *const subcommands[] = { "walk", "vtop", "check", "stats", "tasks", "diff" };

#ifdef PTWALK_COVERAGE
void __gcov_dump(void);
#endif

/* The child's end: what the command wrote flushed, and without crash's
 * exit handlers. */
static void __attribute__((noreturn)) child_exit(int status)
{
	out_drain();
	fflush(stdout);
	fflush(stderr);
#ifdef PTWALK_COVERAGE
	__gcov_dump();
#endif
	_exit(status);
}

/* The command's exit() calls come here (linked with --wrap=exit). */
void __wrap_exit(int status) __attribute__((noreturn));
void __wrap_exit(int status)
{
	child_exit(status);
}

static void run_child(int argc, char **argv, const struct pt_host *host)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	if (fileno(fp) != STDOUT_FILENO && dup2(fileno(fp), STDOUT_FILENO) < 0)
		child_exit(PTWALK_E_INTERNAL);
	pt_host = host;
	/* argp's own exit() is libc's, not ours: it is told not to. */
	pt_argp_flags = ARGP_NO_EXIT;
	child_exit(ptwalk_main(argc, argv));
}

void cmd_ptwalk(void)
{
	if (argcnt < 2) {
		cmd_usage(pc->curcmd, SYNOPSIS);
		return;
	}
	unsigned i;
	for (i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++) {
		if (!strcmp(args[1], subcommands[i]))
			break;
	}
	if (i == sizeof subcommands / sizeof subcommands[0]) {
		error(INFO, "%s: not a ptwalk command here (walk, vtop, check, stats, tasks, diff)\n",
		      args[1]);
		cmd_usage(pc->curcmd, SYNOPSIS);
		return;
	}
	char **argv = calloc((size_t)argcnt + 2, sizeof *argv);
	if (!argv) {
		error(INFO, "ptwalk: out of memory\n");
		return;
	}
	/* "ptwalk CMD DUMP ARGS...": DUMP stands for this session's memory. */
	const char *name = pc->dumpfile ? pc->dumpfile : pc->live_memsrc ? pc->live_memsrc : "memory";
	char *image = strdup(name);
	argv[0] = "ptwalk";
	argv[1] = args[1];
	argv[2] = image;
	for (int a = 2; a < argcnt; a++)
		argv[a + 1] = args[a];
	struct pt_host host = {
		.image = image,
		.name = name,
		.program = "crash",
		.read = crash_read,
		.vmcoreinfo = crash_vmcoreinfo,
		.big_endian = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__,
		.tasks = crash_tasks,
		.current = crash_current,
	};

	fflush(fp);
	fflush(stdout);
	fflush(stderr);
	/* ^C ends the child; crash hears it once the child is gone. */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &old);
	pid_t child = image ? fork() : -1;
	if (child == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		run_child(argcnt + 1, argv, &host);
	}
	int status = 0;
	if (child < 0) {
		error(INFO, "ptwalk: cannot start the command: %s\n", strerror(errno));
	} else {
		while (waitpid(child, &status, 0) < 0 && errno == EINTR)
			;
		if (WIFSIGNALED(status) && WTERMSIG(status) != SIGPIPE && WTERMSIG(status) != SIGINT)
			error(INFO, "ptwalk: the command ended by signal %d (%s)\n", WTERMSIG(status),
			      strsignal(WTERMSIG(status)));
	}
	free(image);
	free(argv);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

char *help_ptwalk[] = {
	"ptwalk",
	"page tables as logical entries: gangs folded, anomalies checked",
	"walk|vtop|check|stats|tasks|diff [-p pid | -c comm | --task=task | -k | --all]\n"
	"          [option]... [address... | saved-walk]",
	"  This command runs ptwalk(1) on the memory of this session: the same",
	"  options, columns and formats, read through crash (physical memory,",
	"  VMCOREINFO, the task table). Output goes where crash's goes, so pipes",
	"  and redirection work as for any crash command.",
	"",
	"       walk  the logical entries of a page table, in VA order: arm64",
	"             contiguous gangs and powerpc 8xx pairs folded into one entry",
	"       vtop  translate virtual addresses, level by level",
	"      check  list the anomalies of a page table (broken gangs, bad entries)",
	"      stats  count entries, bytes, table pages and anomalies",
	"      tasks  the processes and the physical address of each page-table root",
	"       diff  compare a walk with a saved one (ptwalk walk -J)",
	"",
	"  Whose table: like crash's own commands, the current context's process",
	"  by default (the kernel's table when it is a kernel thread).",
	"     -p pid  the process with this PID",
	"    -c comm  every process with this command name",
	"  --task=task  the process whose task_struct is at this address",
	"         -k  the kernel's own table",
	"      --all  the kernel's table, then every distinct mm once",
	"",
	"  `ptwalk CMD --help' lists every option of CMD; man ptwalk(1) describes",
	"  the columns, the forms and the anomalies. Image options (--raw-image, --part,",
	"  --vmcoreinfo, --vmlinux) do not apply: the memory and symbols are crash's.",
	"\nEXAMPLES",
	"  The current process's contiguous-PTE mappings:\n",
	"    %s> ptwalk walk | grep cont-pte",
	"\n  Translate an address of pid 1, with the slot read at each level:\n",
	"    %s> ptwalk vtop -p 1 0x7f0000200000",
	"\n  Anomalies in every address space, as JSON Lines into a file:\n",
	"    %s> ptwalk check --all --format=jsonl > anomalies.jsonl",
	"\n  What changed since a walk saved earlier:\n",
	"    %s> ptwalk walk -p 1 -J > before.json",
	"    %s> ptwalk diff -p 1 before.json",
	NULL
};

static struct command_table_entry command_table[] = {
	{ "ptwalk", cmd_ptwalk, help_ptwalk, 0 },
	{ NULL, NULL, NULL, 0 },
};

void __attribute__((constructor)) ptwalk_crash_init(void)
{
	register_extension(command_table);
}

void __attribute__((destructor)) ptwalk_crash_fini(void)
{
}
