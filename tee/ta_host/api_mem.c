/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Internal Core API memory functions (GP 1.3.1 and the GP 1.1 twins): TEE_Malloc and
 * friends on the TA_DATA_SIZE arena, Mem{Move,Compare,Fill}, instance data, and
 * TEE_CheckMemoryAccessRights against what the TA can legitimately reach: its heap, its
 * stack, its own loaded image, and (only with TEE_MEMORY_ACCESS_ANY_OWNER) the memory it
 * shares with the client through the current operation's memrefs.
 */
#include <link.h>
#include <string.h>

#include <tee_internal_api_extensions.h>

#include "host.h"

void *TEE_Malloc(size_t size, uint32_t hint)
{
	/* FILL_ZERO (0) is the default; NO_FILL and NO_SHARE are hints we may ignore. */
	return heap_alloc(size ? size : 1,
			  !(hint & TEE_MALLOC_NO_FILL) && !(hint & TEE_USER_MEM_HINT_NO_FILL_ZERO));
}

void *TEE_Realloc(void *buffer, size_t newSize)
{
	return heap_realloc(buffer, newSize ? newSize : 1);
}

void TEE_Free(void *buffer)
{
	heap_free(buffer);
}

void TEE_MemMove(void *dest, const void *src, size_t size)
{
	memmove(dest, src, size);
}

int32_t TEE_MemCompare(const void *buffer1, const void *buffer2, size_t size)
{
	int r = memcmp(buffer1, buffer2, size);

	return r < 0 ? -1 : r > 0 ? 1 : 0;
}

void TEE_MemFill(void *buff, uint32_t x, size_t size)
{
	memset(buff, (int)(uint8_t)x, size);
}

void *__GP11_TEE_Malloc(uint32_t size, uint32_t hint)
{
	return TEE_Malloc(size, hint);
}

void *__GP11_TEE_Realloc(void *buffer, uint32_t newSize)
{
	return TEE_Realloc(buffer, newSize);
}

void *__GP11_TEE_MemMove(void *dest, const void *src, uint32_t size)
{
	return memmove(dest, src, size);
}

int32_t __GP11_TEE_MemCompare(const void *buffer1, const void *buffer2, uint32_t size)
{
	return TEE_MemCompare(buffer1, buffer2, size);
}

void *__GP11_TEE_MemFill(void *buff, uint32_t x, uint32_t size)
{
	return memset(buff, (int)(uint8_t)x, size);
}

void TEE_SetInstanceData(const void *instanceData)
{
	g_host.instance_data = instanceData;
}

const void *TEE_GetInstanceData(void)
{
	return g_host.instance_data;
}

static bool within(const void *p, size_t size, const void *lo, size_t len)
{
	uintptr_t a = (uintptr_t)p, l = (uintptr_t)lo, end;

	return lo && !__builtin_add_overflow(a, size, &end) && a >= l && end <= l + len;
}

bool host_in_shared_param(const void *p, size_t size)
{
	for (int i = 0; i < TEE_NUM_PARAMS; i++) {
		uint32_t t = TEE_PARAM_TYPE_GET(g_host.cur_types, i);

		if (t >= TEE_PARAM_TYPE_MEMREF_INPUT && t <= TEE_PARAM_TYPE_MEMREF_INOUT &&
		    within(p, size, g_host.cur_params[i].memref.buffer,
			   g_host.cur_params[i].memref.size)) {
			return true;
		}
	}
	return false;
}

static bool overlaps_shared(const void *p, size_t size)
{
	uintptr_t a = (uintptr_t)p, end = a + size;

	for (int i = 0; i < TEE_NUM_PARAMS; i++) {
		uint32_t t = TEE_PARAM_TYPE_GET(g_host.cur_types, i);
		uintptr_t lo = (uintptr_t)g_host.cur_params[i].memref.buffer;
		uintptr_t hi = lo + g_host.cur_params[i].memref.size;

		if (t >= TEE_PARAM_TYPE_MEMREF_INPUT && t <= TEE_PARAM_TYPE_MEMREF_INOUT && lo &&
		    a < hi && lo < end) {
			return true;
		}
	}
	return false;
}

struct seg_query {
	uintptr_t a, end;
	bool write;
	bool ok;
};

/* Is the range inside a loaded segment of the TA (not the host) with enough rights?
 * A writable PT_LOAD may hold PT_GNU_RELRO data, which the loader made read-only after
 * relocation: writes there are refused too. */
static int seg_cb(struct dl_phdr_info *info, size_t sz, void *data)
{
	struct seg_query *q = data;
	bool inside = false;

	(void)sz;
	if (!info->dlpi_name || strncmp(info->dlpi_name, "/proc/self/fd/", 14) != 0) {
		return 0;
	}
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type != PT_LOAD || q->a < lo || q->end > lo + ph->p_memsz) {
			continue;
		}
		if (q->write && !(ph->p_flags & PF_W)) {
			return 1; /* found, not writable */
		}
		inside = true;
		break;
	}
	if (!inside) {
		return 0;
	}
	for (int i = 0; q->write && i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type == PT_GNU_RELRO && q->a < lo + ph->p_memsz && lo < q->end) {
			return 1; /* found, read-only after relocation */
		}
	}
	q->ok = true;
	return 1;
}

TEE_Result TEE_CheckMemoryAccessRights(uint32_t accessFlags, void *buffer, size_t size)
{
	uintptr_t end;
	bool write = accessFlags & TEE_MEMORY_ACCESS_WRITE;

	if (accessFlags & ~(uint32_t)(TEE_MEMORY_ACCESS_READ | TEE_MEMORY_ACCESS_WRITE |
				      TEE_MEMORY_ACCESS_ANY_OWNER)) {
		return TEE_ERROR_ACCESS_DENIED;
	}
	if (size == 0) {
		return TEE_SUCCESS;
	}
	if (!buffer || __builtin_add_overflow((uintptr_t)buffer, size, &end)) {
		return TEE_ERROR_ACCESS_DENIED;
	}
	if (overlaps_shared(buffer, size)) {
		/* Shared with the client: only acceptable if the caller says any owner is ok. */
		if (!(accessFlags & TEE_MEMORY_ACCESS_ANY_OWNER) ||
		    !host_in_shared_param(buffer, size)) {
			return TEE_ERROR_ACCESS_DENIED;
		}
		return TEE_SUCCESS;
	}
	if (heap_contains(buffer, size) ||
	    within(buffer, size, g_host.stack_lo, (size_t)(g_host.stack_hi - g_host.stack_lo))) {
		return TEE_SUCCESS;
	}
	{
		struct seg_query q = { (uintptr_t)buffer, end, write, false };

		dl_iterate_phdr(seg_cb, &q);
		if (q.ok) {
			return TEE_SUCCESS;
		}
	}
	return TEE_ERROR_ACCESS_DENIED;
}

TEE_Result __GP11_TEE_CheckMemoryAccessRights(uint32_t accessFlags, void *buffer, uint32_t size)
{
	return TEE_CheckMemoryAccessRights(accessFlags, buffer, size);
}

/* Emulated TEE: memory is coherent; only check the TA may access the range. */
TEE_Result TEE_CacheClean(char *buf, size_t len)
{
	return TEE_CheckMemoryAccessRights(TEE_MEMORY_ACCESS_READ | TEE_MEMORY_ACCESS_ANY_OWNER,
					   buf, len);
}

TEE_Result TEE_CacheFlush(char *buf, size_t len)
{
	return TEE_CacheClean(buf, len);
}

TEE_Result TEE_CacheInvalidate(char *buf, size_t len)
{
	return TEE_CacheClean(buf, len);
}
