/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The TA heap behind TEE_Malloc: a private arena of exactly TA_DATA_SIZE bytes, mapped
 * before lockdown, managed by an address-ordered first-fit free list with coalescing.
 * Every block has a 16-byte header {size, magic}; sizes include the header and are
 * multiples of 16. Freeing something that is not a live block panics the TA (GP treats it
 * as a programming error), so heap corruption cannot go unnoticed.
 */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "host.h"

#define ALIGN 16u
#define MAGIC_USED 0x55534544u
#define MAGIC_FREE 0x46524545u

struct blk {
	uint64_t size; /* bytes including this header */
	uint32_t magic;
	uint32_t pad;
	/* free blocks: next free block (address order) lives in the payload */
};

static uint8_t *arena;
static size_t arena_size;
static struct blk *free_head;

static struct blk **next_of(struct blk *b)
{
	return (struct blk **)(void *)(b + 1);
}

int heap_init(size_t size)
{
	size &= ~(size_t)(ALIGN - 1);
	if (size < 2 * ALIGN) {
		return -22;
	}
	arena = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (arena == MAP_FAILED) {
		arena = NULL;
		return -12;
	}
	arena_size = size;
	free_head = (struct blk *)(void *)arena;
	free_head->size = size;
	free_head->magic = MAGIC_FREE;
	*next_of(free_head) = NULL;
	return 0;
}

bool heap_contains(const void *p, size_t size)
{
	uintptr_t a = (uintptr_t)p, lo = (uintptr_t)arena, end;

	return arena && !__builtin_add_overflow(a, size, &end) && a >= lo && end <= lo + arena_size;
}

void *heap_alloc(size_t size, bool zero)
{
	size_t need;
	struct blk **pp;

	if (!arena || size > arena_size) {
		return NULL;
	}
	need = (size + sizeof(struct blk) + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (need < 2 * ALIGN) {
		need = 2 * ALIGN; /* room for the free-list link once freed */
	}
	for (pp = &free_head; *pp; pp = next_of(*pp)) {
		struct blk *b = *pp;

		if (b->size < need) {
			continue;
		}
		if (b->size - need >= 2 * ALIGN) {
			struct blk *rest = (struct blk *)(void *)((uint8_t *)b + need);

			rest->size = b->size - need;
			rest->magic = MAGIC_FREE;
			*next_of(rest) = *next_of(b);
			*pp = rest;
			b->size = need;
		} else {
			*pp = *next_of(b);
		}
		b->magic = MAGIC_USED;
		if (zero) {
			memset(b + 1, 0, b->size - sizeof(*b));
		}
		return b + 1;
	}
	return NULL;
}

static struct blk *block_of(void *p)
{
	struct blk *b = (struct blk *)p - 1;

	if (!heap_contains(b, sizeof(*b)) || ((uintptr_t)p % ALIGN) != 0 ||
	    b->magic != MAGIC_USED || b->size < 2 * ALIGN || !heap_contains(b, (size_t)b->size)) {
		host_panic(TEE_ERROR_BAD_PARAMETERS, "TEE_Free/TEE_Realloc of an invalid pointer");
	}
	return b;
}

void heap_free(void *p)
{
	struct blk *b, **pp, *prev = NULL;

	if (!p) {
		return;
	}
	b = block_of(p);
	b->magic = MAGIC_FREE;
	for (pp = &free_head; *pp && *pp < b; pp = next_of(*pp)) {
		prev = *pp;
	}
	*next_of(b) = *pp;
	*pp = b;
	/* merge with the following block, then with the preceding one */
	if (*next_of(b) && (uint8_t *)b + b->size == (uint8_t *)*next_of(b)) {
		struct blk *n = *next_of(b);
		b->size += n->size;
		*next_of(b) = *next_of(n);
	}
	if (prev && (uint8_t *)prev + prev->size == (uint8_t *)b) {
		prev->size += b->size;
		*next_of(prev) = *next_of(b);
	}
}

void *heap_realloc(void *p, size_t size)
{
	struct blk *b;
	size_t have;
	void *n;

	if (!p) {
		return heap_alloc(size, false);
	}
	b = block_of(p);
	have = (size_t)b->size - sizeof(*b);
	if (size <= have) {
		return p;
	}
	n = heap_alloc(size, false);
	if (!n) {
		return NULL; /* GP: the original block is left untouched */
	}
	memcpy(n, p, have);
	heap_free(p);
	return n;
}
