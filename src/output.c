/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Checked stdout. A full disk or an I/O error ends ptwalk with
 * PT_EXIT_OUTPUT and a message. A closed pipe is how pipelines end
 * (`ptwalk walk | head'): SIGPIPE is ignored so that it shows up here as
 * EPIPE, and ptwalk stops quietly with the status the shell would give a
 * command SIGPIPE killed, after its own cleanup. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "xalloc.h"

static char out_buffer[1 << 16];

static void __attribute__((noreturn)) out_failed(int errnum)
{
	if (errnum == EPIPE)
		exit(PT_EXIT_PIPE);
	/* Nothing more can reach stdout; say why on stderr and stop. */
	fprintf(stderr, "%s: write error on standard output: %s\n",
		pt_progname, strerror(errnum));
	exit(PT_EXIT_OUTPUT);
}

void out_init(void)
{
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, out_buffer, _IOFBF, sizeof out_buffer);
}

void out_printf(const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfprintf(stdout, fmt, ap);
	va_end(ap);
	if (r < 0 || ferror(stdout))
		out_failed(errno ? errno : EIO);
}

void out_write(const void *buf, size_t len)
{
	/* ptwalk writes stdout from one thread: no lock per line. */
	if (len && fwrite_unlocked(buf, 1, len, stdout) != len)
		out_failed(errno ? errno : EIO);
}

void out_puts(const char *s)
{
	out_write(s, strlen(s));
}

void out_finish(void)
{
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
