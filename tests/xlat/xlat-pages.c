/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <string.h>

#include "xlat-pages.h"

static void put_page(const addrxlat_buffer_t *buf)
{
	struct xlat_page_slot *s = buf->priv;
	s->pins--;
}

static addrxlat_status get_page(const addrxlat_cb_t *cb, addrxlat_buffer_t *buf)
{
	struct xlat_pages *p = cb->priv;
	uint64_t pa = buf->addr.addr & ~(uint64_t)(p->page_size - 1);
	struct xlat_page_slot *s = NULL, *victim = NULL;
	for (int i = 0; i < XLAT_PAGE_SLOTS; i++) {
		struct xlat_page_slot *t = &p->slots[i];
		if (t->used && t->pa == pa) {
			s = t;
			break;
		}
		if (!t->pins && (!victim || !t->used || (victim->used && t->stamp < victim->stamp)))
			victim = t;
	}
	if (!s) {
		if (!victim || image_read(p->img, pa, victim->data, p->page_size) != READ_OK)
			return ADDRXLAT_ERR_NODATA;
		s = victim;
		s->pa = pa;
		s->used = true;
	}
	s->stamp = ++p->clock;
	s->pins++;
	buf->addr.addr = pa;
	buf->ptr = s->data;
	buf->size = p->page_size;
	buf->byte_order = ADDRXLAT_LITTLE_ENDIAN;
	buf->put_page = put_page;
	buf->priv = s;
	return ADDRXLAT_OK;
}

static unsigned long read_caps(const addrxlat_cb_t *cb)
{
	(void)cb;
	return ADDRXLAT_CAPS(ADDRXLAT_MACHPHYSADDR) | ADDRXLAT_CAPS(ADDRXLAT_KPHYSADDR);
}

bool xlat_pages_attach(addrxlat_cb_t *cb, struct xlat_pages *pages, struct image *img,
		       unsigned page_size)
{
	if (page_size < 4096 || page_size > XLAT_PAGE_MAX || (page_size & (page_size - 1)))
		return false;
	memset(pages, 0, sizeof *pages);
	pages->img = img;
	pages->page_size = page_size;
	cb->priv = pages;
	cb->get_page = get_page;
	cb->read_caps = read_caps;
	return true;
}
