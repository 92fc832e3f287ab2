/* SPDX-License-Identifier: GPL-2.0-or-later */
/* VMCOREINFO parsing. Written by hand: libkdumpfile parses it too, but only
 * for the formats it opens itself, and ptwalk needs the same typed view for
 * ELF, kcore, raw images with --vmcoreinfo, and kdump files alike. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmcoreinfo.h"

enum value_kind { SYM, NUM, HEX, DEC };

struct field_desc {
	const char *key;
	enum value_kind kind;
	size_t offset;
};

static const struct field_desc fields[] = {
#define X(field, key, kind) { key, kind, offsetof(struct vmcoreinfo, field) },
	VMCOREINFO_FIELDS(X)
#undef X
};

#define KEY_SYM(k) "SYMBOL(" k ")"
#define KEY_NUM(k) "NUMBER(" k ")"
#define KEY_HEX(k) k
#define KEY_DEC(k) k
static const char *const all_keys[] = {
	"OSRELEASE",
	"BUILD-ID",
#define X(field, key, kind) KEY_##kind(key),
	VMCOREINFO_FIELDS(X)
#undef X
	/* Looked up by name: lib/swap.c. */
	"NUMBER(PG_hwpoison)",
};

const char *vmcoreinfo_key(unsigned i)
{
	return i < sizeof all_keys / sizeof all_keys[0] ? all_keys[i] : NULL;
}

/* Parse VALUE (LEN bytes) of the given kind. */
static int parse_value(const char *value, size_t len, enum value_kind kind,
		       uint64_t *out)
{
	char buf[40];
	char *end;
	bool negative = false;
	const char *p = buf;
	int base;

	if (len == 0 || len >= sizeof buf)
		return -1;
	memcpy(buf, value, len);
	buf[len] = '\0';
	if (kind == NUM && *p == '-') {
		negative = true;
		p++;
	}
	if (!isxdigit((unsigned char)*p))
		return -1;
	switch (kind) {
	case SYM:
	case HEX:
		base = 16;
		break;
	case DEC:
		base = 10;
		break;
	default:
		/* NUMBER() is "%ld", but arm64 prints some as "0x%llx". */
		base = (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) ? 16 : 10;
		break;
	}
	errno = 0;
	unsigned long long v = strtoull(p, &end, base);
	if (errno || *end)
		return -1;
	if (negative) {
		if (v > (unsigned long long)INT64_MAX + 1)
			return -1;
		v = -v;
	}
	*out = v;
	return 0;
}

/* Does LINE (up to '=') name FIELD's key? */
static bool key_matches(const char *line, size_t keylen,
			const struct field_desc *f)
{
	size_t n = strlen(f->key);

	if (f->kind == SYM || f->kind == NUM) {
		const char *wrap = f->kind == SYM ? "SYMBOL(" : "NUMBER(";
		return keylen == n + 8 && !memcmp(line, wrap, 7) &&
		       !memcmp(line + 7, f->key, n) && line[7 + n] == ')';
	}
	return keylen == n && !memcmp(line, f->key, n);
}

static int copy_string(char *dst, size_t size, const char *v, size_t len,
		       const char *key, struct pt_error *err)
{
	if (len >= size)
		return pt_fail(err, PT_EXIT_IMAGE,
			       "VMCOREINFO %s is too long (%zu bytes)", key, len);
	memcpy(dst, v, len);
	dst[len] = '\0';
	return 0;
}

int vmcoreinfo_parse(struct vmcoreinfo *vi, const char *text, size_t len,
		     struct pt_error *err)
{
	vmcoreinfo_free(vi);
	if (len > VMCOREINFO_MAX_SIZE)
		return pt_fail(err, PT_EXIT_IMAGE,
			       "VMCOREINFO is too large (%zu bytes, limit %u)",
			       len, VMCOREINFO_MAX_SIZE);
	/* The note is NUL-padded; the text ends at the first NUL. An empty
	 * one may come as a null pointer (libkdumpfile's empty blob). */
	const char *nul = len ? memchr(text, '\0', len) : NULL;
	if (nul)
		len = (size_t)(nul - text);
	vi->raw = malloc(len + 1);
	if (!vi->raw)
		return pt_oom(err, len + 1);
	if (len)
		memcpy(vi->raw, text, len);
	vi->raw[len] = '\0';
	vi->raw_len = len;
	vi->present = true;

	bool seen[sizeof fields / sizeof fields[0]] = { false };
	bool seen_release = false, seen_build_id = false;
	const char *p = vi->raw, *end = vi->raw + len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		const char *eq = memchr(p, '=', (size_t)(eol - p));
		if (eq) {
			size_t keylen = (size_t)(eq - p);
			const char *v = eq + 1;
			size_t vlen = (size_t)(eol - v);
			/* The kernel's first occurrence wins, as in crash. */
			if (keylen == 9 && !memcmp(p, "OSRELEASE", 9)) {
				if (!seen_release &&
				    copy_string(vi->osrelease, sizeof vi->osrelease,
						v, vlen, "OSRELEASE", err))
					return -1;
				seen_release = true;
			} else if (keylen == 8 && !memcmp(p, "BUILD-ID", 8)) {
				if (!seen_build_id &&
				    copy_string(vi->build_id, sizeof vi->build_id,
						v, vlen, "BUILD-ID", err))
					return -1;
				seen_build_id = true;
			} else {
				for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
					const struct field_desc *f = &fields[i];
					if (seen[i] || !key_matches(p, keylen, f))
						continue;
					struct opt_u64 *o = (struct opt_u64 *)((char *)vi + f->offset);
					if (parse_value(v, vlen, f->kind, &o->v))
						return pt_fail(err, PT_EXIT_IMAGE,
							       "VMCOREINFO line \"%.*s\": malformed value",
							       (int)((eol - p) > 80 ? 80 : (eol - p)), p);
					o->set = true;
					seen[i] = true;
					break;
				}
			}
		}
		p = eol + 1;
	}
	return 0;
}

void vmcoreinfo_free(struct vmcoreinfo *vi)
{
	free(vi->raw);
	memset(vi, 0, sizeof *vi);
}

const char *vmcoreinfo_lookup(const struct vmcoreinfo *vi, const char *key)
{
	static char value[256];
	size_t keylen = strlen(key);

	if (!vi->present)
		return NULL;
	for (const char *p = vi->raw; p && *p;) {
		const char *eol = strchr(p, '\n');
		size_t linelen = eol ? (size_t)(eol - p) : strlen(p);
		if (linelen > keylen && !memcmp(p, key, keylen) && p[keylen] == '=') {
			size_t vlen = linelen - keylen - 1;
			if (vlen >= sizeof value)
				vlen = sizeof value - 1;
			memcpy(value, p + keylen + 1, vlen);
			value[vlen] = '\0';
			return value;
		}
		p = eol ? eol + 1 : NULL;
	}
	return NULL;
}

uint32_t kernel_version_code(const char *release)
{
	unsigned long part[3] = { 0, 0, 0 };
	const char *p = release;

	for (int i = 0; i < 3; i++) {
		if (!isdigit((unsigned char)*p))
			return i >= 2 ? KVER(part[0], part[1], 0) : 0;
		char *end;
		part[i] = strtoul(p, &end, 10);
		if (part[i] > 255 && i < 2)
			return 0;
		p = end;
		if (i < 2) {
			if (*p != '.')
				return i == 1 ? KVER(part[0], part[1], 0) : 0;
			p++;
		}
	}
	return KVER(part[0], part[1], part[2]);
}
