/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ELF memory images: kexec /proc/vmcore copies, QEMU dump-guest-memory
 * output, and /proc/kcore. libelf parses and byte-swaps the headers and
 * notes; the memory itself is read through one mmap of the file (or
 * pread where the file cannot be mapped, as /proc/kcore), because
 * elf_getdata_rawchunk() would copy whole PT_LOADs into memory. */
#include "config.h"

#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "image-private.h"

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

/* Notes larger than this are not a kernel's (a few KiB per CPU). */
#define MAX_NOTES_SIZE (64u << 20)

/* A run of physical memory held in the file: [pa, data_end) is in the
 * file at file_off; [data_end, pa_end) is described but not stored. */
struct piece {
	uint64_t pa, data_end, pa_end;
	uint64_t file_off;
	enum read_status missing;	/* why [data_end, pa_end) is absent */
};

/* The file is mapped in windows, not whole: a walk touches every table
 * page once, and pages of a whole-file mapping would stay resident and
 * count against ptwalk's memory however large the dump. ELF_WINDOWS
 * windows of ELF_WINDOW bytes, least recently used replaced, bound that
 * to 16 MiB; as many windows as the image cache has slots keep
 * image_peek()'s promise (valid for IMAGE_CACHE_SLOTS - 1 further calls). */
#define ELF_WINDOW (256u << 10)
#define ELF_WINDOWS IMAGE_CACHE_SLOTS

struct elf_window {
	uint64_t off;		/* window-aligned file offset; UINT64_MAX = none */
	uint64_t stamp;
	const uint8_t *data;
	size_t len;
};

struct elf_priv {
	Elf *elf;
	struct piece *pieces;
	size_t npieces;
	bool can_map;		/* false on /proc/kcore: pread only */
	uint64_t clock;
	struct elf_window win[ELF_WINDOWS];
};

static const struct piece *find_piece(const struct elf_priv *ep, uint64_t pa)
{
	size_t lo = 0, hi = ep->npieces;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ep->pieces[mid].pa_end <= pa)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ep->npieces && ep->pieces[lo].pa <= pa)
		return &ep->pieces[lo];
	return NULL;
}

static const uint8_t *elf_map(struct image *img, uint64_t pa, size_t len)
{
	struct elf_priv *ep = img->priv;
	if (!ep->can_map)
		return NULL;
	const struct piece *pc = find_piece(ep, pa);
	if (!pc || pa + len > pc->data_end || pa + len < pa)
		return NULL;
	uint64_t off = pc->file_off + (pa - pc->pa);
	uint64_t woff = off & ~(uint64_t)(ELF_WINDOW - 1);
	if (off + len > woff + ELF_WINDOW)
		return NULL;	/* straddles two windows: read it instead */

	struct elf_window *victim = &ep->win[0];
	for (unsigned i = 0; i < ELF_WINDOWS; i++) {
		struct elf_window *w = &ep->win[i];
		if (w->data && w->off == woff) {
			w->stamp = ++ep->clock;
			return w->data + (off - woff);
		}
		if (!w->data || (victim->data && w->stamp < victim->stamp))
			victim = w;
	}
	if (victim->data)
		munmap((void *)victim->data, victim->len);
	size_t wlen = ELF_WINDOW;
	if (woff + wlen > img->file_size)
		wlen = (size_t)(img->file_size - woff);
	void *m = mmap(NULL, wlen, PROT_READ, MAP_SHARED, img->fd, (off_t)woff);
	if (m == MAP_FAILED) {
		victim->data = NULL;
		return NULL;
	}
	victim->data = m;
	victim->len = wlen;
	victim->off = woff;
	victim->stamp = ++ep->clock;
	return victim->data + (off - woff);
}

/* [PA, PA + LEN) up to its first absent byte: *GOT bytes read, and why
 * the next is absent. */
static enum read_status elf_read_range(struct image *img, uint64_t pa, void *buf, size_t len,
				       size_t *got)
{
	const struct elf_priv *ep = img->priv;
	uint8_t *dst = buf;

	*got = 0;
	while (*got < len) {
		uint64_t at = pa + *got;
		const struct piece *pc = find_piece(ep, at);
		if (!pc)
			return READ_OUTSIDE;
		if (at >= pc->data_end)
			return pc->missing;
		size_t n = pc->data_end - at < len - *got ? (size_t)(pc->data_end - at) : len - *got;
		uint64_t off = pc->file_off + (at - pc->pa);
		for (size_t done = 0; done < n;) {
			ssize_t r = pread(img->fd, dst + *got, n - done, (off_t)(off + done));
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0) {
				snprintf(img->last_error, sizeof img->last_error,
					 "%s: read at offset 0x%llx: %s", img->path,
					 (unsigned long long)(off + done), strerror(errno));
				return READ_ERROR;
			}
			if (r == 0)
				return READ_TRUNCATED;
			done += (size_t)r;
			*got += (size_t)r;
		}
	}
	return READ_OK;
}

static enum read_status elf_read_unit(struct image *img, uint64_t base, void *buf, size_t *valid)
{
	return elf_read_range(img, base, buf, img->unit, valid);
}

static void elf_close(struct image *img)
{
	struct elf_priv *ep = img->priv;
	if (!ep)
		return;
	for (unsigned i = 0; i < ELF_WINDOWS; i++) {
		if (ep->win[i].data)
			munmap((void *)ep->win[i].data, ep->win[i].len);
	}
	if (ep->elf)
		elf_end(ep->elf);
	free(ep->pieces);
	free(ep);
	img->priv = NULL;
}

static const struct image_backend elf_backend = {
	.name = "elf",
	.read_unit = elf_read_unit,
	.read_range = elf_read_range,
	.map = elf_map,
	.close = elf_close,
};

static int piece_cmp(const void *a, const void *b)
{
	const struct piece *x = a, *y = b;
	if (x->pa != y->pa)
		return x->pa < y->pa ? -1 : 1;
	/* Same start: the longer stored part first, so it wins. */
	return x->data_end > y->data_end ? -1 : x->data_end < y->data_end;
}

static int by_pa(const void *a, const void *b)
{
	const struct piece *x = a, *y = b;
	return x->pa < y->pa ? -1 : x->pa > y->pa;
}

/* Make sorted pieces disjoint, the earlier winning where they overlap. */
static size_t make_disjoint(struct piece *p, size_t n)
{
	size_t out = 0;
	uint64_t covered = 0;
	for (size_t i = 0; i < n; i++) {
		struct piece pc = p[i];
		if (out && pc.pa < covered) {
			if (pc.pa_end <= covered)
				continue;
			uint64_t cut = covered - pc.pa;
			pc.file_off += cut;
			pc.pa = covered;
			if (pc.data_end < pc.pa)
				pc.data_end = pc.pa;
		}
		p[out++] = pc;
		covered = pc.pa_end;
	}
	return out;
}

/* Sort and make disjoint. Where segments overlap physically (kexec's
 * kernel-text segment inside a direct-map one), bytes a segment stores
 * win over bytes another only describes (p_memsz past p_filesz, or cut
 * off by truncation); between stored bytes, the segment first in
 * physical order (the longer at the same start) wins. Each piece comes
 * out either wholly stored or wholly missing. */
static int normalize_pieces(struct elf_priv *ep, struct pt_error *err)
{
	size_t n = ep->npieces, ns = 0, nm = 0;
	struct piece *st = calloc(n + 1, sizeof *st), *mi = calloc(n + 1, sizeof *mi);
	if (!st || !mi) {
		free(st);
		free(mi);
		return pt_oom(err, (n + 1) * sizeof *st);
	}

	for (size_t i = 0; i < n; i++) {
		const struct piece *pc = &ep->pieces[i];
		if (pc->data_end > pc->pa)
			st[ns++] = (struct piece){ pc->pa, pc->data_end, pc->data_end, pc->file_off, pc->missing };
		if (pc->pa_end > pc->data_end)
			mi[nm++] = (struct piece){ pc->data_end, pc->data_end, pc->pa_end, 0, pc->missing };
	}
	qsort(st, ns, sizeof *st, piece_cmp);
	ns = make_disjoint(st, ns);
	qsort(mi, nm, sizeof *mi, by_pa);
	nm = make_disjoint(mi, nm);

	/* What is missing less what is stored: a stored piece splits at
	 * most one missing piece in two. */
	struct piece *out = calloc(2 * ns + nm + 1, sizeof *out);
	if (!out) {
		free(st);
		free(mi);
		return pt_oom(err, (2 * ns + nm + 1) * sizeof *out);
	}
	size_t no = 0, j = 0;
	for (size_t i = 0; i < nm; i++) {
		uint64_t at = mi[i].pa, end = mi[i].pa_end;
		while (j < ns && st[j].pa_end <= at)
			j++;
		for (size_t k = j; k < ns && st[k].pa < end && at < end; k++) {
			if (st[k].pa > at)
				out[no++] = (struct piece){ at, at, st[k].pa, 0, mi[i].missing };
			if (st[k].pa_end > at)
				at = st[k].pa_end;
		}
		if (at < end)
			out[no++] = (struct piece){ at, at, end, 0, mi[i].missing };
	}
	memcpy(out + no, st, ns * sizeof *st);
	no += ns;
	qsort(out, no, sizeof *out, by_pa);
	free(st);
	free(mi);
	free(ep->pieces);
	ep->pieces = out;
	ep->npieces = no;
	return 0;
}

static int scan_notes(struct image *img, Elf *elf, const GElf_Phdr *ph,
		      struct pt_error *err)
{
	if (ph->p_filesz == 0)
		return 0;
	if (ph->p_offset > img->file_size || ph->p_filesz > img->file_size - ph->p_offset)
		return pt_fail(err, PT_EXIT_IMAGE,
			       "%s: PT_NOTE at offset 0x%llx, %llu bytes, runs past end of file (%llu bytes)",
			       img->path, (unsigned long long)ph->p_offset,
			       (unsigned long long)ph->p_filesz,
			       (unsigned long long)img->file_size);
	if (ph->p_filesz > MAX_NOTES_SIZE)
		return pt_fail(err, PT_EXIT_IMAGE, "%s: PT_NOTE of %llu bytes is implausibly large",
			       img->path, (unsigned long long)ph->p_filesz);
	Elf_Data *data = elf_getdata_rawchunk(elf, (int64_t)ph->p_offset,
					      (size_t)ph->p_filesz, ELF_T_NHDR);
	if (!data)
		return pt_fail(err, PT_EXIT_IMAGE, "%s: cannot read PT_NOTE: %s",
			       img->path, elf_errmsg(-1));
	size_t off = 0, name_off, desc_off;
	GElf_Nhdr nh;
	while (off < data->d_size) {
		size_t next = gelf_getnote(data, off, &nh, &name_off, &desc_off);
		if (next == 0 && data->d_size - off >= sizeof(Elf32_Nhdr)) {
			/* The last note may end without the padding of its
			 * descriptor: gelf_getnote() wants the padding in the
			 * data, libkdumpfile (notes.c do_notes()) and crash read
			 * such a note. The header is already in host order. */
			Elf32_Nhdr h;
			memcpy(&h, (const char *)data->d_buf + off, sizeof h);
			uint64_t name_at = off + sizeof h;
			uint64_t desc_at = name_at + (((uint64_t)h.n_namesz + 3) & ~3ull);
			if (desc_at <= data->d_size && h.n_descsz == data->d_size - desc_at) {
				nh = (GElf_Nhdr){ h.n_namesz, h.n_descsz, h.n_type };
				name_off = (size_t)name_at;
				desc_off = (size_t)desc_at;
				next = data->d_size;
			}
		}
		if (next == 0)
			return pt_fail(err, PT_EXIT_IMAGE,
				       "%s: malformed note at offset 0x%llx of PT_NOTE",
				       img->path, (unsigned long long)off);
		const char *name = (const char *)data->d_buf + name_off;
		if (nh.n_namesz == sizeof "VMCOREINFO" &&
		    !memcmp(name, "VMCOREINFO", sizeof "VMCOREINFO") &&
		    !img->vmci.present) {
			if (image_set_vmcoreinfo(img, (const char *)data->d_buf + desc_off,
						 nh.n_descsz, "ELF note", err))
				return pt_prefix(err, "%s", img->path);
		}
		off = next;
	}
	return 0;
}

int elf_image_open(struct image *img, const struct image_options *opts,
		   struct pt_error *err)
{
	struct elf_priv *ep = calloc(1, sizeof *ep);
	if (!ep)
		return pt_oom(err, sizeof *ep);
	img->priv = ep;
	img->backend = &elf_backend;
	img->format = IMAGE_ELF;

	elf_version(EV_CURRENT);
	ep->elf = elf_begin(img->fd, ELF_C_READ, NULL);
	/* libelf takes a file shorter than an ELF header for no ELF at all,
	 * without an error of its own to say so. */
	GElf_Ehdr eh;
	if (!ep->elf || elf_kind(ep->elf) != ELF_K_ELF || !gelf_getehdr(ep->elf, &eh)) {
		int e = elf_errno();
		return pt_fail(err, PT_EXIT_IMAGE, "%s: truncated or invalid ELF header (%llu bytes)%s%s",
			       img->path, (unsigned long long)img->file_size, e ? ": " : "",
			       e ? elf_errmsg(e) : "");
	}
	img->elf_class = eh.e_ident[EI_CLASS] == ELFCLASS64 ? 64 : 32;
	img->big_endian = eh.e_ident[EI_DATA] == ELFDATA2MSB;
	img->endian_known = true;
	img->elf_machine = eh.e_machine;
	snprintf(img->format_name, sizeof img->format_name, "elf%u", img->elf_class);
	snprintf(img->compression, sizeof img->compression, "none");
	if (eh.e_type != ET_CORE)
		return pt_fail(err, PT_EXIT_IMAGE,
			       "%s: ELF %s, not a memory image (is it a vmlinux?)",
			       img->path, eh.e_type == ET_EXEC ? "executable" :
			       eh.e_type == ET_DYN ? "shared object" :
			       eh.e_type == ET_REL ? "relocatable" : "non-core");

	/* Program headers inside the file before libelf reads them. */
	size_t phnum = eh.e_phnum;
	size_t phentsize = img->elf_class == 64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	if (eh.e_phnum == PN_XNUM && elf_getphdrnum(ep->elf, &phnum))
		return pt_fail(err, PT_EXIT_IMAGE, "%s: cannot count program headers: %s",
			       img->path, elf_errmsg(-1));
	if (phnum == 0) {
		/* An empty dump (libkdumpfile's tests write them): nothing
		 * in it, not even notes. */
		img->elf_style = ELF_STYLE_PHYSICAL;
		return 0;
	}
	if (eh.e_phoff > img->file_size || phnum > (img->file_size - eh.e_phoff) / phentsize)
		return pt_fail(err, PT_EXIT_IMAGE,
			       "%s: %zu program headers at offset 0x%llx run past end of file (%llu bytes)",
			       img->path, phnum, (unsigned long long)eh.e_phoff,
			       (unsigned long long)img->file_size);

	struct statfs sfs;
	bool on_procfs = fstatfs(img->fd, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC;
	uint64_t no_paddr = img->elf_class == 64 ? UINT64_MAX : UINT32_MAX;
	bool all_identity = true, any_no_paddr = false;

	ep->pieces = calloc(phnum ? phnum : 1, sizeof *ep->pieces);
	if (!ep->pieces)
		return pt_oom(err, phnum * sizeof *ep->pieces);
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(ep->elf, (int)i, &ph))
			return pt_fail(err, PT_EXIT_IMAGE, "%s: cannot read program header %zu: %s",
				       img->path, i, elf_errmsg(-1));
		if (ph.p_type == PT_NOTE) {
			if (scan_notes(img, ep->elf, &ph, err))
				return -1;
			continue;
		}
		if (ph.p_type != PT_LOAD)
			continue;
		if (ph.p_paddr == no_paddr) {
			any_no_paddr = true;	/* kcore: vmalloc, modules... */
			continue;
		}
		if (ph.p_vaddr != ph.p_paddr)
			all_identity = false;
		if (ph.p_offset + ph.p_filesz < ph.p_offset ||
		    ph.p_paddr + ph.p_memsz < ph.p_paddr ||
		    (img->elf_class == 32 && ph.p_paddr + ph.p_memsz > (1ull << 32)))
			return pt_fail(err, PT_EXIT_IMAGE,
				       "%s: PT_LOAD %zu: offset or address plus size overflows",
				       img->path, i);
		if (ph.p_filesz > ph.p_memsz)
			return pt_fail(err, PT_EXIT_IMAGE,
				       "%s: PT_LOAD %zu: p_filesz (0x%llx) exceeds p_memsz (0x%llx)",
				       img->path, i, (unsigned long long)ph.p_filesz,
				       (unsigned long long)ph.p_memsz);
		uint64_t avail = ph.p_filesz;
		if (ph.p_offset + ph.p_filesz > img->file_size) {
			if (!opts->allow_truncated)
				return pt_fail(err, PT_EXIT_IMAGE,
					       "%s: PT_LOAD %zu (physical 0x%llx-0x%llx) ends past end of file "
					       "(file has %llu of %llu bytes); the file is truncated: "
					       "--truncated reads what is there",
					       img->path, i, (unsigned long long)ph.p_paddr,
					       (unsigned long long)(ph.p_paddr + ph.p_memsz),
					       (unsigned long long)img->file_size,
					       (unsigned long long)(ph.p_offset + ph.p_filesz));
			avail = ph.p_offset >= img->file_size ? 0 : img->file_size - ph.p_offset;
		}
		struct piece *pc = &ep->pieces[ep->npieces++];
		pc->pa = ph.p_paddr;
		pc->data_end = ph.p_paddr + avail;
		pc->pa_end = ph.p_paddr + ph.p_memsz;
		pc->file_off = ph.p_offset;
		/* Bytes described but not stored: a cut file, or p_memsz
		 * beyond p_filesz (pages makedumpfile left out). */
		pc->missing = avail < ph.p_filesz ? READ_TRUNCATED : READ_FILTERED;
		if (ph.p_vaddr != ph.p_paddr && !img->linear_offset_known) {
			img->linear_offset_known = true;
			img->linear_offset = ph.p_vaddr - ph.p_paddr;
		}
		if (image_add_range(img, pc->pa, pc->data_end, err))
			return -1;
	}
	/* Segments, none at a physical address: a kcore of a kernel that
	 * gives none. No segment at all: an empty dump, holding nothing. */
	if (ep->npieces == 0 && any_no_paddr)
		return pt_fail(err, PT_EXIT_IMAGE, "%s: ELF core holds no physical memory (no PT_LOAD with a physical address)",
			       img->path);
	if (normalize_pieces(ep, err))
		return -1;

	img->elf_style = on_procfs || any_no_paddr ? ELF_STYLE_KCORE :
			 all_identity ? ELF_STYLE_PHYSICAL : ELF_STYLE_KEXEC;

	/* /proc/kcore refuses mmap and is read with pread instead. */
	ep->can_map = !on_procfs && img->file_size > 0;
	return 0;
}
