/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The ptwalk Python module: libptwalk's public API (<ptwalk/ptwalk.h>)
 * for Python, and through a reader callable for drgn:
 *
 *     import drgn, ptwalk
 *     img = ptwalk.open_reader(lambda pa, n: prog.read(pa, n, True),
 *                              vmcoreinfo=vmcoreinfo_text)
 *     for e in img.walk(root=0x41003000):
 *         if e.form == "cont-pte": ...
 *
 * A walk is an iterator: the walk runs in a thread of its own
 * (ptwalk_walk_iter()) and the interpreter's lock is released while an
 * entry is waited for, so memory stays constant and other threads run. A
 * reader callable is called in the walk's thread with the lock taken.
 * Errors raise ptwalk.Error carrying the library's one-line message and
 * its code (the exit statuses of ptwalk(1)); an exception the reader
 * raises comes out of the call that made it read. Written by hand: no
 * binding generator gives iterators over a C callback API, lock release
 * and a reader callable that runs in another thread. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

#include <stdbool.h>
#include <string.h>

#include "ptwalk/ptwalk.h"

static PyObject *ErrorType;
static PyTypeObject EntryType;

/* ---- Errors --------------------------------------------------------- */

static PyObject *raise_error(const struct ptwalk_error *err)
{
	PyObject *exc = PyObject_CallFunction(ErrorType, "s", err->message);
	if (!exc)
		return NULL;
	PyObject *code = PyLong_FromLong(err->code);
	if (!code || PyObject_SetAttrString(exc, "code", code) < 0) {
		Py_XDECREF(code);
		Py_DECREF(exc);
		return NULL;
	}
	Py_DECREF(code);
	PyErr_SetObject(ErrorType, exc);
	Py_DECREF(exc);
	return NULL;
}

/* ---- Images --------------------------------------------------------- */

typedef struct {
	PyObject_HEAD
	ptwalk *pw;
	PyObject *read;		/* the reader callable, or NULL */
	/* The first exception the reader raised during a call, kept for
	 * the call to raise (the library only sees -1). */
	PyObject *read_exc;
	int walking;		/* iterators alive: the handle is theirs */
} ImageObject;

static PyTypeObject ImageType;

/* The failure of a library call on IMG: the reader's own exception if it
 * raised one, else ptwalk.Error. */
static PyObject *image_error(ImageObject *img, const struct ptwalk_error *err)
{
	if (img && img->read_exc) {
		PyObject *exc = img->read_exc;
		img->read_exc = NULL;
		PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
		Py_DECREF(exc);
		return NULL;
	}
	return raise_error(err);
}

static bool image_usable(ImageObject *img)
{
	if (!img->pw) {
		PyErr_SetString(PyExc_ValueError, "the image is closed");
		return false;
	}
	if (img->walking) {
		PyErr_SetString(PyExc_RuntimeError,
				"the image is being walked: finish or delete the walk first");
		return false;
	}
	return true;
}

/* libptwalk's reader: READ(pa, size) in the walk's thread, with the
 * interpreter's lock taken for it. */
static long long reader(void *arg, uint64_t pa, void *buf, size_t len)
{
	ImageObject *img = arg;
	PyGILState_STATE g = PyGILState_Ensure();
	long long got = -1;
	PyObject *r = PyObject_CallFunction(img->read, "KK", (unsigned long long)pa,
					    (unsigned long long)len);
	if (r) {
		Py_buffer view;
		if (PyObject_GetBuffer(r, &view, PyBUF_SIMPLE) == 0) {
			size_t n = (size_t)view.len < len ? (size_t)view.len : len;
			memcpy(buf, view.buf, n);
			got = (long long)n;
			PyBuffer_Release(&view);
		} else {
			PyErr_Clear();
			PyErr_Format(PyExc_TypeError, "the reader returned %s, not bytes",
				     Py_TYPE(r)->tp_name);
		}
		Py_DECREF(r);
	}
	if (got < 0) {
		/* Keep the first; the call that read raises it. */
		PyObject *type, *value, *tb;
		PyErr_Fetch(&type, &value, &tb);
		PyErr_NormalizeException(&type, &value, &tb);
		if (!img->read_exc && value) {
			if (tb)
				PyException_SetTraceback(value, tb);
			img->read_exc = value;
			value = NULL;
		}
		Py_XDECREF(type);
		Py_XDECREF(value);
		Py_XDECREF(tb);
	}
	PyGILState_Release(g);
	return got;
}

/* Options common to open() and open_reader(): keyword arguments into
 * OPTS; strings point into KEEP's objects, alive until the call ends. */
struct open_args {
	const char *arch, *kernel_release, *kernel_config, *vmcoreinfo, *vmcoreinfo_file, *mmu;
	unsigned long long page_size, page_offset, raw_base, kernel_root;
	unsigned va_bits, levels, jobs;
	PyObject *raw_base_o, *page_offset_o, *kernel_root_o;
	int truncated, big_endian;
};

static int fill_options(struct open_args *a, struct ptwalk_options *o)
{
	memset(o, 0, sizeof *o);
	o->size = sizeof *o;
	o->arch = a->arch;
	o->page_size = a->page_size;
	o->va_bits = a->va_bits;
	o->levels = a->levels;
	o->kernel_release = a->kernel_release;
	o->kernel_config = a->kernel_config;
	o->vmcoreinfo = a->vmcoreinfo;
	o->vmcoreinfo_file = a->vmcoreinfo_file;
	o->allow_truncated = a->truncated;
	o->big_endian = a->big_endian;
	o->mmu = a->mmu;
	o->jobs = a->jobs;
	if (a->raw_base_o && a->raw_base_o != Py_None) {
		o->raw = 1;
		o->raw_base = PyLong_AsUnsignedLongLong(a->raw_base_o);
	}
	if (a->page_offset_o && a->page_offset_o != Py_None) {
		o->page_offset_set = 1;
		o->page_offset = PyLong_AsUnsignedLongLong(a->page_offset_o);
	}
	if (a->kernel_root_o && a->kernel_root_o != Py_None) {
		o->kernel_root_set = 1;
		o->kernel_root = PyLong_AsUnsignedLongLong(a->kernel_root_o);
	}
	return PyErr_Occurred() ? -1 : 0;
}

static PyObject *new_image(ptwalk *pw, PyObject *read)
{
	ImageObject *img = PyObject_New(ImageObject, &ImageType);
	if (!img) {
		ptwalk_close(pw);
		return NULL;
	}
	img->pw = pw;
	img->read = read;
	Py_XINCREF(read);
	img->read_exc = NULL;
	img->walking = 0;
	return (PyObject *)img;
}

static PyObject *mod_open(PyObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "path", "arch", "page_size", "va_bits", "levels",
				  "kernel_release", "kernel_config", "vmcoreinfo",
				  "vmcoreinfo_file", "raw_base", "page_offset", "kernel_root",
				  "truncated", "mmu", "jobs", NULL };
	struct open_args a = { 0 };
	PyObject *path;
	if (!PyArg_ParseTupleAndKeywords(args, kw, "O&|$zKIIzzzzOOOpzI", kwlist,
					 PyUnicode_FSConverter, &path, &a.arch, &a.page_size,
					 &a.va_bits, &a.levels, &a.kernel_release,
					 &a.kernel_config, &a.vmcoreinfo, &a.vmcoreinfo_file,
					 &a.raw_base_o, &a.page_offset_o, &a.kernel_root_o,
					 &a.truncated, &a.mmu, &a.jobs))
		return NULL;
	struct ptwalk_options o;
	if (fill_options(&a, &o)) {
		Py_DECREF(path);
		return NULL;
	}
	ptwalk *pw = NULL;
	struct ptwalk_error err;
	int rc;
	Py_BEGIN_ALLOW_THREADS
	rc = ptwalk_open(PyBytes_AS_STRING(path), &o, &pw, &err);
	Py_END_ALLOW_THREADS
	Py_DECREF(path);
	if (rc)
		return raise_error(&err);
	return new_image(pw, NULL);
}

static PyObject *mod_open_reader(PyObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "read", "name", "arch", "page_size", "va_bits", "levels",
				  "kernel_release", "kernel_config", "vmcoreinfo",
				  "page_offset", "kernel_root", "big_endian", "mmu", NULL };
	struct open_args a = { 0 };
	PyObject *read;
	const char *name = "reader";
	if (!PyArg_ParseTupleAndKeywords(args, kw, "O|$szKIIzzzOOpz", kwlist, &read, &name,
					 &a.arch, &a.page_size, &a.va_bits, &a.levels,
					 &a.kernel_release, &a.kernel_config, &a.vmcoreinfo,
					 &a.page_offset_o, &a.kernel_root_o, &a.big_endian, &a.mmu))
		return NULL;
	if (!PyCallable_Check(read)) {
		PyErr_SetString(PyExc_TypeError, "read must be a callable read(pa, size) -> bytes");
		return NULL;
	}
	struct ptwalk_options o;
	if (fill_options(&a, &o))
		return NULL;
	/* The image exists first: the reader's argument is it. */
	ImageObject *img = (ImageObject *)new_image(NULL, read);
	if (!img)
		return NULL;
	struct ptwalk_error err;
	int rc;
	Py_BEGIN_ALLOW_THREADS
	rc = ptwalk_open_reader(name, reader, img, &o, &img->pw, &err);
	Py_END_ALLOW_THREADS
	if (rc) {
		image_error(img, &err);
		Py_DECREF(img);
		return NULL;
	}
	return (PyObject *)img;
}

static void image_dealloc(ImageObject *img)
{
	ptwalk_close(img->pw);
	Py_XDECREF(img->read);
	Py_XDECREF(img->read_exc);
	PyObject_Free(img);
}

static PyObject *image_close(ImageObject *img, PyObject *unused)
{
	if (img->walking) {
		PyErr_SetString(PyExc_RuntimeError, "the image is being walked: finish or delete the walk first");
		return NULL;
	}
	ptwalk_close(img->pw);
	img->pw = NULL;
	Py_RETURN_NONE;
}

static PyObject *image_enter(ImageObject *img, PyObject *unused)
{
	Py_INCREF(img);
	return (PyObject *)img;
}

static PyObject *image_exit(ImageObject *img, PyObject *args)
{
	PyObject *r = image_close(img, NULL);
	if (!r)
		return NULL;
	Py_DECREF(r);
	Py_RETURN_FALSE;
}

static PyObject *image_info(ImageObject *img, void *closure)
{
	if (!img->pw) {
		PyErr_SetString(PyExc_ValueError, "the image is closed");
		return NULL;
	}
	struct ptwalk_info i;
	ptwalk_get_info(img->pw, &i);
	return Py_BuildValue("{s:s,s:s,s:I,s:I,s:I,s:O,s:s,s:N,s:K}", "arch", i.arch, "format",
			     i.format, "page_size", i.page_size, "va_bits", i.va_bits, "levels",
			     i.levels, "big_endian", i.big_endian ? Py_True : Py_False,
			     "kernel_release", i.kernel_release, "kernel_root",
			     i.have_kernel_root ? PyLong_FromUnsignedLongLong(i.kernel_root)
						: Py_NewRef(Py_None),
			     "user_end", (unsigned long long)i.user_end);
}

static PyObject *image_read(ImageObject *img, PyObject *args)
{
	unsigned long long pa;
	Py_ssize_t len;
	if (!PyArg_ParseTuple(args, "Kn", &pa, &len) || !image_usable(img))
		return NULL;
	if (len < 0 || len > (1 << 30)) {
		PyErr_SetString(PyExc_ValueError, "size must be from 0 to 1 GiB");
		return NULL;
	}
	PyObject *out = PyBytes_FromStringAndSize(NULL, len);
	if (!out)
		return NULL;
	struct ptwalk_error err;
	int rc;
	if (img->read) {
		/* The reader takes the lock itself: keep it. */
		rc = ptwalk_read_phys(img->pw, pa, PyBytes_AS_STRING(out), (size_t)len, &err);
	} else {
		Py_BEGIN_ALLOW_THREADS
		rc = ptwalk_read_phys(img->pw, pa, PyBytes_AS_STRING(out), (size_t)len, &err);
		Py_END_ALLOW_THREADS
	}
	if (rc) {
		Py_DECREF(out);
		return image_error(img, &err);
	}
	return out;
}

/* ---- Entries --------------------------------------------------------- */

static PyStructSequence_Field entry_fields[] = {
	{ "va", "first virtual address" },
	{ "end", "last virtual address (inclusive)" },
	{ "size", "bytes mapped" },
	{ "level", "level of the leaf entries: pte, pmd, pud, p4d, pgd" },
	{ "form", "single, cont-pte, cont-pmd, 8xx-8m, 8xx-512k, 8xx-16k, hugepd, alias or table" },
	{ "count", "physical entries folded into this one" },
	{ "kind", "leaf, swap, bad or table" },
	{ "pa", "physical address of the first byte mapped (of the table for alias and table), or None" },
	{ "flags", "frozenset of flag names" },
	{ "cache", "memory type of a leaf, or None" },
	{ "pkey", "protection key of a leaf, or None" },
	{ "swap", "swap entry: dict of kind, type and offset, or None" },
	{ "raw", "raw value of the first physical entry" },
	{ "slot", "physical address of the first slot" },
	{ "anomalies", "frozenset of what is wrong with the entry" },
	{ "alias_of", "where an aliased table was walked, or None" },
	{ "why", "a reserved entry's reason, or None" },
	{ "pfn", "page frame number of pa, or None" },
	{ "mapped", "bytes mapped: a leaf its size, an alias what its slot maps, else 0; or None" },
	{ NULL, NULL },
};

static PyStructSequence_Desc entry_desc = {
	"ptwalk.Entry",
	"A logical entry: the fields of an entry of `ptwalk walk -J'.",
	entry_fields,
	19,
};

static PyObject *name_set(uint32_t mask, const char *(*name)(unsigned))
{
	PyObject *list = PyList_New(0);
	if (!list)
		return NULL;
	for (unsigned b = 0; b < 32; b++) {
		const char *n;
		if (!(mask & (1u << b)) || !(n = name(b)))
			continue;
		PyObject *s = PyUnicode_FromString(n);
		if (!s || PyList_Append(list, s) < 0) {
			Py_XDECREF(s);
			Py_DECREF(list);
			return NULL;
		}
		Py_DECREF(s);
	}
	PyObject *set = PyFrozenSet_New(list);
	Py_DECREF(list);
	return set;
}

static PyObject *opt_ull(bool have, uint64_t v)
{
	return have ? PyLong_FromUnsignedLongLong(v) : Py_NewRef(Py_None);
}

static PyObject *make_entry(const struct ptwalk_entry *e)
{
	PyObject *o = PyStructSequence_New(&EntryType);
	if (!o)
		return NULL;
	bool leaf = !strcmp(e->kind, "leaf"), swap = !strcmp(e->kind, "swap");
	PyObject *v[19];
	v[0] = PyLong_FromUnsignedLongLong(e->va);
	v[1] = PyLong_FromUnsignedLongLong(e->va + e->size - 1);
	v[2] = PyLong_FromUnsignedLongLong(e->size);
	v[3] = PyUnicode_FromString(e->level_name);
	v[4] = PyUnicode_FromString(e->form);
	v[5] = PyLong_FromUnsignedLongLong(e->count);
	v[6] = PyUnicode_FromString(e->kind);
	v[7] = opt_ull(e->has_pa, e->pa);
	v[8] = name_set(e->flags, ptwalk_flag_name);
	v[9] = leaf ? PyUnicode_FromString(e->cache) : Py_NewRef(Py_None);
	v[10] = leaf && e->pkey >= 0 ? PyLong_FromLong(e->pkey) : Py_NewRef(Py_None);
	v[11] = swap ? Py_BuildValue("{s:s,s:I,s:K}", "kind", e->swap_kind, "type", e->swap_type,
				     "offset", (unsigned long long)e->swap_offset)
		     : Py_NewRef(Py_None);
	v[12] = PyLong_FromUnsignedLongLong(e->raw);
	v[13] = PyLong_FromUnsignedLongLong(e->slot_pa);
	v[14] = name_set(e->anomalies, ptwalk_anomaly_name);
	v[15] = opt_ull(!strcmp(e->form, "alias"), e->alias_of);
	v[16] = e->why ? PyUnicode_FromString(e->why) : Py_NewRef(Py_None);
	v[17] = opt_ull(e->has_pa, e->pfn);
	v[18] = opt_ull(e->has_mapped, e->mapped);
	bool ok = true;
	for (int i = 0; i < 19; i++) {
		ok &= v[i] != NULL;
		PyStructSequence_SET_ITEM(o, i, v[i] ? v[i] : Py_NewRef(Py_None));
	}
	if (!ok) {
		Py_DECREF(o);
		return NULL;
	}
	return o;
}

/* ---- Walks ------------------------------------------------------------ */

typedef struct {
	PyObject_HEAD
	ImageObject *img;
	ptwalk_iter *it;
} WalkObject;

static PyTypeObject WalkType;

static int walk_options(PyObject *args, PyObject *kw, struct ptwalk_walk_options *o)
{
	static char *kwlist[] = { "root", "start", "end", "physical", "expand_aliases", NULL };
	PyObject *root = Py_None, *start = Py_None, *end = Py_None;
	int physical = 0, expand = 0;
	if (!PyArg_ParseTupleAndKeywords(args, kw, "|$OOOpp", kwlist, &root, &start, &end,
					 &physical, &expand))
		return -1;
	memset(o, 0, sizeof *o);
	o->size = sizeof *o;
	if (root != Py_None) {
		o->have_root = 1;
		o->root = PyLong_AsUnsignedLongLong(root);
	}
	if (start != Py_None || end != Py_None) {
		o->start = start != Py_None ? PyLong_AsUnsignedLongLong(start) : 0;
		o->end = end != Py_None ? PyLong_AsUnsignedLongLong(end) : UINT64_MAX;
	}
	o->physical = physical;
	o->expand_aliases = expand;
	return PyErr_Occurred() ? -1 : 0;
}

static PyObject *image_walk(ImageObject *img, PyObject *args, PyObject *kw)
{
	struct ptwalk_walk_options o;
	if (walk_options(args, kw, &o) || !image_usable(img))
		return NULL;
	WalkObject *w = PyObject_New(WalkObject, &WalkType);
	if (!w)
		return NULL;
	struct ptwalk_error err;
	w->it = ptwalk_walk_iter(img->pw, &o, &err);
	if (!w->it) {
		w->img = NULL;
		Py_DECREF(w);
		return raise_error(&err);
	}
	w->img = img;
	Py_INCREF(img);
	img->walking++;
	return (PyObject *)w;
}

static void walk_end(WalkObject *w)
{
	if (!w->it)
		return;
	ptwalk_iter *it = w->it;
	w->it = NULL;
	/* The walk's thread may wait for the lock (a reader): let it go. */
	Py_BEGIN_ALLOW_THREADS
	ptwalk_iter_free(it);
	Py_END_ALLOW_THREADS
	w->img->walking--;
}

static PyObject *walk_next(WalkObject *w)
{
	if (!w->it)
		return NULL;
	struct ptwalk_entry e;
	struct ptwalk_error err;
	int rc;
	Py_BEGIN_ALLOW_THREADS
	rc = ptwalk_iter_next(w->it, &e, &err);
	Py_END_ALLOW_THREADS
	if (rc == 1)
		return make_entry(&e);
	walk_end(w);
	if (rc == 0) {
		/* The reader may have failed on a slot the walk reports as an
		 * anomaly: the exception still goes to the caller. */
		if (w->img->read_exc)
			return image_error(w->img, &err);
		return NULL;
	}
	return image_error(w->img, &err);
}

static void walk_dealloc(WalkObject *w)
{
	if (w->img) {
		walk_end(w);
		Py_DECREF(w->img);
	}
	PyObject_Free(w);
}

static PyObject *walk_close(WalkObject *w, PyObject *unused)
{
	if (w->img)
		walk_end(w);
	Py_RETURN_NONE;
}

/* ---- Counting, translating, processes ----------------------------------- */

static PyObject *image_count(ImageObject *img, PyObject *args, PyObject *kw)
{
	struct ptwalk_walk_options o;
	if (walk_options(args, kw, &o) || !image_usable(img))
		return NULL;
	struct ptwalk_counts k;
	struct ptwalk_error err;
	int rc;
	Py_BEGIN_ALLOW_THREADS
	rc = ptwalk_count(img->pw, &o, &k, &err);
	Py_END_ALLOW_THREADS
	if (rc)
		return image_error(img, &err);
	PyObject *by = PyDict_New();
	if (!by)
		return NULL;
	for (unsigned b = 0; b < 32; b++) {
		const char *n = ptwalk_anomaly_name(b);
		PyObject *v;
		if (!n || !k.by_anomaly[b])
			continue;
		if (!(v = PyLong_FromUnsignedLongLong(k.by_anomaly[b])) ||
		    PyDict_SetItemString(by, n, v) < 0) {
			Py_XDECREF(v);
			Py_DECREF(by);
			return NULL;
		}
		Py_DECREF(v);
	}
	return Py_BuildValue("{s:K,s:K,s:K,s:K,s:K,s:N}", "entries", (unsigned long long)k.entries,
			     "leaves", (unsigned long long)k.leaves, "leaf_bytes",
			     (unsigned long long)k.leaf_bytes, "gangs", (unsigned long long)k.gangs,
			     "anomalous", (unsigned long long)k.anomalous, "anomalies", by);
}

static PyObject *image_translate(ImageObject *img, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "va", "root", NULL };
	unsigned long long va;
	PyObject *root = Py_None;
	if (!PyArg_ParseTupleAndKeywords(args, kw, "K|$O", kwlist, &va, &root) ||
	    !image_usable(img))
		return NULL;
	unsigned long long r = root != Py_None ? PyLong_AsUnsignedLongLong(root) : 0;
	if (PyErr_Occurred())
		return NULL;
	struct ptwalk_translation t;
	struct ptwalk_error err;
	int rc;
	if (img->read) {
		rc = ptwalk_translate(img->pw, root != Py_None, r, va, &t, &err);
	} else {
		Py_BEGIN_ALLOW_THREADS
		rc = ptwalk_translate(img->pw, root != Py_None, r, va, &t, &err);
		Py_END_ALLOW_THREADS
	}
	if (rc || img->read_exc)
		return image_error(img, &err);
	PyObject *steps = PyList_New(t.nsteps);
	if (!steps)
		return NULL;
	for (unsigned i = 0; i < t.nsteps; i++) {
		const struct ptwalk_step *s = &t.steps[i];
		PyObject *d = Py_BuildValue("{s:s,s:I,s:K,s:O,s:N,s:N,s:N}", "level", s->level_name,
					    "index", s->index, "slot", (unsigned long long)s->slot,
					    "read", s->read_ok ? Py_True : Py_False, "raw",
					    opt_ull(s->read_ok, s->raw), "kind",
					    s->read_ok ? PyUnicode_FromString(s->kind) : Py_NewRef(Py_None),
					    "buddy_slot", opt_ull(s->have_buddy, s->buddy_slot));
		if (!d) {
			Py_DECREF(steps);
			return NULL;
		}
		PyList_SET_ITEM(steps, i, d);
	}
	PyObject *entry = t.have_entry ? make_entry(&t.entry) : Py_NewRef(Py_None);
	if (!entry) {
		Py_DECREF(steps);
		return NULL;
	}
	return Py_BuildValue("{s:K,s:K,s:O,s:N,s:s,s:N,s:N}", "va", (unsigned long long)t.va, "root",
			     (unsigned long long)t.root, "mapped", t.mapped ? Py_True : Py_False,
			     "pa", opt_ull(t.mapped, t.pa), "why", t.why, "steps", steps, "entry",
			     entry);
}

struct task_list {
	PyObject *list;
	bool failed;
};

static int add_task(void *arg, const struct ptwalk_task *t)
{
	struct task_list *tl = arg;
	PyGILState_STATE g = PyGILState_Ensure();
	PyObject *d = Py_BuildValue("{s:i,s:i,s:s,s:K,s:N,s:N}", "pid", t->pid, "tgid", t->tgid,
				    "comm", t->comm, "task", (unsigned long long)t->task, "mm",
				    opt_ull(t->mm != 0, t->mm), "root", opt_ull(t->have_root, t->root));
	int rc = !d || PyList_Append(tl->list, d) < 0;
	Py_XDECREF(d);
	tl->failed |= rc;
	PyGILState_Release(g);
	return rc;
}

static PyObject *image_tasks(ImageObject *img, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "vmlinux", "btf", "kallsyms", NULL };
	struct ptwalk_symbols syms = { .size = sizeof syms };
	if (!PyArg_ParseTupleAndKeywords(args, kw, "|$zzz", kwlist, &syms.vmlinux, &syms.btf,
					 &syms.kallsyms) || !image_usable(img))
		return NULL;
	struct task_list tl = { .list = PyList_New(0) };
	if (!tl.list)
		return NULL;
	struct ptwalk_error err;
	int rc;
	Py_BEGIN_ALLOW_THREADS
	rc = ptwalk_tasks(img->pw, &syms, add_task, &tl, &err);
	Py_END_ALLOW_THREADS
	if (tl.failed) {
		Py_DECREF(tl.list);
		return NULL;
	}
	if (rc) {
		Py_DECREF(tl.list);
		return image_error(img, &err);
	}
	return tl.list;
}

/* ---- Comparing ------------------------------------------------------------ */

static PyObject *diff_side(const struct ptwalk_diff_side *sd)
{
	if (!sd->entries)
		Py_RETURN_NONE;
	return Py_BuildValue("{s:K,s:K,s:O,s:O,s:N}", "entries", (unsigned long long)sd->entries,
			     "bytes", (unsigned long long)sd->bytes,
			     "uniform", sd->uniform ? Py_True : Py_False,
			     "linear", sd->linear ? Py_True : Py_False,
			     "first", make_entry(&sd->first));
}

static PyObject *tristate(int v)
{
	PyObject *r = v < 0 ? Py_None : v ? Py_True : Py_False;
	Py_INCREF(r);
	return r;
}

/* Each record into the list ARG holds, in the caller's thread, with the
 * interpreter's lock taken for it. */
static int add_record(void *arg, const struct ptwalk_diff_record *r)
{
	PyGILState_STATE g = PyGILState_Ensure();
	PyObject *fields = PyList_New(0);
	for (unsigned b = 0; fields && ptwalk_diff_field_name(b); b++) {
		PyObject *n;
		if (!(r->fields & (1u << b)))
			continue;
		if (!(n = PyUnicode_FromString(ptwalk_diff_field_name(b))) ||
		    PyList_Append(fields, n) < 0)
			Py_CLEAR(fields);
		Py_XDECREF(n);
	}
	PyObject *d = fields ? Py_BuildValue("{s:s,s:K,s:K,s:K,s:N,s:N,s:N,s:N,s:N}",
					     "change", r->change, "va", (unsigned long long)r->va,
					     "end", (unsigned long long)r->end,
					     "size", (unsigned long long)(r->end - r->va + 1),
					     "fields", fields, "pa_kept", tristate(r->pa_kept),
					     "flags_kept", tristate(r->flags_kept),
					     "a", diff_side(&r->a), "b", diff_side(&r->b))
			     : NULL;
	int rc = d && PyList_Append(arg, d) == 0 ? 0 : -1;
	Py_XDECREF(d);
	PyGILState_Release(g);
	return rc;
}

static PyObject *image_diff(ImageObject *img, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "other", "root", "other_root", "start", "end", "physical",
				  "ignore", "merge", "separate", NULL };
	PyObject *other, *root = Py_None, *other_root = Py_None, *start = Py_None, *end = Py_None;
	int physical = 0, merge = 0, separate = 0;
	const char *ignore = NULL;
	if (!PyArg_ParseTupleAndKeywords(args, kw, "O!|$OOOOpzpp", kwlist, &ImageType, &other,
					 &root, &other_root, &start, &end, &physical, &ignore,
					 &merge, &separate))
		return NULL;
	ImageObject *b = (ImageObject *)other;
	if (!image_usable(img) || !image_usable(b))
		return NULL;
	struct ptwalk_walk_options o[2];
	PyObject *roots[2] = { root, other_root };
	for (int i = 0; i < 2; i++) {
		memset(&o[i], 0, sizeof o[i]);
		o[i].size = sizeof o[i];
		if (roots[i] != Py_None) {
			o[i].have_root = 1;
			o[i].root = PyLong_AsUnsignedLongLong(roots[i]);
		}
		if (start != Py_None || end != Py_None) {
			o[i].start = start != Py_None ? PyLong_AsUnsignedLongLong(start) : 0;
			o[i].end = end != Py_None ? PyLong_AsUnsignedLongLong(end) : UINT64_MAX;
		}
		o[i].physical = physical;
	}
	if (PyErr_Occurred())
		return NULL;
	struct ptwalk_diff_options dopts = { .size = sizeof dopts, .ignore = ignore,
					     .merge = merge, .separate = separate };
	PyObject *list = PyList_New(0);
	if (!list)
		return NULL;
	struct ptwalk_error err;
	long long rc;
	/* Both handles are the comparison's until it ends. */
	img->walking++;
	b->walking++;
	Py_BEGIN_ALLOW_THREADS
	rc = ptwalk_diff(img->pw, &o[0], b->pw, &o[1], &dopts, add_record, list, &err);
	Py_END_ALLOW_THREADS
	img->walking--;
	b->walking--;
	if (rc < 0 || img->read_exc || b->read_exc) {
		Py_DECREF(list);
		if (PyErr_Occurred())
			return NULL;
		return image_error(img->read_exc ? img : b, &err);
	}
	return list;
}

static PyObject *image_root_from_register(ImageObject *img, PyObject *args)
{
	unsigned long long reg;
	uint64_t root;
	struct ptwalk_error err;
	if (!PyArg_ParseTuple(args, "K", &reg) || !image_usable(img))
		return NULL;
	if (ptwalk_root_from_register(img->pw, reg, &root, &err))
		return raise_error(&err);
	return PyLong_FromUnsignedLongLong(root);
}

/* ---- The types and the module ---------------------------------------- */

static PyMethodDef image_methods[] = {
	{ "walk", (PyCFunction)(void (*)(void))image_walk, METH_VARARGS | METH_KEYWORDS,
	  "walk(*, root=None, start=None, end=None, physical=False, expand_aliases=False)\n"
	  "An iterator of the logical entries (ptwalk.Entry) of the kernel's table, or of ROOT's,\n"
	  "in VA order; [START, END] bounds it. The walk runs in a thread of its own." },
	{ "count", (PyCFunction)(void (*)(void))image_count, METH_VARARGS | METH_KEYWORDS,
	  "count(*, root=None, start=None, end=None, physical=False, expand_aliases=False)\n"
	  "What `ptwalk check' and `stats' count, as a dict." },
	{ "translate", (PyCFunction)(void (*)(void))image_translate, METH_VARARGS | METH_KEYWORDS,
	  "translate(va, *, root=None)\n"
	  "VA through ROOT (or the kernel's root): pa, why, every step and the logical entry." },
	{ "tasks", (PyCFunction)(void (*)(void))image_tasks, METH_VARARGS | METH_KEYWORDS,
	  "tasks(*, vmlinux=None, btf=None, kallsyms=None)\n"
	  "The processes from init_task on, each a dict with its root." },
	{ "diff", (PyCFunction)(void (*)(void))image_diff, METH_VARARGS | METH_KEYWORDS,
	  "diff(other, *, root=None, other_root=None, start=None, end=None, physical=False,\n"
	  "     ignore=None, merge=False, separate=False)\n"
	  "Compare this image's walk (from ROOT, else the kernel's table) with OTHER's\n"
	  "(from OTHER_ROOT), as `ptwalk diff': a list of records, dicts with the keys of\n"
	  "diff -J's records (change, va, end, size, fields, pa_kept,\n"
	  "flags_kept, a, b), each side None or its entries, bytes, uniform, linear and\n"
	  "first entry. IGNORE: fields and flag names not compared, as --ignore. To compare\n"
	  "two roots of one image, open it twice." },
	{ "read", (PyCFunction)image_read, METH_VARARGS,
	  "read(pa, size)\nSIZE bytes of physical memory at PA." },
	{ "root_from_register", (PyCFunction)image_root_from_register, METH_VARARGS,
	  "root_from_register(value)\nThe top table a CR3 or TTBR0_EL1 value names." },
	{ "close", (PyCFunction)image_close, METH_NOARGS, "Close the image." },
	{ "__enter__", (PyCFunction)image_enter, METH_NOARGS, NULL },
	{ "__exit__", (PyCFunction)image_exit, METH_VARARGS, NULL },
	{ NULL, NULL, 0, NULL },
};

static PyGetSetDef image_getset[] = {
	{ "info", (getter)image_info, NULL, "The paging format and the image, as a dict.", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static PyTypeObject ImageType = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "ptwalk.Image",
	.tp_basicsize = sizeof(ImageObject),
	.tp_dealloc = (destructor)image_dealloc,
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_doc = "A memory image opened by ptwalk.open() or ptwalk.open_reader().",
	.tp_methods = image_methods,
	.tp_getset = image_getset,
};

static PyMethodDef walk_methods[] = {
	{ "close", (PyCFunction)walk_close, METH_NOARGS, "Stop the walk where it is." },
	{ NULL, NULL, 0, NULL },
};

static PyTypeObject WalkType = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "ptwalk.Walk",
	.tp_basicsize = sizeof(WalkObject),
	.tp_dealloc = (destructor)walk_dealloc,
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_doc = "A walk in progress: an iterator of ptwalk.Entry.",
	.tp_iter = PyObject_SelfIter,
	.tp_iternext = (iternextfunc)walk_next,
	.tp_methods = walk_methods,
};

static PyObject *names_of(const char *(*name)(unsigned))
{
	PyObject *list = PyList_New(0);
	for (unsigned b = 0; list && name(b); b++) {
		PyObject *s = PyUnicode_FromString(name(b));
		if (!s || PyList_Append(list, s) < 0) {
			Py_XDECREF(s);
			Py_CLEAR(list);
			break;
		}
		Py_DECREF(s);
	}
	return list;
}

static PyObject *mod_flag_names(PyObject *self, PyObject *unused)
{
	return names_of(ptwalk_flag_name);
}

static PyObject *mod_anomaly_names(PyObject *self, PyObject *unused)
{
	return names_of(ptwalk_anomaly_name);
}

static PyMethodDef module_methods[] = {
	{ "open", (PyCFunction)(void (*)(void))mod_open, METH_VARARGS | METH_KEYWORDS,
	  "open(path, *, arch=None, page_size=0, va_bits=0, levels=0, kernel_release=None,\n"
	  "     kernel_config=None, vmcoreinfo=None, vmcoreinfo_file=None, raw_base=None,\n"
	  "     page_offset=None, kernel_root=None, truncated=False, mmu=None, jobs=1)\n"
	  "Open an image file: a kdump vmcore (ELF or compressed), /proc/kcore, or raw memory\n"
	  "from RAW_BASE. The options are ptwalk(1)'s image options." },
	{ "open_reader", (PyCFunction)(void (*)(void))mod_open_reader, METH_VARARGS | METH_KEYWORDS,
	  "open_reader(read, *, name='reader', arch=None, page_size=0, va_bits=0, levels=0,\n"
	  "            kernel_release=None, kernel_config=None, vmcoreinfo=None,\n"
	  "            page_offset=None, kernel_root=None, big_endian=False, mmu=None)\n"
	  "Physical memory READ(pa, size) returns (bytes; fewer when absent), with the paging\n"
	  "from VMCOREINFO text or the explicit facts. For drgn:\n"
	  "read=lambda pa, n: prog.read(pa, n, True)." },
	{ "flag_names", mod_flag_names, METH_NOARGS, "The names of the flags, by bit." },
	{ "anomaly_names", mod_anomaly_names, METH_NOARGS, "The names of the anomalies, by bit." },
	{ NULL, NULL, 0, NULL },
};

static struct PyModuleDef module_def = {
	PyModuleDef_HEAD_INIT,
	"ptwalk",
	"Walk the page tables of Linux memory images (libptwalk).",
	-1,
	module_methods,
	NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_ptwalk(void);
PyMODINIT_FUNC PyInit_ptwalk(void)
{
	if (PyType_Ready(&ImageType) < 0 || PyType_Ready(&WalkType) < 0)
		return NULL;
	if (!EntryType.tp_name && PyStructSequence_InitType2(&EntryType, &entry_desc) < 0)
		return NULL;
	PyObject *m = PyModule_Create(&module_def);
	if (!m)
		return NULL;
	ErrorType = PyErr_NewExceptionWithDoc(
		"ptwalk.Error",
		"A libptwalk failure: str() is its one-line message, .code the status\n"
		"(2 usage, 3 image, 4 callback, 5 internal), as ptwalk(1)'s exit statuses.",
		NULL, NULL);
	if (!ErrorType || PyModule_AddObjectRef(m, "Error", ErrorType) < 0 ||
	    PyModule_AddObjectRef(m, "Image", (PyObject *)&ImageType) < 0 ||
	    PyModule_AddObjectRef(m, "Walk", (PyObject *)&WalkType) < 0 ||
	    PyModule_AddObjectRef(m, "Entry", (PyObject *)&EntryType) < 0 ||
	    PyModule_AddStringConstant(m, "__version__", ptwalk_version()) < 0) {
		Py_DECREF(m);
		return NULL;
	}
	return m;
}
