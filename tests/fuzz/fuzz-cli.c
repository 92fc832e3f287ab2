/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz the command line: the input is an argument vector, arguments
 * separated by NUL or newline bytes, run as `ptwalk ARGS' in this
 * process (pt_argp_flags has argp not exit, and ptwalk's own exit()
 * comes back here through --wrap=exit). Arguments
 * @V, @K and @J stand for the sample arm64 image, its kdump twin and a
 * saved walk of it. Output goes to /dev/null; every exit status is fine,
 * a crash or a sanitizer report is not.
 *
 * Leaks: an exit() in the middle of a command leaves what the abandoned
 * frames held (argp's parser, a half-built option set) unreachable once
 * the harness longjmps back, where a real process would exit with it
 * still on its stack. So libFuzzer runs this harness without leak
 * detection, and the replay (FUZZ_REPLAY_FORK) runs every input in a
 * child that really exits, as ptwalk does: LeakSanitizer then judges it
 * exactly as it judges the command. */
#include "config.h"

#include <argp.h>
#include <fcntl.h>
#include <dirent.h>
#include <setjmp.h>
#include <sys/wait.h>
#include "fuzz.h"

int ptwalk_main(int argc, char **argv);
extern int pt_argp_flags;
void __real_exit(int status) __attribute__((noreturn));
void __wrap_exit(int status) __attribute__((noreturn));

static jmp_buf back;
static bool running;
static bool fd_open_at_start[1024];

void __wrap_exit(int status)
{
	if (running)
		longjmp(back, 1);
	__real_exit(status);
}

static char saved_walk[] = "/tmp/ptwalk-fuzz-XXXXXX";
static pid_t harness_pid;

static void remove_saved_walk(void)
{
	if (getpid() == harness_pid)	/* not in a replay's child */
		unlink(saved_walk);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	pt_argp_flags = ARGP_NO_EXIT;
	int null = open("/dev/null", O_RDWR);
	if (null < 0)
		abort();
	dup2(null, STDIN_FILENO);
	dup2(null, STDOUT_FILENO);
	close(null);
	int fd = mkstemp(saved_walk);
	static const char walk[] =
		"{\"va\":\"0x400000\",\"end\":\"0x400fff\",\"size\":4096,\"level\":\"pte\",\"form\":\"single\","
		"\"count\":1,\"kind\":\"leaf\",\"pa\":\"0x41100000\",\"flags\":[\"present\",\"read\"],"
		"\"cache\":\"normal\",\"pkey\":0,\"swap\":null,\"raw\":\"0x41100fc3\",\"slot\":\"0x41006000\","
		"\"anomalies\":[],\"alias_of\":null,\"mapped\":4096}\n";
	if (fd < 0 || write(fd, walk, sizeof walk - 1) != (ssize_t)(sizeof walk - 1))
		abort();
	close(fd);
	harness_pid = getpid();
	atexit(remove_saved_walk);
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	while (d && (de = readdir(d))) {
		int n = atoi(de->d_name);
		if (n >= 0 && n < 1024)
			fd_open_at_start[n] = true;
	}
	if (d)
		closedir(d);
	return 0;
}

#ifdef FUZZ_REPLAY_FORK
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

enum { SANITIZER_DIED = 125 };	/* no ptwalk exit status */

static void sanitizer_died(void)
{
	_exit(SANITIZER_DIED);
}

static void run(int argc, char **argv)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		abort();
	if (pid == 0) {
		if (__sanitizer_set_death_callback)
			__sanitizer_set_death_callback(sanitizer_died);
		exit(ptwalk_main(argc, argv));
	}
	int status;
	if (waitpid(pid, &status, 0) != pid)
		abort();
	if (WIFSIGNALED(status) || WEXITSTATUS(status) == SANITIZER_DIED) {
		fprintf(stderr, "fuzz-cli: ptwalk crashed or a sanitizer reported (wait status %#x)\n",
			status);
		abort();
	}
}
#else
static void run(int argc, char **argv)
{
	running = true;
	if (!setjmp(back))
		ptwalk_main(argc, argv);
	running = false;
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum { MAX_ARGS = 48 };
	char *copy = malloc(size + 1), *argv[MAX_ARGS + 2];
	int argc = 0;
	memcpy(copy, data, size);
	copy[size] = 0;
	argv[argc++] = "ptwalk";
	for (char *p = copy, *end = copy + size; p <= end && argc < MAX_ARGS;) {
		char *q = p;
		while (q < end && *q && *q != '\n')
			q++;
		*q = 0;
		if (!strcmp(p, "@V"))
			argv[argc++] = PTWALK_FUZZ_DATA "/sample-arm64.vmcore";
		else if (!strcmp(p, "@K"))
			argv[argc++] = PTWALK_FUZZ_DATA "/sample-arm64.kdump";
		else if (!strcmp(p, "@J"))
			argv[argc++] = saved_walk;
		else if (*p == '/' || strstr(p, "/proc") || strstr(p, "/dev"))
			argv[argc++] = "nonexistent";	/* no file outside the samples */
		else
			argv[argc++] = p;
		p = q + 1;
	}
	argv[argc] = NULL;
	run(argc, argv);
	fflush(stdout);
	/* What an exit() in the middle left open. */
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int fds[256], n = 0;
	while (d && (de = readdir(d)) && n < 256) {
		int fd = atoi(de->d_name);
		if (fd > 2 && fd < 1024 && !fd_open_at_start[fd] && fd != dirfd(d))
			fds[n++] = fd;
	}
	if (d)
		closedir(d);
	for (int i = 0; i < n; i++)
		close(fds[i]);
	free(copy);
	return 0;
}
