/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * OP-TEE libutils' <memtag.h> as a TA sees it when memory tagging (Arm MTE) is off, which
 * it always is here: addresses carry no tag, tags read as 0, setting one does nothing.
 */
#ifndef TZM_MEMTAG_H
#define TZM_MEMTAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

static inline bool memtag_is_enabled(void)
{
	return false;
}

static inline uint8_t memtag_get_tag(const void *addr)
{
	(void)addr;
	return 0;
}

static inline uint8_t memtag_read_tag(const void *addr)
{
	(void)addr;
	return 0;
}

static inline void *memtag_insert_tag(void *addr, uint8_t tag)
{
	(void)tag;
	return addr;
}

static inline void *memtag_strip_tag(void *addr)
{
	return addr;
}

static inline const void *memtag_strip_tag_const(const void *addr)
{
	return addr;
}

static inline void *memtag_set_tags(void *addr, size_t size, uint8_t tag)
{
	(void)size;
	(void)tag;
	return addr;
}

static inline void *memtag_set_random_tags(void *addr, size_t size)
{
	(void)size;
	return addr;
}

#endif
