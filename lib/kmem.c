/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kernel virtual memory read through the image's own page tables, the
 * kallsyms tables VMCOREINFO points to, struct offsets from BTF, and the
 * task list. Every pointer comes from an untrusted dump: reads are bounded
 * and loops are detected. */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "kmem.h"

int pt_translate(const struct paging *pg, struct image *img, uint64_t root,
		 uint64_t va, uint64_t *pa, uint64_t *avail, struct pt_error *err)
{
	struct pt_descent t;
	pt_descend(pg, img, root, va, &t);
	if (t.mapped && !t.protnone) {
		*pa = t.pa;
		*avail = t.avail;
		return 0;
	}
	if (t.end == PT_DESCENT_NONE || t.end == PT_DESCENT_UNREAD) {
		char why[160];
		pt_descent_why(pg, &t, why, sizeof why);
		return pt_fail(err, PT_EXIT_IMAGE, "0x%llx: %s", (unsigned long long)va, why);
	}
	/* Not mapped: named by the table slot where the descent stopped
	 * (a hugepd's PMD). */
	const struct pt_step *s = &t.steps[t.nsteps - 1];
	if (s->hugepd)
		s--;
	return pt_fail(err, PT_EXIT_IMAGE, "0x%llx is not mapped (%s[%u])",
		       (unsigned long long)va, pt_level_name(pg, s->level), s->index);
}

void kmem_init(struct kmem *km, struct image *img, const struct paging *pg)
{
	memset(km, 0, sizeof *km);
	km->img = img;
	km->pg = pg;
	km->root = pg->kernel_root.v;
}

int kmem_read(struct kmem *km, uint64_t va, void *buf, size_t len, struct pt_error *err)
{
	uint8_t *dst = buf;

	while (len) {
		if (!(km->tlb_len && va >= km->tlb_va && va - km->tlb_va < km->tlb_len)) {
			uint64_t pa, avail;
			if (pt_translate(km->pg, km->img, km->root, va, &pa, &avail, err))
				return -1;
			km->tlb_va = va;
			km->tlb_pa = pa;
			km->tlb_len = avail;
		}
		uint64_t off = va - km->tlb_va;
		size_t chunk = km->tlb_len - off < len ? (size_t)(km->tlb_len - off) : len;
		/* Physical reads stay within one page of the image. */
		uint64_t pa = km->tlb_pa + off;
		uint64_t page = (uint64_t)1 << km->pg->page_shift;
		if (chunk > page - (pa & (page - 1)))
			chunk = (size_t)(page - (pa & (page - 1)));
		enum read_status st = image_read(km->img, pa, dst, chunk);
		if (st != READ_OK)
			return pt_fail(err, PT_EXIT_IMAGE, "kernel address 0x%llx (physical 0x%llx): %s",
				       (unsigned long long)va, (unsigned long long)pa,
				       read_status_name(st));
		dst += chunk;
		va += chunk;
		len -= chunk;
	}
	return 0;
}

int kmem_read_u64(struct kmem *km, uint64_t va, uint64_t *v, struct pt_error *err)
{
	if (kmem_read(km, va, v, 8, err))
		return -1;
	if (km->pg->big_endian)
		*v = __builtin_bswap64(*v);
	return 0;
}

int kmem_read_u32(struct kmem *km, uint64_t va, uint32_t *v, struct pt_error *err)
{
	if (kmem_read(km, va, v, 4, err))
		return -1;
	if (km->pg->big_endian)
		*v = __builtin_bswap32(*v);
	return 0;
}

int kmem_read_ptr(struct kmem *km, uint64_t va, uint64_t *v, struct pt_error *err)
{
	if (km->pg->arch->elf_class == 64)
		return kmem_read_u64(km, va, v, err);
	uint32_t w;
	if (kmem_read_u32(km, va, &w, err))
		return -1;
	*v = w;
	return 0;
}

/* ---- kallsyms ----------------------------------------------------------
 * The compressed tables scripts/kallsyms writes, decoded as kernel/
 * kallsyms.c kallsyms_expand_symbol() and kallsyms_sym_address() do
 * (Linux 5.10, 6.1, 6.12 and 7.2):
 *   - names: each a length byte and that many token indices; since 6.1
 *     ("kallsyms: support big kernel symbols") a length byte with bit 7
 *     set takes a second byte for bits 7-14. Earlier kernels never write
 *     a length of 128 or more (a name is shorter than KSYM_NAME_LEN = 128
 *     with its type character, and tokens only shorten it), so the
 *     two-byte reading serves every release;
 *   - a token is a NUL-terminated string of kallsyms_token_table at
 *     kallsyms_token_index[i]; a name's first character is its type;
 *   - addresses, by what the kernel exports in VMCOREINFO (6.1
 *     kernel/crash_core.c, 6.12 and 7.2 kernel/vmcore_info.c; 5.10 exports
 *     no kallsyms tables), see enum ksyms_encoding.
 * The encoding is chosen from the exported symbols and the tables
 * themselves, never from the release string. */

enum ksyms_encoding {
	/* kallsyms_offsets and kallsyms_relative_base (6.1, 6.12):
	 * base + (u32)offset. */
	KSYMS_BASE_RELATIVE,
	/* The same with --absolute-percpu (CONFIG_KALLSYMS_ABSOLUTE_PERCPU,
	 * X86_64 && SMP in 5.10, 6.1 and 6.12 init/Kconfig; gone by 7.2): an
	 * offset >= 0 is the address itself (a per-cpu symbol), a negative
	 * one is base - 1 - offset. */
	KSYMS_ABSOLUTE_PERCPU,
	/* kallsyms_offsets without a base (7.x, "kallsyms: Get rid of
	 * kallsyms relative base"): each entry is relative to itself,
	 * offset_to_ptr(&kallsyms_offsets[i]). */
	KSYMS_PC_RELATIVE,
	/* The same tables of a 32-bit kernel that cannot be relocatable:
	 * the entry is the address (7.2 kallsyms_sym_address()). */
	KSYMS_ABSOLUTE32,
	/* kallsyms_addresses (!CONFIG_KALLSYMS_BASE_RELATIVE, ia64 only up
	 * to 6.x): pointers of the kernel's word size. */
	KSYMS_ADDRESSES,
};

#define KSYMS_MAX 8000000u	/* far above any kernel's symbol count */
#define KSYMS_CHUNK 65536u

struct names_reader {
	struct kmem *km;
	uint64_t base;
	uint64_t pos;		/* offset of buf[0] */
	size_t have;
	uint8_t buf[KSYMS_CHUNK];
};

static int names_byte(struct names_reader *r, uint64_t off, uint8_t *b, struct pt_error *err)
{
	if (off < r->pos || off >= r->pos + r->have) {
		r->pos = off;
		r->have = KSYMS_CHUNK;
		/* Near the end of mapped memory a whole chunk may not read:
		 * fall back to what does. */
		while (kmem_read(r->km, r->base + off, r->buf, r->have, err)) {
			if (r->have <= 256)
				return -1;
			r->have /= 2;
		}
	}
	*b = r->buf[off - r->pos];
	return 0;
}

/* Which kallsyms_* symbols VMCOREINFO lacks, as a message. */
static int no_kallsyms(const struct kmem *km, const char *missing, struct pt_error *err)
{
	const struct vmcoreinfo *vi = &km->img->vmci;
	const char *rel = km->pg->release[0] ? km->pg->release : "of unknown release";
	if (!vi->kallsyms_names.set && !vi->kallsyms_num_syms.set && !vi->kallsyms_token_table.set &&
	    !vi->kallsyms_token_index.set && !vi->kallsyms_offsets.set && !vi->kallsyms_addresses.set)
		return pt_fail(err, PT_EXIT_IMAGE,
			       "VMCOREINFO has no kallsyms tables (no SYMBOL(kallsyms_names); Linux 6.1 and later export them, this kernel is %s): give --vmlinux or --kallsyms",
			       rel);
	return pt_fail(err, PT_EXIT_IMAGE,
		       "VMCOREINFO has kallsyms tables but no SYMBOL(%s) (kernel %s): give --vmlinux or --kallsyms",
		       missing, rel);
}

/* The encoding of the address table, from what VMCOREINFO exports and,
 * for a base-relative table of x86_64, from the table itself. */
static int ksyms_encoding(struct kmem *km, uint32_t num, enum ksyms_encoding *enc,
			  uint64_t *base, struct pt_error *err)
{
	const struct vmcoreinfo *vi = &km->img->vmci;

	*base = 0;
	if (vi->kallsyms_offsets.set && vi->kallsyms_relative_base.set) {
		if (kmem_read_ptr(km, vi->kallsyms_relative_base.v, base, err))
			return pt_prefix(err, "kallsyms_relative_base");
		/* The table is sorted by address (scripts/kallsyms.c
		 * sort_symbols()), absolute per-cpu symbols (linked from 0)
		 * first: its last entry is relative, and negative only with
		 * --absolute-percpu (without it every offset is a u32 from
		 * the lowest symbol, which would need a kernel over 2 GiB to
		 * reach bit 31). */
		uint32_t last;
		if (kmem_read_u32(km, vi->kallsyms_offsets.v + (uint64_t)(num - 1) * 4, &last, err))
			return pt_prefix(err, "kallsyms_offsets");
		*enc = (int32_t)last < 0 ? KSYMS_ABSOLUTE_PERCPU : KSYMS_BASE_RELATIVE;
	} else if (vi->kallsyms_offsets.set) {
		*enc = km->pg->arch->elf_class == 32 && !km->pg->arch->relocatable ?
			KSYMS_ABSOLUTE32 : KSYMS_PC_RELATIVE;
	} else if (vi->kallsyms_addresses.set) {
		*enc = KSYMS_ADDRESSES;
	} else {
		return no_kallsyms(km, "kallsyms_offsets", err);
	}
	return 0;
}

/* The address of symbol S. */
static int ksyms_address(struct kmem *km, enum ksyms_encoding enc, uint64_t base, uint32_t s,
			 uint64_t *addr, struct pt_error *err)
{
	const struct vmcoreinfo *vi = &km->img->vmci;
	uint64_t entry = vi->kallsyms_offsets.v + (uint64_t)s * 4;
	uint32_t u;

	if (enc == KSYMS_ADDRESSES) {
		unsigned word = km->pg->arch->elf_class / 8;
		if (kmem_read_ptr(km, vi->kallsyms_addresses.v + (uint64_t)s * word, addr, err))
			return pt_prefix(err, "kallsyms_addresses");
		return 0;
	}
	if (kmem_read_u32(km, entry, &u, err))
		return pt_prefix(err, "kallsyms_offsets");
	int32_t o = (int32_t)u;
	switch (enc) {
	case KSYMS_BASE_RELATIVE:
		*addr = base + u;
		break;
	case KSYMS_ABSOLUTE_PERCPU:
		*addr = o >= 0 ? (uint64_t)o : base - 1 - (uint64_t)(int64_t)o;
		break;
	case KSYMS_PC_RELATIVE:
		*addr = entry + (uint64_t)(int64_t)o;
		break;
	default:
		*addr = u;
		break;
	}
	if (km->pg->arch->elf_class == 32)
		*addr &= 0xffffffffu;
	return 0;
}

int ksyms_from_image(struct kmem *km, const char *const *names, size_t n,
		     uint64_t *addrs, bool *found, struct pt_error *err)
{
	const struct vmcoreinfo *vi = &km->img->vmci;
	uint32_t num;
	uint16_t token_index[256];
	char *tokens = NULL;
	struct names_reader *r = NULL;
	enum ksyms_encoding enc = KSYMS_BASE_RELATIVE;
	uint64_t base;
	int rc = -1;

	for (size_t i = 0; i < n; i++)
		found[i] = false;
	static const struct { const char *name; size_t off; } needed[] = {
		{ "kallsyms_names", offsetof(struct vmcoreinfo, kallsyms_names) },
		{ "kallsyms_num_syms", offsetof(struct vmcoreinfo, kallsyms_num_syms) },
		{ "kallsyms_token_table", offsetof(struct vmcoreinfo, kallsyms_token_table) },
		{ "kallsyms_token_index", offsetof(struct vmcoreinfo, kallsyms_token_index) },
	};
	for (size_t i = 0; i < sizeof needed / sizeof needed[0]; i++) {
		const struct opt_u64 *v = (const struct opt_u64 *)((const char *)vi + needed[i].off);
		if (!v->set)
			return no_kallsyms(km, needed[i].name, err);
	}
	if (kmem_read_u32(km, vi->kallsyms_num_syms.v, &num, err)) {
		/* The first read of the tables: where it fails, the image
		 * holds no kernel memory there (a dump of user pages, a
		 * filtered one), which a person wants said in words. */
		char why[200];
		snprintf(why, sizeof why, "%.190s", err->msg);
		return pt_fail(err, PT_EXIT_IMAGE, "the image holds no kernel memory for the kallsyms "
			       "tables VMCOREINFO points to (kallsyms_num_syms at %s): give --vmlinux "
			       "or --kallsyms", why);
	}
	if (num == 0 || num > KSYMS_MAX)
		return pt_fail(err, PT_EXIT_IMAGE, "kallsyms_num_syms is %u: not a symbol count", num);
	if (ksyms_encoding(km, num, &enc, &base, err))
		return -1;
	if (kmem_read(km, vi->kallsyms_token_index.v, token_index, sizeof token_index, err))
		return pt_prefix(err, "kallsyms_token_index");
	unsigned tokens_len = 0;
	for (int i = 0; i < 256; i++) {
		if (km->pg->big_endian)
			token_index[i] = __builtin_bswap16(token_index[i]);
		if (token_index[i] > tokens_len)
			tokens_len = token_index[i];
	}
	/* The last token starts at the largest index; tokens are short. */
	tokens_len += 256;
	tokens = calloc(tokens_len + 1, 1);
	if (!tokens)
		return pt_oom(err, tokens_len + 1);
	if (kmem_read(km, vi->kallsyms_token_table.v, tokens, tokens_len, err)) {
		pt_prefix(err, "kallsyms_token_table");
		goto out;
	}

	r = calloc(1, sizeof *r);
	if (!r) {
		pt_oom(err, sizeof *r);
		goto out;
	}
	r->km = km;
	r->base = vi->kallsyms_names.v;
	r->have = 0;
	uint64_t off = 0;
	size_t left = n;
	char name[512];
	for (uint32_t s = 0; s < num && left; s++) {
		uint8_t b;
		if (names_byte(r, off++, &b, err))
			goto names_err;
		unsigned len = b;
		if (len & 0x80) {
			if (names_byte(r, off++, &b, err))
				goto names_err;
			len = (len & 0x7f) | ((unsigned)b << 7);
		}
		size_t nl = 0;
		for (unsigned k = 0; k < len; k++) {
			if (names_byte(r, off++, &b, err))
				goto names_err;
			for (const char *t = tokens + token_index[b]; *t && t < tokens + tokens_len; t++) {
				if (nl < sizeof name - 1)
					name[nl++] = *t;
			}
		}
		name[nl] = 0;
		if (nl < 2)
			continue;
		for (size_t i = 0; i < n; i++) {
			if (found[i] || strcmp(name + 1, names[i]))
				continue;
			if (ksyms_address(km, enc, base, s, &addrs[i], err))
				goto out;
			found[i] = true;
			left--;
		}
	}
	rc = 0;
	goto out;
names_err:
	pt_prefix(err, "kallsyms_names");
out:
	free(r);
	free(tokens);
	return rc;
}

void kernel_probe(struct paging *pg, struct image *img)
{
	/* mm/rmap.c defines make_device_exclusive_range() (5.14 to 6.14) or
	 * make_device_exclusive() (6.15 on) exactly when CONFIG_DEVICE_PRIVATE
	 * is set (Linux 6.1, 6.12 and 7.2); text symbols are in kallsyms
	 * without CONFIG_KALLSYMS_ALL. Kernels before 5.14 export no kallsyms
	 * in VMCOREINFO. */
	static const char *const names[] = { "_stext", "make_device_exclusive_range",
					     "make_device_exclusive" };
	uint64_t addrs[3];
	bool found[3];
	struct kmem km;
	struct pt_error err = { 0 };

	if (pg->swap_opts.device_private != PT_UNKNOWN || !pg->kernel_root.set ||
	    !img->vmci.kallsyms_names.set || !pg->arch->decode)
		return;
	if (pg->version && pg->version < KVER(5, 14, 0))
		return;
	kmem_init(&km, img, pg);
	if (ksyms_from_image(&km, names, 3, addrs, found, &err))
		return;
	/* An absence proves something only if the tables read right: the
	 * kernel's first text symbol is where VMCOREINFO says. */
	if (!found[0] || (img->vmci.stext.set && addrs[0] != img->vmci.stext.v))
		return;
	swap_kinds_device_private(pg, found[1] || found[2], "from its kallsyms");
}

int ksyms_from_file(const char *path, const char *const *names, size_t n,
		    uint64_t *addrs, bool *found, struct pt_error *err)
{
	FILE *f = fopen(path, "r");
	char line[1024];

	for (size_t i = 0; i < n; i++)
		found[i] = false;
	if (!f)
		return pt_fail(err, PT_EXIT_USAGE, "%s: %s", path, strerror(errno));
	/* "ADDRESS TYPE NAME [MODULE]" per line, as /proc/kallsyms. */
	while (fgets(line, sizeof line, f)) {
		char type, sym[512];
		unsigned long long a;
		if (sscanf(line, "%llx %c %511s", &a, &type, sym) != 3)
			continue;
		for (size_t i = 0; i < n; i++) {
			if (!found[i] && !strcmp(sym, names[i])) {
				addrs[i] = a;
				found[i] = true;
			}
		}
	}
	fclose(f);
	return 0;
}

/* ---- BTF ----------------------------------------------------------------
 * Offsets from the kernel's BTF with libbpf, which validates the blob.
 * Members of anonymous structs and unions (mm_struct keeps its fields in
 * one) are searched too, to a bounded depth. */

static int btf_member(const struct btf *btf, uint32_t type_id, const char *name,
		      unsigned depth, uint64_t *bits, uint32_t *member_type)
{
	const struct btf_type *t = btf__type_by_id(btf, type_id);
	if (!t || !btf_is_composite(t) || depth > 8)
		return -1;
	const struct btf_member *m = btf_members(t);
	for (unsigned i = 0; i < btf_vlen(t); i++, m++) {
		const char *mname = btf__name_by_offset(btf, m->name_off);
		uint32_t off = btf_member_bit_offset(t, i);
		if (mname && *mname) {
			if (!strcmp(mname, name)) {
				*bits = off;
				*member_type = m->type;
				return 0;
			}
			continue;
		}
		int inner = btf__resolve_type(btf, m->type);
		uint64_t sub;
		if (inner > 0 && !btf_member(btf, (uint32_t)inner, name, depth + 1, &sub, member_type)) {
			*bits = off + sub;
			return 0;
		}
	}
	return -1;
}

static int btf_offset(const struct btf *btf, const char *strct, const char *member,
		      uint64_t *off, uint32_t *member_type, struct pt_error *err)
{
	int id = btf__find_by_name_kind(btf, strct, BTF_KIND_STRUCT);
	uint64_t bits;
	if (id <= 0)
		return pt_fail(err, PT_EXIT_IMAGE, "BTF has no struct %s", strct);
	if (btf_member(btf, (uint32_t)id, member, 0, &bits, member_type))
		return pt_fail(err, PT_EXIT_IMAGE, "BTF struct %s has no member %s", strct, member);
	if (bits % 8)
		return pt_fail(err, PT_EXIT_IMAGE, "BTF: %s.%s is a bit field", strct, member);
	*off = bits / 8;
	return 0;
}

int offsets_from_btf(const void *data, size_t size, struct kernel_offsets *o,
		     struct pt_error *err)
{
	if (size > UINT32_MAX)
		return pt_fail(err, PT_EXIT_IMAGE, "BTF of %zu bytes is too large", size);
	/* libbpf 1.1 (btf.c btf_parse_hdr()) accepts a type section that
	 * does not start on a 4-byte boundary, then reads struct btf_type
	 * through misaligned pointers (found by fuzzing under UBSan): such
	 * a blob is refused here. The header is struct btf_header (Linux
	 * include/uapi/linux/btf.h), in either byte order. */
	if (size >= 24) {
		const uint8_t *h = data;
		bool file_be = h[0] == 0xeb && h[1] == 0x9f;
		uint32_t hdr_len, type_off;
		memcpy(&hdr_len, h + 4, 4);
		memcpy(&type_off, h + 8, 4);
		if (file_be != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)) {
			hdr_len = __builtin_bswap32(hdr_len);
			type_off = __builtin_bswap32(type_off);
		}
		if ((hdr_len + type_off) % 4)
			return pt_fail(err, PT_EXIT_IMAGE,
				       "BTF is invalid (its types start at byte %u, not on a 4-byte boundary)",
				       hdr_len + type_off);
	}
	struct btf *btf = btf__new(data, (uint32_t)size);
	uint32_t mt;
	int rc = 0;
	if (!btf)
		return pt_fail(err, PT_EXIT_IMAGE, "BTF is invalid or truncated (%s)", strerror(errno));
	memset(o, 0, sizeof *o);
	if (btf_offset(btf, "task_struct", "tasks", &o->task_tasks, &mt, err) ||
	    btf_offset(btf, "task_struct", "pid", &o->task_pid, &mt, err) ||
	    btf_offset(btf, "task_struct", "tgid", &o->task_tgid, &mt, err) ||
	    btf_offset(btf, "task_struct", "mm", &o->task_mm, &mt, err) ||
	    btf_offset(btf, "mm_struct", "pgd", &o->mm_pgd, &mt, err) ||
	    btf_offset(btf, "task_struct", "comm", &o->task_comm, &mt, err)) {
		rc = -1;
	} else {
		/* comm is char[TASK_COMM_LEN]. */
		const struct btf_type *t = btf__type_by_id(btf, mt);
		o->comm_len = 16;
		if (t && btf_is_array(t) && btf_array(t)->nelems > 0 && btf_array(t)->nelems <= 64)
			o->comm_len = btf_array(t)->nelems;
		/* Threads are for --threads and a thread's PID: their
		 * members' absence leaves the processes readable. */
		struct pt_error quiet = { 0 };
		o->have_threads = !btf_offset(btf, "task_struct", "signal", &o->task_signal, &mt, &quiet) &&
				  !btf_offset(btf, "task_struct", "thread_node", &o->task_thread_node, &mt,
					      &quiet) &&
				  !btf_offset(btf, "signal_struct", "thread_head", &o->signal_thread_head,
					      &mt, &quiet);
	}
	btf__free(btf);
	return rc;
}

/* ---- Setup and the task list ------------------------------------------- */

#define BTF_MAX (64u << 20)

int kernel_info_setup(struct kernel_info *ki, struct image *img, const struct paging *pg,
		      const struct kernel_info_options *opts, struct pt_error *err)
{
	static const char *const want[] = { "init_task", "__start_BTF", "__stop_BTF" };
	uint64_t addrs[3];
	bool found[3];
	const char *sym_how, *type_how;
	struct vmlinux *vml = NULL;

	memset(ki, 0, sizeof *ki);
	if (!pg->kernel_root.set)
		return pt_fail(err, PT_EXIT_IMAGE, "no kernel page-table root in VMCOREINFO, so no kernel memory to read");
	kmem_init(&ki->km, img, pg);

	if (opts->vmlinux) {
		if (vmlinux_open(opts->vmlinux, img->vmci.build_id, &vml, err))
			return -1;
		uint64_t kaslr = pg->kaslr_offset.set ? pg->kaslr_offset.v : 0;
		for (int i = 0; i < 3; i++) {
			struct pt_error e2 = { 0 };
			found[i] = !vmlinux_symbol(vml, want[i], &addrs[i], &e2);
			if (found[i])
				addrs[i] += kaslr;
		}
		sym_how = "vmlinux symbols";
	} else if (opts->kallsyms) {
		if (ksyms_from_file(opts->kallsyms, want, 3, addrs, found, err))
			return -1;
		sym_how = "--kallsyms";
	} else if (opts->lookup) {
		/* The caller's own symbols (a debugger's symbol table). */
		for (int i = 0; i < 3; i++)
			found[i] = opts->lookup(opts->lookup_arg, want[i], &addrs[i]) == 0;
		sym_how = "caller's symbols";
	} else {
		if (ksyms_from_image(&ki->km, want, 3, addrs, found, err))
			return -1;
		sym_how = "kallsyms in VMCOREINFO";
	}
	if (!found[0] && img->vmci.init_task.set) {
		addrs[0] = img->vmci.init_task.v;
		found[0] = true;
	}
	if (!found[0]) {
		vmlinux_close(vml);
		return pt_fail(err, PT_EXIT_IMAGE,
			       "no init_task symbol in the %s (a kernel without CONFIG_KALLSYMS_ALL?): give --vmlinux or --kallsyms",
			       sym_how);
	}
	ki->init_task = addrs[0];

	if (opts->btf) {
		FILE *f = fopen(opts->btf, "rb");
		if (!f) {
			vmlinux_close(vml);
			return pt_fail(err, PT_EXIT_USAGE, "%s: %s", opts->btf, strerror(errno));
		}
		uint8_t *data = malloc(BTF_MAX);
		if (!data) {
			fclose(f);
			vmlinux_close(vml);
			return pt_oom(err, BTF_MAX);
		}
		size_t len = fread(data, 1, BTF_MAX, f);
		fclose(f);
		int rc = offsets_from_btf(data, len, &ki->off, err);
		free(data);
		if (rc) {
			vmlinux_close(vml);
			return pt_prefix(err, "%s", opts->btf);
		}
		type_how = "--btf";
	} else if (vml) {
		if (vmlinux_offsets(vml, &ki->off, err)) {
			vmlinux_close(vml);
			return -1;
		}
		type_how = "vmlinux DWARF";
	} else {
		if (!found[1] || !found[2])
			return pt_fail(err, PT_EXIT_IMAGE,
				       "no __start_BTF/__stop_BTF in the %s (no CONFIG_DEBUG_INFO_BTF, or no data symbols): give --vmlinux or --btf",
				       sym_how);
		if (addrs[2] <= addrs[1] || addrs[2] - addrs[1] > BTF_MAX)
			return pt_fail(err, PT_EXIT_IMAGE, "__start_BTF..__stop_BTF (0x%llx..0x%llx) is not a BTF section",
				       (unsigned long long)addrs[1], (unsigned long long)addrs[2]);
		size_t len = (size_t)(addrs[2] - addrs[1]);
		uint8_t *data = malloc(len);
		if (!data)
			return pt_oom(err, len);
		int rc = kmem_read(&ki->km, addrs[1], data, len, err);
		if (rc)
			pt_prefix(err, "the kernel's BTF");
		else
			rc = offsets_from_btf(data, len, &ki->off, err);
		free(data);
		if (rc)
			return -1;
		type_how = "BTF in the image";
	}
	vmlinux_close(vml);
	if (ki->off.comm_len == 0 || ki->off.comm_len > 64)
		ki->off.comm_len = 16;
	snprintf(ki->how, sizeof ki->how, "%s, %s", sym_how, type_how);
	return 0;
}

#define TASKS_MAX (1u << 22)

static int read_task(struct kernel_info *ki, uint64_t task, struct task_info *t,
		     struct pt_error *err)
{
	struct kmem *km = &ki->km;
	uint32_t pid, tgid;

	memset(t, 0, sizeof *t);
	t->task = task;
	if (kmem_read_u32(km, task + ki->off.task_pid, &pid, err) ||
	    kmem_read_u32(km, task + ki->off.task_tgid, &tgid, err) ||
	    kmem_read(km, task + ki->off.task_comm, t->comm,
		      ki->off.comm_len < 16 ? ki->off.comm_len : 16, err) ||
	    kmem_read_ptr(km, task + ki->off.task_mm, &t->mm, err))
		return pt_prefix(err, "task at 0x%llx", (unsigned long long)task);
	t->pid = (int32_t)pid;
	t->tgid = (int32_t)tgid;
	t->comm[16] = 0;
	for (char *c = t->comm; *c; c++) {
		if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7e)
			*c = '?';
	}
	if (t->mm) {
		struct pt_error e2 = { 0 };
		uint64_t avail;
		if (kmem_read_ptr(km, t->mm + ki->off.mm_pgd, &t->pgd, &e2) == 0 &&
		    pt_translate(km->pg, km->img, km->root, t->pgd, &t->root, &avail, &e2) == 0)
			t->have_root = true;
	}
	return 0;
}

/* FN for each thread on the list at HEAD (a signal_struct's thread_head),
 * bounded as the task list is. */
struct thread_walk {
	struct kernel_info *ki;
	int (*fn)(void *arg, const struct task_info *t);
	void *arg;
	struct pt_error *err;		/* the caller's */
};

static int each_thread(void *arg, const struct task_info *leader)
{
	struct thread_walk *tw = arg;
	struct kernel_info *ki = tw->ki;
	struct kmem *km = &ki->km;
	struct pt_error *err = tw->err;
	uint64_t signal, head, node;

	if (kmem_read_ptr(km, leader->task + ki->off.task_signal, &signal, err))
		goto fail;
	head = signal + ki->off.signal_thread_head;
	if (kmem_read_ptr(km, head, &node, err))
		goto fail;
	uint64_t saved = node, power = 1, lam = 0;
	for (uint32_t count = 0; node != head; count++) {
		struct task_info t;
		if (count >= TASKS_MAX) {
			pt_fail(err, PT_EXIT_IMAGE, "more than %u threads", TASKS_MAX);
			goto fail;
		}
		if (read_task(ki, node - ki->off.task_thread_node, &t, err))
			goto fail;
		int rc = tw->fn(tw->arg, &t);
		if (rc)
			return rc;
		uint64_t next;
		if (kmem_read_ptr(km, node, &next, err))
			goto fail;
		if (next == saved && next != head) {
			pt_fail(err, PT_EXIT_IMAGE, "the thread list loops at 0x%llx", (unsigned long long)next);
			goto fail;
		}
		if (++lam == power) {
			saved = next;
			power *= 2;
			lam = 0;
		}
		node = next;
	}
	return 0;
fail:
	pt_prefix(err, "pid %d (%s): threads", leader->pid, leader->comm);
	return -1;
}

int threads_for_each(struct kernel_info *ki, int (*fn)(void *arg, const struct task_info *t),
		     void *arg, struct pt_error *err)
{
	if (!ki->off.have_threads)
		return pt_fail(err, PT_EXIT_IMAGE, PT_NO_THREAD_LIST
			       " (task_struct.signal, .thread_node, signal_struct.thread_head)");
	struct thread_walk tw = { ki, fn, arg, err };
	return tasks_for_each(ki, each_thread, &tw, err);
}

int tasks_for_each(struct kernel_info *ki, int (*fn)(void *arg, const struct task_info *t),
		   void *arg, struct pt_error *err)
{
	struct kmem *km = &ki->km;
	uint64_t head = ki->init_task + ki->off.task_tasks;
	uint64_t node = head;
	/* Brent's cycle detection: a list that loops without coming back
	 * to init_task is found in bounded time and memory. */
	uint64_t saved = node, power = 1, lam = 0;

	for (uint32_t count = 0;; count++) {
		struct task_info t;
		if (count >= TASKS_MAX)
			return pt_fail(err, PT_EXIT_IMAGE, "task list longer than %u entries", TASKS_MAX);
		if (read_task(ki, node - ki->off.task_tasks, &t, err))
			return pt_prefix(err, "task list");
		int rc = fn(arg, &t);
		if (rc)
			return rc;
		uint64_t next;
		if (kmem_read_ptr(km, node, &next, err))
			return pt_prefix(err, "task list: next of 0x%llx", (unsigned long long)node);
		if (next == head)
			return 0;
		if (next == saved)
			return pt_fail(err, PT_EXIT_IMAGE, "task list loops at 0x%llx without returning to init_task",
				       (unsigned long long)next);
		if (++lam == power) {
			saved = next;
			power *= 2;
			lam = 0;
		}
		node = next;
	}
}
