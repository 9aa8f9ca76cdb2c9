/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Internal Core API test TA (see coreapi_ta.h): runs numbered checks of the memory
 * functions and of TEE_CheckMemoryAccessRights from inside a TA, where they are used,
 * and reports how many ran. A failing check (tzm_test.h) writes its report to tee.log
 * and panics the TA: the host then sees TARGET_DEAD.
 */
#include <coreapi_ta.h>
#include <string.h>
#include <tee_internal_api.h>
#include <tzm_test.h>

static const char *const heap_names[] = { TA_COREAPI_HEAP_CHECKS };
static const char *const mem_names[] = { TA_COREAPI_MEM_CHECKS };
static const char *const access_names[] = { TA_COREAPI_ACCESS_CHECKS };

/* Checks of the running command started so far (each numbered check is one STEP). */
struct result {
	uint32_t started;
};

/* The next numbered check of list 'names': its name is the context of a failure. */
#define STEP(r, names)                                                                             \
	do {                                                                                       \
		ASSERT_LT_U64((r)->started, sizeof(names) / sizeof((names)[0]));                   \
		TEST_STEP("check %u: %s", (unsigned)(r)->started + 1, (names)[(r)->started]);      \
		(r)->started++;                                                                    \
	} while (0)

static const char rodata[64] = "read-only data of the TA";
/* An array of pointers needs relocation: it lands in .data.rel.ro (RELRO), read-only
 * after loading although its segment is writable in the ELF file. */
static const char *const relro[4] = { rodata, rodata + 1, rodata + 2, rodata + 3 };
static uint8_t writable[64];

static bool all(const uint8_t *p, size_t n, uint8_t v)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != v) {
			return false;
		}
	}
	return true;
}

static bool ascending(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != (uint8_t)i) {
			return false;
		}
	}
	return true;
}

static void heap_checks(struct result *r)
{
	uint8_t *a = NULL, *b = NULL, *c = NULL, *big = NULL;

	a = TEE_Malloc(64, TEE_MALLOC_FILL_ZERO);
	STEP(r, heap_names);
	ASSERT_NOT_NULL(a);
	ASSERT_TRUE(all(a, 64, 0));
	b = TEE_Malloc(64, TEE_MALLOC_NO_FILL);
	STEP(r, heap_names);
	ASSERT_NOT_NULL(b);
	for (int i = 0; i < 64; i++) {
		a[i] = (uint8_t)i;
	}
	c = TEE_Realloc(a, 4096);
	STEP(r, heap_names);
	ASSERT_NOT_NULL(c);
	ASSERT_TRUE(ascending(c, 64));
	a = c;
	c = TEE_Realloc(a, 16);
	STEP(r, heap_names);
	ASSERT_NOT_NULL(c);
	ASSERT_EQ_INT(c[0], 0);
	ASSERT_EQ_INT(c[15], 15);
	a = c;
	c = TEE_Realloc(NULL, 32);
	STEP(r, heap_names);
	ASSERT_NOT_NULL(c);
	TEE_Free(c);
	c = TEE_Realloc(a, 2 * TA_COREAPI_DATA_SIZE);
	STEP(r, heap_names);
	ASSERT_NULL(c);
	ASSERT_EQ_INT(a[0], 0);
	ASSERT_EQ_INT(a[15], 15);
	big = TEE_Malloc(2 * TA_COREAPI_DATA_SIZE, TEE_MALLOC_FILL_ZERO);
	STEP(r, heap_names);
	ASSERT_NULL(big);
	TEE_Free(NULL);
	STEP(r, heap_names); /* still running */
	TEE_Free(a);
	TEE_Free(b);
	a = b = NULL;
	big = TEE_Malloc(TA_COREAPI_DATA_SIZE / 2, TEE_MALLOC_FILL_ZERO);
	STEP(r, heap_names);
	ASSERT_NOT_NULL(big);
	ASSERT_TRUE(all(big, TA_COREAPI_DATA_SIZE / 2, 0));
	TEE_Free(big);
	TEE_Free(a);
	TEE_Free(b);
}

static void mem_checks(struct result *r)
{
	uint8_t buf[64], x[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, y[8] = { 1, 2, 3, 4, 5, 6, 7, 9 };

	memset(buf, 0x11, sizeof(buf));
	TEE_MemFill(buf + 8, 0x1a5, 16);
	STEP(r, mem_names);
	ASSERT_TRUE(all(buf, 8, 0x11));
	ASSERT_TRUE(all(buf + 8, 16, 0xa5));
	ASSERT_TRUE(all(buf + 24, 40, 0x11));
	for (int i = 0; i < 16; i++) {
		buf[i] = (uint8_t)i;
	}
	TEE_MemMove(buf + 4, buf, 12);
	STEP(r, mem_names);
	ASSERT_EQ_INT(buf[4], 0);
	ASSERT_EQ_INT(buf[15], 11);
	ASSERT_EQ_INT(buf[3], 3);
	for (int i = 0; i < 16; i++) {
		buf[i] = (uint8_t)i;
	}
	TEE_MemMove(buf, buf + 4, 12);
	STEP(r, mem_names);
	ASSERT_EQ_INT(buf[0], 4);
	ASSERT_EQ_INT(buf[11], 15);
	ASSERT_EQ_INT(buf[12], 12);
	STEP(r, mem_names);
	ASSERT_EQ_INT(TEE_MemCompare(x, x, sizeof(x)), 0);
	STEP(r, mem_names);
	ASSERT_LT_INT(TEE_MemCompare(x, y, sizeof(x)), 0);
	STEP(r, mem_names);
	ASSERT_GT_INT(TEE_MemCompare(y, x, sizeof(x)), 0);
}

static void access_checks(struct result *r, TEE_Param *mem)
{
	const uint32_t rw = TEE_MEMORY_ACCESS_READ | TEE_MEMORY_ACCESS_WRITE;
	const uint32_t rd = TEE_MEMORY_ACCESS_READ;
	uint8_t local[32];
	uint8_t *heap = TEE_Malloc(128, TEE_MALLOC_FILL_ZERO);
	uint8_t *client = mem->memref.buffer;
	size_t csize = mem->memref.size;

	memset(local, 0, sizeof(local));
	STEP(r, access_names);
	ASSERT_NOT_NULL(heap);
	ASSERT_TEE_RES(TEE_CheckMemoryAccessRights(rw, heap, 128), TEE_SUCCESS);
	STEP(r, access_names);
	ASSERT_TEE_RES(TEE_CheckMemoryAccessRights(rw, local, sizeof(local)), TEE_SUCCESS);
	STEP(r, access_names);
	ASSERT_TEE_RES(TEE_CheckMemoryAccessRights(rw, writable, sizeof(writable)), TEE_SUCCESS);
	STEP(r, access_names);
	ASSERT_TEE_RES(TEE_CheckMemoryAccessRights(rd, (void *)rodata, sizeof(rodata)),
		       TEE_SUCCESS);
	STEP(r, access_names);
	ASSERT_TEE_RES(TEE_CheckMemoryAccessRights(rw, (void *)rodata, sizeof(rodata)),
		       TEE_ERROR_ACCESS_DENIED);
	STEP(r, access_names);
	ASSERT_TEE_RES(TEE_CheckMemoryAccessRights(rw, (void *)relro, sizeof(relro)),
		       TEE_ERROR_ACCESS_DENIED);
	STEP(r, access_names);
	ASSERT_TEE_RES(TEE_CheckMemoryAccessRights(rd, (void *)(uintptr_t)&access_checks, 16),
		       TEE_SUCCESS);
	STEP(r, access_names);
	ASSERT_TEE_RES(TEE_CheckMemoryAccessRights(rd, NULL, 16), TEE_ERROR_ACCESS_DENIED);
	STEP(r, access_names);
	ASSERT_TEE_RES(TEE_CheckMemoryAccessRights(rd, heap, SIZE_MAX), TEE_ERROR_ACCESS_DENIED);
	STEP(r, access_names);
	ASSERT_TEE_RES(TEE_CheckMemoryAccessRights(rd, heap, 2 * TA_COREAPI_DATA_SIZE),
		       TEE_ERROR_ACCESS_DENIED);
	STEP(r, access_names);
	ASSERT_TEE_RES(TEE_CheckMemoryAccessRights(rd, (void *)(uintptr_t)&TEE_Malloc, 16),
		       TEE_ERROR_ACCESS_DENIED);
	STEP(r, access_names);
	ASSERT_GE_INT(csize, 64);
	ASSERT_TEE_RES(TEE_CheckMemoryAccessRights(rd, client, csize), TEE_ERROR_ACCESS_DENIED);
	STEP(r, access_names);
	ASSERT_TEE_RES(TEE_CheckMemoryAccessRights(rd | TEE_MEMORY_ACCESS_ANY_OWNER, client, csize),
		       TEE_SUCCESS);
	STEP(r, access_names);
	ASSERT_TEE_RES(
		TEE_CheckMemoryAccessRights(rd | TEE_MEMORY_ACCESS_ANY_OWNER, client + 1, csize),
		TEE_ERROR_ACCESS_DENIED);
	STEP(r, access_names);
	ASSERT_TEE_RES(TEE_CheckMemoryAccessRights(rd | 0x100, heap, 16), TEE_ERROR_ACCESS_DENIED);
	STEP(r, access_names);
	ASSERT_TEE_RES(TEE_CheckMemoryAccessRights(rd, NULL, 0), TEE_SUCCESS);
	TEE_Free(heap);
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd_id, uint32_t param_types,
				      TEE_Param params[TEE_NUM_PARAMS])
{
	const uint32_t vout = TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
					      TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);
	const uint32_t vmem =
		TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_MEMREF_INPUT,
				TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);
	struct result r = { 0 };

	(void)sess_ctx;
	switch (cmd_id) {
	case TA_COREAPI_CMD_HEAP:
		if (param_types != vout) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		heap_checks(&r);
		break;
	case TA_COREAPI_CMD_MEM:
		if (param_types != vout) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		mem_checks(&r);
		break;
	case TA_COREAPI_CMD_ACCESS:
		if (param_types != vmem) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		access_checks(&r, &params[1]);
		break;
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
	params[0].value.a = r.started;
	params[0].value.b = 0; /* a failed check panics instead */
	return TEE_SUCCESS;
}
