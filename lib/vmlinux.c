/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A vmlinux with debug info: symbols from its ELF symbol table (libelf),
 * struct offsets from DWARF (libdw), and its build ID checked against the
 * dump's VMCOREINFO BUILD-ID so that a vmlinux of another build is never
 * used silently. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dwarf.h>
#include <elfutils/libdw.h>

#include "kmem.h"

struct vmlinux {
	char *path;
	int fd;
	Elf *elf;
	Dwarf *dwarf;
};

static int read_build_id(Elf *elf, char *hex, size_t len)
{
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		Elf_Data *data = elf_getdata(scn, NULL);
		size_t off = 0, name_off, desc_off;
		GElf_Nhdr nh;
		while (data && (off = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
			if (nh.n_type != NT_GNU_BUILD_ID || nh.n_namesz != 4 ||
			    memcmp((const char *)data->d_buf + name_off, "GNU", 4))
				continue;
			const uint8_t *d = (const uint8_t *)data->d_buf + desc_off;
			size_t n = 0;
			for (size_t i = 0; i < nh.n_descsz && n + 3 <= len; i++)
				n += (size_t)snprintf(hex + n, len - n, "%02x", d[i]);
			return 0;
		}
	}
	return -1;
}

int vmlinux_open(const char *path, const char *build_id, struct vmlinux **out,
		 struct pt_error *err)
{
	struct vmlinux *v = calloc(1, sizeof *v);
	char id[130] = "";

	if (!v)
		return pt_oom(err, sizeof *v);
	v->fd = -1;
	v->path = strdup(path);
	if (!v->path) {
		pt_oom(err, strlen(path) + 1);
		goto fail;
	}
	v->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (v->fd < 0) {
		pt_fail(err, PT_EXIT_USAGE, "%s: %s", path, strerror(errno));
		goto fail;
	}
	elf_version(EV_CURRENT);
	v->elf = elf_begin(v->fd, ELF_C_READ_MMAP, NULL);
	if (!v->elf || elf_kind(v->elf) != ELF_K_ELF) {
		pt_fail(err, PT_EXIT_USAGE, "%s: not an ELF file", path);
		goto fail;
	}
	if (read_build_id(v->elf, id, sizeof id) == 0 && build_id && *build_id &&
	    strncmp(id, build_id, strlen(build_id))) {
		pt_fail(err, PT_EXIT_USAGE, "%s: build ID %s, but the dump's kernel is %s: another build",
			path, id, build_id);
		goto fail;
	}
	v->dwarf = dwarf_begin_elf(v->elf, DWARF_C_READ, NULL);
	*out = v;
	return 0;
fail:
	vmlinux_close(v);
	return -1;
}

void vmlinux_close(struct vmlinux *v)
{
	if (!v)
		return;
	if (v->dwarf)
		dwarf_end(v->dwarf);
	if (v->elf)
		elf_end(v->elf);
	if (v->fd >= 0)
		close(v->fd);
	free(v->path);
	free(v);
}

int vmlinux_symbol(struct vmlinux *v, const char *name, uint64_t *addr, struct pt_error *err)
{
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(v->elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize)
			continue;
		Elf_Data *data = elf_getdata(scn, NULL);
		size_t n = sh.sh_size / sh.sh_entsize;
		for (size_t i = 0; data && i < n; i++) {
			GElf_Sym sym;
			if (!gelf_getsym(data, (int)i, &sym))
				break;
			const char *s = elf_strptr(v->elf, sh.sh_link, sym.st_name);
			if (s && !strcmp(s, name) && sym.st_value) {
				*addr = sym.st_value;
				return 0;
			}
		}
	}
	return pt_fail(err, PT_EXIT_IMAGE, "%s: no symbol %s", v->path, name);
}

/* The byte offset of MEMBER in the struct DIE, searching anonymous
 * members too (bounded depth). */
static int die_member(Dwarf_Die *strct, const char *member, unsigned depth, uint64_t *off,
		      Dwarf_Die *mtype)
{
	Dwarf_Die child;
	if (depth > 8 || dwarf_child(strct, &child) != 0)
		return -1;
	do {
		if (dwarf_tag(&child) != DW_TAG_member)
			continue;
		Dwarf_Attribute attr;
		Dwarf_Word loc = 0;
		if (dwarf_attr(&child, DW_AT_data_member_location, &attr))
			dwarf_formudata(&attr, &loc);
		const char *name = dwarf_diename(&child);
		Dwarf_Die type;
		bool have_type = dwarf_attr(&child, DW_AT_type, &attr) && dwarf_formref_die(&attr, &type);
		if (name) {
			if (!strcmp(name, member)) {
				*off = loc;
				if (have_type)
					*mtype = type;
				return 0;
			}
			continue;
		}
		/* Anonymous struct or union: look inside. */
		while (have_type && (dwarf_tag(&type) == DW_TAG_typedef ||
				     dwarf_tag(&type) == DW_TAG_const_type ||
				     dwarf_tag(&type) == DW_TAG_volatile_type)) {
			have_type = dwarf_attr(&type, DW_AT_type, &attr) && dwarf_formref_die(&attr, &type);
		}
		uint64_t sub;
		if (have_type && (dwarf_tag(&type) == DW_TAG_structure_type ||
				  dwarf_tag(&type) == DW_TAG_union_type) &&
		    die_member(&type, member, depth + 1, &sub, mtype) == 0) {
			*off = loc + sub;
			return 0;
		}
	} while (dwarf_siblingof(&child, &child) == 0);
	return -1;
}

/* The complete definitions of task_struct and mm_struct, from the first
 * compilation units that have them. */
int vmlinux_offsets(struct vmlinux *v, struct kernel_offsets *o, struct pt_error *err)
{
	Dwarf_Die task, mm, signal;
	bool have_task = false, have_mm = false, have_signal = false;
	Dwarf_Off cu_off = 0, next;
	size_t hsize;

	if (!v->dwarf)
		return pt_fail(err, PT_EXIT_USAGE, "%s: no DWARF debug info (give the -dbg package's vmlinux)",
			       v->path);
	while (!(have_task && have_mm && have_signal) &&
	       dwarf_nextcu(v->dwarf, cu_off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu, child;
		if (dwarf_offdie(v->dwarf, cu_off + hsize, &cu) && dwarf_child(&cu, &child) == 0) {
			do {
				if (dwarf_tag(&child) != DW_TAG_structure_type || dwarf_hasattr(&child, DW_AT_declaration))
					continue;
				const char *name = dwarf_diename(&child);
				if (!name)
					continue;
				if (!have_task && !strcmp(name, "task_struct")) {
					task = child;
					have_task = true;
				} else if (!have_mm && !strcmp(name, "mm_struct")) {
					mm = child;
					have_mm = true;
				} else if (!have_signal && !strcmp(name, "signal_struct")) {
					signal = child;
					have_signal = true;
				}
			} while (dwarf_siblingof(&child, &child) == 0);
		}
		cu_off = next;
	}
	if (!have_task || !have_mm)
		return pt_fail(err, PT_EXIT_IMAGE, "%s: DWARF has no definition of %s", v->path,
			       have_task ? "mm_struct" : "task_struct");
	Dwarf_Die comm_type;
	memset(o, 0, sizeof *o);
	if (die_member(&task, "tasks", 0, &o->task_tasks, &comm_type) ||
	    die_member(&task, "pid", 0, &o->task_pid, &comm_type) ||
	    die_member(&task, "tgid", 0, &o->task_tgid, &comm_type) ||
	    die_member(&task, "mm", 0, &o->task_mm, &comm_type) ||
	    die_member(&mm, "pgd", 0, &o->mm_pgd, &comm_type) ||
	    die_member(&task, "comm", 0, &o->task_comm, &comm_type))
		return pt_fail(err, PT_EXIT_IMAGE, "%s: task_struct or mm_struct lacks a member ptwalk needs",
			       v->path);
	o->comm_len = 16;
	/* The thread list (kmem.h): optional, as in BTF. */
	Dwarf_Die mtype;
	o->have_threads = have_signal &&
			  !die_member(&task, "signal", 0, &o->task_signal, &mtype) &&
			  !die_member(&task, "thread_node", 0, &o->task_thread_node, &mtype) &&
			  !die_member(&signal, "thread_head", 0, &o->signal_thread_head, &mtype);
	return 0;
}
