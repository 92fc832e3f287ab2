/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where `ptwalk diff' gets its entries: a walk of an image, or a walk
 * saved as JSON Lines.
 *
 * The walker pushes entries to a callback, and a diff must pull from two
 * streams in step. Each walk therefore runs in a thread of its own
 * (lib/walk_pipe.c): memory stays constant whatever the image, and the
 * two walks run side by side. */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"

struct diff_source {
	int (*next)(struct diff_source *s, const struct diff_entry **e, struct pt_error *err);
	void (*close)(struct diff_source *s);
};

int diff_source_next(struct diff_source *s, const struct diff_entry **e, struct pt_error *err)
{
	return s->next(s, e, err);
}

void diff_source_close(struct diff_source *s)
{
	if (s)
		s->close(s);
}

void diff_entry_from_logical(struct diff_entry *e, const struct logical_entry *le,
			     const struct paging *pg)
{
	/* Field by field, not memset and fill: this runs for every entry
	 * of a diff's walks. */
	bool leaf = le->d.kind == PTK_LEAF, swap = le->d.kind == PTK_SWAP;
	bool alias = le->form == FORM_ALIAS, has_pa = pt_kind_has_pa(le->d.kind);
	e->va = le->va;
	e->size = le->size;
	e->count = le->count;
	e->pa = has_pa ? le->d.pa : 0;
	e->raw = le->raw;
	e->slot = le->slot_pa;
	e->alias_of = alias ? le->alias_of : 0;
	e->swap_offset = swap ? le->d.swap_offset : 0;
	e->level = pt_level_name(pg, le->level);
	e->cache = leaf ? pg->arch->cache_names[le->d.cache] : NULL;
	e->swap_kind = swap ? le->d.swap_kind : NULL;
	e->flags = le->d.flags;
	e->anomalies = le->anomalies;
	e->form = (uint8_t)le->form;
	e->kind = le->d.kind;
	e->swap_type = swap ? le->d.swap_type : 0;
	e->pkey = leaf ? le->d.pkey : 0;
	bool mapped = !alias || le->subtree;
	e->mapped = leaf ? le->size : alias && le->subtree ? le->subtree->bytes_mapped : 0;
	/* A walk knows every field; it has those its JSON would hold. */
	e->known = DF_ALL;
	e->has = DF_BIT(DF_LEVEL) | DF_BIT(DF_FORM) | DF_BIT(DF_COUNT) | DF_BIT(DF_KIND) |
		 DF_BIT(DF_FLAGS) | DF_BIT(DF_RAW) | DF_BIT(DF_SLOT) | DF_BIT(DF_ANOMALIES) |
		 (has_pa ? DF_BIT(DF_PA) : 0) | (leaf ? DF_BIT(DF_CACHE) : 0) |
		 (leaf && pg->arch->has_pkeys ? DF_BIT(DF_PKEY) : 0) |
		 (swap ? DF_BIT(DF_SWAP) : 0) | (alias ? DF_BIT(DF_ALIAS_OF) : 0) |
		 (mapped ? DF_BIT(DF_MAPPED) : 0);
}

void diff_entry_get(const struct diff_entry *e, enum diff_field f, struct field_value *v)
{
	v->present = (e->has & DF_BIT(f)) != 0;
	v->s = NULL;
	v->swap_type = 0;
	switch (f) {
	case DF_LEVEL: v->s = e->level; v->u = 0; break;
	case DF_FORM: v->u = e->form; break;
	case DF_COUNT: v->u = e->count; break;
	case DF_KIND: v->u = e->kind; break;
	case DF_PA: v->u = e->pa; break;
	case DF_FLAGS: v->u = e->flags; break;
	case DF_CACHE: v->s = e->cache; v->u = 0; break;
	case DF_PKEY: v->u = e->pkey; break;
	case DF_SWAP:
		v->s = e->swap_kind;
		v->swap_type = e->swap_type;
		v->u = e->swap_offset;
		break;
	case DF_RAW: v->u = e->raw; break;
	case DF_SLOT: v->u = e->slot; break;
	case DF_ANOMALIES: v->u = e->anomalies; break;
	case DF_ALIAS_OF: v->u = e->alias_of; break;
	case DF_MAPPED: v->u = e->mapped; break;
	default: v->present = false; v->u = 0; break;
	}
}

int diff_entry_set(struct diff_entry *e, enum diff_field f, const struct field_value *v)
{
	if (!v->present) {
		e->has &= ~DF_BIT(f);
		return 0;
	}
	/* The members narrower than a value: what a saved walk may not
	 * put there. */
	if ((f == DF_PKEY && v->u > UINT8_MAX) || (f == DF_FORM && v->u >= FORM_COUNT) ||
	    (f == DF_KIND && v->u >= PTK_COUNT) || ((f == DF_FLAGS || f == DF_ANOMALIES) && v->u > UINT32_MAX))
		return -1;
	e->has |= DF_BIT(f);
	switch (f) {
	case DF_LEVEL: e->level = v->s; break;
	case DF_FORM: e->form = (uint8_t)v->u; break;
	case DF_COUNT: e->count = v->u; break;
	case DF_KIND: e->kind = (uint8_t)v->u; break;
	case DF_PA: e->pa = v->u; break;
	case DF_FLAGS: e->flags = (uint32_t)v->u; break;
	case DF_CACHE: e->cache = v->s; break;
	case DF_PKEY: e->pkey = (uint8_t)v->u; break;
	case DF_SWAP:
		e->swap_kind = v->s;
		e->swap_type = v->swap_type;
		e->swap_offset = v->u;
		break;
	case DF_RAW: e->raw = v->u; break;
	case DF_SLOT: e->slot = v->u; break;
	case DF_ANOMALIES: e->anomalies = (uint32_t)v->u; break;
	case DF_ALIAS_OF: e->alias_of = v->u; break;
	case DF_MAPPED: e->mapped = v->u; break;
	default: e->has &= ~DF_BIT(f); break;
	}
	return 0;
}

bool diff_entry_extends(const struct diff_entry *a, const struct diff_entry *b)
{
	/* The attributes alike: every compared field but the addresses and
	 * the counts, which a run adds up. */
	static const uint32_t alike = DF_BIT(DF_LEVEL) | DF_BIT(DF_FORM) | DF_BIT(DF_KIND) |
		DF_BIT(DF_FLAGS) | DF_BIT(DF_CACHE) | DF_BIT(DF_PKEY);
	if (a->kind != PTK_LEAF || b->kind != PTK_LEAF ||
	    a->anomalies || b->anomalies || a->known != b->known || a->has != b->has ||
	    !(a->has & DF_BIT(DF_PA)))
		return false;
	for (unsigned f = 0; f < DF_COUNT_ALL; f++) {
		struct field_value x, y;
		if (!(alike & DF_BIT(f)))
			continue;
		diff_entry_get(a, (enum diff_field)f, &x);
		diff_entry_get(b, (enum diff_field)f, &y);
		if (!field_value_equal(entry_fields[diff_field_entry[f]].type, &x, &y))
			return false;
	}
	return diff_entry_end(a) + 1 == b->va && b->va != 0 && a->pa + a->size == b->pa;
}

/* ---- Entries in memory ---------------------------------------------------- */

struct array_source {
	struct diff_source base;
	const struct diff_entry *e;
	size_t n, next;
};

static int array_next(struct diff_source *base, const struct diff_entry **e, struct pt_error *err)
{
	struct array_source *s = (struct array_source *)base;
	(void)err;
	if (s->next == s->n)
		return 0;
	*e = &s->e[s->next++];
	return 1;
}

static void array_close(struct diff_source *base)
{
	free(base);
}

struct diff_source *diff_source_entries(const struct diff_entry *e, size_t n, struct pt_error *err)
{
	struct array_source *s = calloc(1, sizeof *s);
	if (!s) {
		pt_oom(err, sizeof *s);
		return NULL;
	}
	s->base.next = array_next;
	s->base.close = array_close;
	s->e = e;
	s->n = n;
	return &s->base;
}

/* ---- A walk in a thread ------------------------------------------------- */

struct walk_source {
	struct diff_source base;
	struct walk_pipe *pipe;
	const char *path;
};

static void to_diff_entry(void *rec, const struct logical_entry *le, const struct paging *pg)
{
	diff_entry_from_logical(rec, le, pg);
}

static int walk_next(struct diff_source *base, const struct diff_entry **e, struct pt_error *err)
{
	struct walk_source *s = (struct walk_source *)base;
	const void *rec;
	struct pt_error werr = { 0 };
	int rc = walk_pipe_next(s->pipe, &rec, &werr);
	if (rc > 0)
		*e = rec;
	else if (rc < 0)
		/* Named as every stream's errors are: the image's path first. */
		return pt_fail(err, werr.exit_code, "%s: %s", s->path, werr.msg);
	return rc;
}

static void walk_close(struct diff_source *base)
{
	struct walk_source *s = (struct walk_source *)base;
	walk_pipe_close(s->pipe);
	free(s);
}

struct diff_source *diff_source_walk(const struct walk_params *wp, struct pt_error *err)
{
	struct walk_source *s = calloc(1, sizeof *s);
	if (!s) {
		pt_oom(err, sizeof *s);
		return NULL;
	}
	s->base.next = walk_next;
	s->base.close = walk_close;
	s->path = wp->img->path;
	struct walk_params w = *wp;
	w.summarize_aliases = !w.expand_aliases;
	if (!(s->pipe = walk_pipe_start(&w, sizeof(struct diff_entry), to_diff_entry, err))) {
		free(s);
		return NULL;
	}
	return &s->base;
}

/* ---- A saved walk ------------------------------------------------------- */

/* Lines longer than this are not a walk's: a bound on what one line may
 * make us hold. */
#define JSON_LINE_MAX 65536
/* Distinct level, cache and swap-kind names: a walk has about twenty. */
#define JSON_NAMES_MAX 64
#define JSON_NAME_LEN 32

struct json_source {
	struct diff_source base;
	FILE *f;
	const char *path;
	uint64_t start, end;
	int32_t pid;
	const char *comm;
	uint64_t line_no;
	char line[JSON_LINE_MAX + 2];
	struct diff_entry e;
	/* Whose lines: a saved walk of several processes must be narrowed. */
	bool have_owner;
	json_t *owner;
	char names[JSON_NAMES_MAX][JSON_NAME_LEN];
	unsigned nnames;
	bool failed;
	/* -J's one document: LINE is a window on the file, the entries are
	 * read from its "entries" array as they come. */
	bool document;
	enum { DOC_START, DOC_MEMBERS, DOC_ENTRIES, DOC_END } state;
	size_t len, pos;		/* LINE[pos, len) not yet read */
	bool eof;
	char arch[JSON_NAME_LEN];	/* the document's "arch" */
};

static int json_fail(struct json_source *s, struct pt_error *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int json_fail(struct json_source *s, struct pt_error *err, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* The message may quote the input (a name, jansson's "near ..."):
	 * one line of printable ASCII, whatever the input holds. */
	for (char *c = msg; *c; c++) {
		if (*c < 0x20 || *c >= 0x7f)
			*c = '?';
	}
	s->failed = true;
	/* Before the first line is read there is no line to name. */
	if (!s->line_no)
		return pt_fail(err, PT_EXIT_IMAGE, "%s: %s", s->path, msg);
	return pt_fail(err, PT_EXIT_IMAGE, "%s: line %llu: %s", s->path,
		       (unsigned long long)s->line_no, msg);
}

/* "0x..." as the walk writes addresses. */
static int hex_value(json_t *v, uint64_t *out)
{
	const char *s = json_string_value(v);
	if (!s || s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || !s[2] || strlen(s) > 18)
		return -1;
	uint64_t r = 0;
	for (s += 2; *s; s++) {
		int d;
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return -1;
		r = r << 4 | (uint64_t)d;
	}
	*out = r;
	return 0;
}

static int uint_value(json_t *v, uint64_t max, uint64_t *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    (uint64_t)json_integer_value(v) > max)
		return -1;
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

static int name_index(const char *const *names, unsigned n, const char *s)
{
	for (unsigned i = 0; i < n; i++) {
		if (!strcmp(names[i], s))
			return (int)i;
	}
	return -1;
}

/* A name kept for the life of the source (level, cache, swap kind). */
static const char *intern(struct json_source *s, const char *name)
{
	for (unsigned i = 0; i < s->nnames; i++) {
		if (!strcmp(s->names[i], name))
			return s->names[i];
	}
	if (s->nnames == JSON_NAMES_MAX || strlen(name) >= JSON_NAME_LEN)
		return NULL;
	strcpy(s->names[s->nnames], name);
	return s->names[s->nnames++];
}

static int name_field(struct json_source *s, json_t *v, const char *key, const char **out,
		      struct pt_error *err)
{
	const char *str = json_string_value(v);
	if (!str)
		return json_fail(s, err, "\"%s\" is not a string", key);
	if (!(*out = intern(s, str)))
		return json_fail(s, err, "\"%s\": too many distinct names, or one too long", key);
	return 0;
}

/* A list of names into a bit mask ("flags", "anomalies"). */
static int name_list(struct json_source *s, json_t *v, const char *key,
		     const char *const *names, unsigned n, uint32_t *mask, struct pt_error *err)
{
	size_t i;
	json_t *item;
	if (!json_is_array(v))
		return json_fail(s, err, "\"%s\" is not a list", key);
	*mask = 0;
	json_array_foreach(v, i, item) {
		const char *str = json_string_value(item);
		int bit = str ? name_index(names, n, str) : -1;
		if (bit < 0)
			return json_fail(s, err, "\"%s\": unknown name %s%s%s", key,
					 str ? "'" : "", str ? str : "(not a string)", str ? "'" : "");
		*mask |= 1u << bit;
	}
	return 0;
}

/* Does this line belong to the selected process? And is the walk one
 * process's (or the kernel's) throughout? */
static int json_owner(struct json_source *s, json_t *o, bool *take, struct pt_error *err)
{
	json_t *pid = json_object_get(o, "pid"), *comm = json_object_get(o, "comm");
	*take = true;
	if (s->pid >= 0 || s->comm) {
		if (s->pid >= 0)
			*take = json_is_integer(pid) && json_integer_value(pid) == s->pid;
		else
			*take = json_is_string(comm) && !strcmp(json_string_value(comm), s->comm);
		if (!*take)
			return 0;
	}
	if (!s->have_owner) {
		s->have_owner = true;
		s->owner = pid ? json_incref(pid) : NULL;
		return 0;
	}
	if ((pid == NULL) != (s->owner == NULL) || (pid && !json_equal(pid, s->owner)))
		return json_fail(s, err, "the walk holds several processes (pid changes): "
				 "choose one with --a-pid or --b-pid");
	return 0;
}

/* Compared field F from V, by the field's type (fields.h). */
static int json_field(struct json_source *s, json_t *v, enum diff_field f, struct pt_error *err)
{
	const struct pt_field *fd = &entry_fields[diff_field_entry[f]];
	const char *key = fd->name;
	struct field_value val = { .present = true };
	uint64_t u;

	switch (fd->type) {
	case FT_ADDR:
	case FT_HEX:
		if (hex_value(v, &val.u))
			return json_fail(s, err, "\"%s\" is not a hex value (\"0x...\")", key);
		break;
	case FT_UINT:
	case FT_BYTES:
		if (uint_value(v, UINT64_MAX, &val.u))
			return json_fail(s, err, "\"%s\" is not an integer", key);
		break;
	case FT_NAME:
	case FT_TEXT:
		if (name_field(s, v, key, &val.s, err))
			return -1;
		break;
	case FT_ENUM: {
		int i = json_is_string(v) ? name_index(fd->names, fd->nnames, json_string_value(v)) : -1;
		if (i < 0)
			return json_fail(s, err, "\"%s\" is not a %s ptwalk writes", key, key);
		val.u = (uint64_t)i;
		break;
	}
	case FT_FLAGS:
	case FT_NAMES: {
		uint32_t mask = 0;
		if (name_list(s, v, key, fd->names, fd->nnames, &mask, err))
			return -1;
		val.u = mask;
		break;
	}
	case FT_SWAP: {
		json_t *k = json_object_get(v, "kind");
		if (!json_is_object(v) || !k || name_field(s, k, "swap.kind", &val.s, err) ||
		    uint_value(json_object_get(v, "type"), 255, &u) ||
		    hex_value(json_object_get(v, "offset"), &val.u)) {
			if (!s->failed)
				json_fail(s, err, "\"%s\" is not {\"kind\", \"type\", \"offset\"}", key);
			return -1;
		}
		val.swap_type = (uint8_t)u;
		break;
	}
	}
	if (diff_entry_set(&s->e, f, &val))
		return json_fail(s, err, "\"%s\" is out of range", key);
	return 0;
}

static int json_entry(struct json_source *s, json_t *o, struct pt_error *err)
{
	struct diff_entry *e = &s->e;
	json_t *v;
	uint64_t u;

	memset(e, 0, sizeof *e);
	if (hex_value(json_object_get(o, "va"), &e->va))
		return json_fail(s, err, "no \"va\" address (\"0x...\")");
	if ((v = json_object_get(o, "size"))) {
		if (uint_value(v, UINT64_MAX, &e->size) || !e->size)
			return json_fail(s, err, "\"size\" is not a positive integer");
	} else if (!hex_value(json_object_get(o, "end"), &u) && u >= e->va) {
		e->size = u - e->va + 1;
		if (!e->size)
			return json_fail(s, err, "entry covers the whole address space");
	} else {
		return json_fail(s, err, "no \"size\", and no \"end\" at or above \"va\"");
	}
	if (e->va + (e->size - 1) < e->va)
		return json_fail(s, err, "\"va\" + \"size\" goes past the top of the address space");
	/* Every compared field the line holds is known; null is a field
	 * without a value (pa of a swap entry, cache of a table). */
	for (unsigned f = 0; f < DF_COUNT_ALL; f++) {
		if (!(v = json_object_get(o, diff_field_names[f])))
			continue;
		e->known |= DF_BIT(f);
		if (!json_is_null(v) && json_field(s, v, (enum diff_field)f, err))
			return -1;
	}
	/* What the entry maps: the walk says it (an alias's figure only
	 * ptwalk can give); else a leaf maps its size and a table entry
	 * nothing, but an alias is not known. */
	if (!(e->known & DF_BIT(DF_MAPPED)) && (e->has & DF_BIT(DF_KIND)) &&
	    (e->has & DF_BIT(DF_FORM)) && e->form != FORM_ALIAS) {
		/* Not compared (not known), but summed. */
		e->mapped = e->kind == PTK_LEAF ? e->size : 0;
		e->has |= DF_BIT(DF_MAPPED);
	}
	return 0;
}

/* ---- The document: a window on the file, read value by value. jansson
 * parses whole values only, so the document's structure around its
 * entries (members, the array's brackets and commas) is read here. */

/* More of the file into the window; false at its end. */
static bool doc_fill(struct json_source *s, struct pt_error *err)
{
	if (s->eof)
		return false;
	if (s->pos) {
		memmove(s->line, s->line + s->pos, s->len - s->pos);
		s->len -= s->pos;
		s->pos = 0;
	}
	size_t n = fread(s->line + s->len, 1, sizeof s->line - s->len, s->f);
	if (!n) {
		if (ferror(s->f))
			json_fail(s, err, "read error: %s", strerror(errno));
		s->eof = true;
		return false;
	}
	s->len += n;
	return true;
}

/* JSON Lines: the next line's object; 0 at the end. */
static int line_object(struct json_source *s, json_t **o, struct pt_error *err)
{
	for (;;) {
		char *nl = memchr(s->line + s->pos, '\n', s->len - s->pos);
		if (!nl && s->len - s->pos <= JSON_LINE_MAX && doc_fill(s, err))
			continue;
		if (s->failed)
			return -1;
		if (!nl && s->pos == s->len)
			return 0;
		s->line_no++;
		if (!nl && s->len - s->pos > JSON_LINE_MAX)
			return json_fail(s, err, "line longer than %d bytes", JSON_LINE_MAX);
		/* The line, without its newline (the last may have none). */
		char *line = s->line + s->pos;
		size_t len = nl ? (size_t)(nl - line) : s->len - s->pos;
		s->pos += len + (nl != NULL);
		size_t blank = 0;
		while (blank < len && strchr(" \t\r", line[blank]))
			blank++;
		if (blank == len)
			continue;
		json_error_t jerr;
		if (!(*o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr)))
			return json_fail(s, err, "not JSON: %s", jerr.text);
		return 1;
	}
}

/* The next byte that is not blank, counting lines; -1 at the end (or an
 * error: S->failed). */
static int doc_peek(struct json_source *s, struct pt_error *err)
{
	for (;;) {
		while (s->pos < s->len) {
			char c = s->line[s->pos];
			if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
				return (unsigned char)c;
			s->line_no += c == '\n';
			s->pos++;
		}
		if (!doc_fill(s, err))
			return -1;
	}
}

/* One JSON value from the window (after doc_peek()). */
static int doc_value(struct json_source *s, json_t **v, struct pt_error *err)
{
	for (;;) {
		json_error_t jerr;
		*v = json_loadb(s->line + s->pos, s->len - s->pos,
				JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
		/* A value that ends where the window does may go on (a
		 * number), or not be whole: read more and parse it again. */
		bool at_end = !*v || (size_t)jerr.position >= s->len - s->pos;
		if (at_end && !s->eof && s->len - s->pos < JSON_LINE_MAX) {
			json_decref(*v);
			*v = NULL;
			if (doc_fill(s, err) || !s->failed)
				continue;
			return -1;
		}
		if (!*v) {
			if (s->len - s->pos >= JSON_LINE_MAX)
				return json_fail(s, err, "a value longer than %d bytes", JSON_LINE_MAX);
			return json_fail(s, err, "not JSON: %s", jerr.text);
		}
		for (size_t i = 0; i < (size_t)jerr.position; i++)
			s->line_no += s->line[s->pos + i] == '\n';
		s->pos += (size_t)jerr.position;
		return 0;
	}
}

/* Expect one of the bytes in WANT next; returns it, or -1. */
static int doc_expect(struct json_source *s, const char *want, struct pt_error *err)
{
	int c = doc_peek(s, err);
	if (s->failed)
		return -1;
	if (c < 0 || !strchr(want, c)) {
		char what[8], due[16];
		snprintf(what, sizeof what, "'%c'", c);
		if (want[1])
			snprintf(due, sizeof due, "'%c' or '%c'", want[0], want[1]);
		else
			snprintf(due, sizeof due, "'%c'", want[0]);
		return json_fail(s, err, "the document: %s where %s was due",
				 c < 0 ? "the end" : what, due);
	}
	s->pos++;
	return c;
}

/* The document's next entry object; 0 after its last. */
static int doc_object(struct json_source *s, json_t **o, struct pt_error *err)
{
	for (;;) {
		int c;
		switch (s->state) {
		case DOC_START:
			if (doc_expect(s, "{", err) < 0)
				return -1;
			s->state = DOC_MEMBERS;
			if (doc_peek(s, err) == '}') {
				s->pos++;
				s->state = DOC_END;
			}
			continue;
		case DOC_MEMBERS: {
			json_t *key, *v;
			if (doc_peek(s, err) < 0 && s->failed)
				return -1;
			if (doc_value(s, &key, err))
				return -1;
			if (!json_is_string(key)) {
				json_decref(key);
				return json_fail(s, err, "the document: a member's name is not a string");
			}
			bool entries = !strcmp(json_string_value(key), "entries");
			bool arch = !strcmp(json_string_value(key), "arch");
			json_decref(key);
			if (doc_expect(s, ":", err) < 0)
				return -1;
			if (entries) {
				if (doc_expect(s, "[", err) < 0)
					return -1;
				s->state = DOC_ENTRIES;
				if (doc_peek(s, err) == ']') {
					s->pos++;
					goto member_done;
				}
				goto entry;
			}
			if (doc_peek(s, err) < 0 && s->failed)
				return -1;
			if (doc_value(s, &v, err))
				return -1;
			if (arch && json_is_string(v))
				snprintf(s->arch, sizeof s->arch, "%s", json_string_value(v));
			json_decref(v);
		member_done:
			s->state = DOC_MEMBERS;
			if ((c = doc_expect(s, ",}", err)) < 0)
				return -1;
			if (c == '}')
				s->state = DOC_END;
			continue;
		}
		case DOC_ENTRIES:
			if ((c = doc_expect(s, ",]", err)) < 0)
				return -1;
			if (c == ']')
				goto member_done;
		entry:
			if (doc_peek(s, err) < 0 && s->failed)
				return -1;
			return doc_value(s, o, err) ? -1 : 1;
		case DOC_END:
			if (doc_peek(s, err) >= 0)
				return json_fail(s, err, "text after the document");
			return s->failed ? -1 : 0;
		}
	}
}

static int json_next(struct diff_source *base, const struct diff_entry **out, struct pt_error *err)
{
	struct json_source *s = (struct json_source *)base;
	if (s->failed)
		return -1;
	for (;;) {
		json_t *o;
		int got = s->document ? doc_object(s, &o, err) : line_object(s, &o, err);
		if (got <= 0)
			return got;
		bool take;
		int rc = -1;
		if (!json_is_object(o))
			json_fail(s, err, "not a JSON object");
		else if (!json_owner(s, o, &take, err))
			rc = take ? json_entry(s, o, err) : 1;
		json_decref(o);
		if (rc < 0)
			return -1;
		if (rc > 0 || diff_entry_end(&s->e) < s->start)
			continue;
		if (s->e.va > s->end)
			return 0;
		*out = &s->e;
		return 1;
	}
}

static void json_close(struct diff_source *base)
{
	struct json_source *s = (struct json_source *)base;
	json_decref(s->owner);
	free(s);
}

/* Whether the input holds -J's document rather than JSON Lines: its
 * first member is one of the document's ("image", "arch", "root",
 * "entries"), where an entry's is one of its fields. Looks at the window
 * only, consuming nothing: the input may be a pipe. */
static bool json_is_document(struct json_source *s, struct pt_error *err)
{
	size_t i = 0, n;
	while (s->len < 4096 && doc_fill(s, err))
		;
	while (i < s->len && strchr(" \t\r\n", s->line[i]))
		i++;
	if (i == s->len || s->line[i++] != '{')
		return false;
	while (i < s->len && strchr(" \t\r\n", s->line[i]))
		i++;
	if (i == s->len || s->line[i++] != '"')
		return false;
	for (n = 0; i + n < s->len && s->line[i + n] != '"' && n < 8; n++)
		;
	if (i + n == s->len || s->line[i + n] != '"')
		return false;
	static const char *const keys[] = { "image", "arch", "root", "entries" };
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		if (strlen(keys[k]) == n && !memcmp(s->line + i, keys[k], n))
			return true;
	}
	return false;
}

struct diff_source *diff_source_json(FILE *f, const char *path, uint64_t start,
				     uint64_t end, int32_t pid, const char *comm,
				     struct pt_error *err)
{
	struct json_source *s = calloc(1, sizeof *s);
	if (!s) {
		pt_oom(err, sizeof *s);
		return NULL;
	}
	s->base.next = json_next;
	s->base.close = json_close;
	s->f = f;
	s->path = path;
	s->start = start;
	s->end = end;
	s->pid = pid;
	s->comm = comm;
	s->document = json_is_document(s, err);
	if (s->failed) {
		free(s);
		return NULL;
	}
	s->line_no = s->document;	/* the window counts its lines from 1 */
	return &s->base;
}

const char *diff_source_json_arch(const struct diff_source *base)
{
	const struct json_source *s = (const struct json_source *)base;
	return s->arch[0] ? s->arch : NULL;
}
