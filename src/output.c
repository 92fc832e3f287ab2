/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Checked stdout. A full disk or an I/O error ends ptwalk with
 * PT_EXIT_OUTPUT and a message. A closed pipe is how pipelines end
 * (`ptwalk walk | head'): SIGPIPE is ignored so that it shows up here as
 * EPIPE, and ptwalk stops quietly with the status the shell would give a
 * command SIGPIPE killed, after its own cleanup. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "xalloc.h"

static char out_buffer[1 << 16];
/* ptwalk's own buffer in front of stdio's: lines are formatted straight
 * into it (out_reserve()) and reach stdio a quarter megabyte at a time,
 * where a stdio call per line cost a fifth of a walk's time. */
static char ob[1 << 18];
static size_t ob_len;
static bool ob_failing;

static void ob_flush(void);

static void __attribute__((noreturn)) out_failed(int errnum)
{
	ob_failing = true;
	if (errnum == EPIPE)
		exit(PT_EXIT_PIPE);
	/* Nothing more can reach stdout; say why on stderr and stop. */
	fprintf(stderr, "%s: write error on standard output: %s\n",
		pt_progname, strerror(errnum));
	exit(PT_EXIT_OUTPUT);
}

static void ob_flush(void)
{
	/* ptwalk writes stdout from one thread: no lock. */
	if (ob_len && fwrite_unlocked(ob, 1, ob_len, stdout) != ob_len)
		out_failed(errno ? errno : EIO);
	ob_len = 0;
}

/* What a command wrote before it exits without out_finish() (an error
 * after some output): to stdio, which exit() flushes. */
void out_drain(void)
{
	if (!ob_failing && ob_len) {
		ob_failing = true;
		if (fwrite_unlocked(ob, 1, ob_len, stdout) != ob_len) {
			/* Said by stdio's own flush failing: nothing more. */
		}
		ob_len = 0;
	}
}

void out_init(void)
{
	static bool registered;
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, out_buffer, _IOFBF, sizeof out_buffer);
	if (!registered)
		registered = atexit(out_drain) == 0;
}

char *out_reserve(size_t len)
{
	if (len > sizeof ob - ob_len)
		ob_flush();
	return ob + ob_len;
}

void out_commit(const char *end)
{
	ob_len = (size_t)(end - ob);
}

void out_printf(const char *fmt, ...)
{
	va_list ap;
	size_t room = sizeof ob - ob_len;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(ob + ob_len, room, fmt, ap);
	va_end(ap);
	if (r < 0)
		out_failed(errno ? errno : EIO);
	if ((size_t)r < room) {
		ob_len += (size_t)r;
		return;
	}
	ob_flush();
	va_start(ap, fmt);
	r = vfprintf(stdout, fmt, ap);
	va_end(ap);
	if (r < 0 || ferror(stdout))
		out_failed(errno ? errno : EIO);
}

void out_write(const void *buf, size_t len)
{
	if (len <= sizeof ob - ob_len) {
		memcpy(ob + ob_len, buf, len);
		ob_len += len;
		return;
	}
	ob_flush();
	if (len < sizeof ob / 2) {
		memcpy(ob, buf, len);
		ob_len = len;
	} else if (fwrite_unlocked(buf, 1, len, stdout) != len) {
		out_failed(errno ? errno : EIO);
	}
}

void out_puts(const char *s)
{
	out_write(s, strlen(s));
}

void out_finish(void)
{
	ob_flush();
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout))
		out_failed(errno ? errno : EIO);
}

void out_json_string(const char *s)
{
	char buf[8];

	out_write("\"", 1);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': out_write("\\\"", 2); break;
		case '\\': out_write("\\\\", 2); break;
		case '\n': out_write("\\n", 2); break;
		case '\t': out_write("\\t", 2); break;
		case '\r': out_write("\\r", 2); break;
		default:
			/* Control bytes escaped; bytes >= 0x80 that are not
			 * valid UTF-8 could break strict readers, so escape
			 * every non-ASCII byte as its Latin-1 code point. */
			if (*p < 0x20 || *p >= 0x7f) {
				snprintf(buf, sizeof buf, "\\u%04x", *p);
				out_write(buf, 6);
			} else {
				out_write(p, 1);
			}
		}
	}
	out_write("\"", 1);
}

static void json_doc_open(struct json_doc *d)
{
	d->open = true;
	for (int i = 0; i < 2; i++) {
		out_printf("%s\"%s\":", i ? "," : "{", d->name[i]);
		if (d->value[i])
			out_json_string(d->value[i]);
		else
			out_puts("null");
	}
	if (d->root_member) {
		out_puts(",\"root\":");
		if (d->has_root)
			out_json_hex(d->root);
		else
			out_puts("null");
	}
	out_printf(",\"%s\":[\n", d->key);
}

void json_doc_item(struct json_doc *d)
{
	if (!d->on)
		return;
	if (!d->open)
		json_doc_open(d);
	if (d->items)
		out_write(",", 1);
	d->items = true;
}

void json_doc_end_items(struct json_doc *d)
{
	if (!d->on)
		return;
	if (!d->open)
		json_doc_open(d);
	out_puts("]");
}

void json_doc_close(struct json_doc *d)
{
	if (!d->on)
		return;
	json_doc_end_items(d);
	out_puts("}\n");
}

void out_json_hex(uint64_t v)
{
	out_printf("\"0x%llx\"", (unsigned long long)v);
}

void out_json_names(uint32_t mask, const char *const *names, unsigned n)
{
	const char *sep = "";
	out_write("[", 1);
	for (unsigned i = 0; i < n && i < 32; i++) {
		if (mask & (1u << i)) {
			out_printf("%s\"%s\"", sep, names[i]);
			sep = ",";
		}
	}
	out_write("]", 1);
}
