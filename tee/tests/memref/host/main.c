/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tee_memref: the same commands through every kind of memory reference — temporary,
 * registered (client malloc) whole and partial, allocated whole and partial — checking
 * input, output and in/out data, that nothing outside a partial range is touched, the
 * size write-back and TEEC_ERROR_SHORT_BUFFER with the required size; then two memrefs of
 * different kinds in one operation, NULL temporary memrefs (the "query the size" idiom),
 * a 1 MiB registered buffer, and the client-side parameter checks. Finally zero copy:
 * for allocated memory and page-aligned registered memory (whole and partial), a client
 * thread and the TA see each other's writes while the call is still running.
 */
#include <memref_ta.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <tee_test.h>

enum kind {
	K_TMP,
	K_REG_WHOLE,
	K_REG_PARTIAL,
	K_ALLOC_WHOLE,
	K_ALLOC_PARTIAL,
	K_COUNT
};

static const char *const kind_name[K_COUNT] = {
	"temporary memref",        "registered memory, whole",  "registered memory, partial",
	"allocated memory, whole", "allocated memory, partial",
};

#define SHM_SIZE 4096u
#define PART_OFF 100u
#define PART_SIZE 200u
#define GUARD 0xEEu

struct region {
	enum kind kind;
	TEEC_SharedMemory *shm; /* NULL for temporary memrefs */
	uint8_t *base;          /* whole client buffer */
	size_t base_size;
	size_t off;  /* region inside base */
	size_t size; /* region size */
};

enum dir {
	D_IN = 1,
	D_OUT = 2,
	D_INOUT = 3
};

static void set_param(TEEC_Operation *op, int i, const struct region *r, enum dir d,
		      uint32_t *types)
{
	uint32_t t = TEEC_NONE;

	switch (r->kind) {
	case K_TMP:
		t = TEEC_MEMREF_TEMP_INPUT + (uint32_t)d - 1;
		op->params[i].tmpref.buffer = r->base + r->off;
		op->params[i].tmpref.size = r->size;
		break;
	case K_REG_WHOLE:
	case K_ALLOC_WHOLE:
		/* Direction comes from the shared memory flags (INPUT | OUTPUT). */
		t = TEEC_MEMREF_WHOLE;
		op->params[i].memref.parent = r->shm;
		op->params[i].memref.offset = 0;
		op->params[i].memref.size = 0;
		break;
	default:
		t = TEEC_MEMREF_PARTIAL_INPUT + (uint32_t)d - 1;
		op->params[i].memref.parent = r->shm;
		op->params[i].memref.offset = r->off;
		op->params[i].memref.size = r->size;
		break;
	}
	*types |= t << (4 * i);
}

static size_t get_size(const TEEC_Operation *op, int i, const struct region *r)
{
	return r->kind == K_TMP ? op->params[i].tmpref.size : op->params[i].memref.size;
}

/* Fills the whole client buffer with GUARD, then the region with f(i). */
static void prepare(const struct region *r, uint8_t (*f)(size_t))
{
	memset(r->base, GUARD, r->base_size);
	for (size_t i = 0; i < r->size; i++) {
		r->base[r->off + i] = f(i);
	}
}

static uint8_t pat7(size_t i)
{
	return (uint8_t)(i * 7);
}

static uint8_t pat_id(size_t i)
{
	return (uint8_t)i;
}

static uint8_t pat_55(size_t i)
{
	(void)i;
	return 0x55;
}

static void check_outside(const struct region *r, const char *what)
{
	bool ok = true;

	for (size_t i = 0; i < r->base_size; i++) {
		if ((i < r->off || i >= r->off + r->size) && r->base[i] != GUARD) {
			ok = false;
		}
	}
	TEST_STEP("%s: bytes outside the referenced range are untouched", what);
	ASSERT_TRUE(ok);
}

static void run_kind(TEEC_Session *s, const struct region *r)
{
	const char *name = kind_name[r->kind];
	TEEC_Operation op;
	uint32_t origin = 0, sum = 0;
	TEEC_Result res;
	bool ok = true;
	size_t want = 0;

	tt_section("%s (%zu bytes at offset %zu)", name, r->size, r->off);

	/* input */
	prepare(r, pat7);
	for (size_t i = 0; i < r->size; i++) {
		sum += pat7(i);
	}
	memset(&op, 0, sizeof(op));
	set_param(&op, 0, r, D_IN, &op.paramTypes);
	op.paramTypes |= TEEC_VALUE_OUTPUT << 4;
	res = TEEC_InvokeCommand(s, TA_MEMREF_CMD_SUM, &op, &origin);
	TEST_STEP("input: CMD_SUM");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEST_STEP("input: TA saw %u bytes summing to %u (want %zu, %u)", op.params[1].value.b,
		  op.params[1].value.a, r->size, sum);
	ASSERT_EQ_INT(op.params[1].value.a, sum);
	ASSERT_EQ_INT(op.params[1].value.b, r->size);

	/* in/out */
	prepare(r, pat_id);
	memset(&op, 0, sizeof(op));
	set_param(&op, 0, r, D_INOUT, &op.paramTypes);
	op.paramTypes |= TEEC_VALUE_OUTPUT << 4;
	res = TEEC_InvokeCommand(s, TA_MEMREF_CMD_INC, &op, &origin);
	TEST_STEP("inout: CMD_INC");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	for (size_t i = 0; i < r->size; i++) {
		ok = ok && r->base[r->off + i] == (uint8_t)(i + 1);
	}
	TEST_STEP("inout: every byte of the range came back incremented");
	ASSERT_TRUE(ok);
	check_outside(r, "inout");

	/* output, fits: the size is written back */
	prepare(r, pat_55);
	want = r->size / 2;
	memset(&op, 0, sizeof(op));
	set_param(&op, 0, r, D_OUT, &op.paramTypes);
	op.paramTypes |= TEEC_VALUE_INPUT << 4;
	op.params[1].value.a = 0x30;
	op.params[1].value.b = (uint32_t)want;
	res = TEEC_InvokeCommand(s, TA_MEMREF_CMD_FILL, &op, &origin);
	TEST_STEP("output: CMD_FILL half the range");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	ASSERT_EQ_INT(get_size(&op, 0, r), want);
	TEST_STEP("output: size written back %zu (want %zu)", get_size(&op, 0, r), want);
	ok = true;
	for (size_t i = 0; i < r->size; i++) {
		uint8_t exp = i < want ? (uint8_t)(0x30 + i) : 0x55;
		ok = ok && r->base[r->off + i] == exp;
	}
	TEST_STEP("output: the TA's bytes arrived, the rest of the range is unchanged");
	ASSERT_TRUE(ok);
	check_outside(r, "output");

	/* output, too small: SHORT_BUFFER and the required size */
	memset(&op, 0, sizeof(op));
	set_param(&op, 0, r, D_OUT, &op.paramTypes);
	op.paramTypes |= TEEC_VALUE_INPUT << 4;
	op.params[1].value.b = (uint32_t)(r->size + 10);
	res = TEEC_InvokeCommand(s, TA_MEMREF_CMD_FILL, &op, &origin);
	TEST_STEP("output: CMD_FILL 10 bytes more than the range");
	ASSERT_TEEC_RES_ORIGIN(res, origin, TEEC_ERROR_SHORT_BUFFER, TEEC_ORIGIN_TRUSTED_APP);
	ASSERT_EQ_INT(get_size(&op, 0, r), r->size + 10);
	TEST_STEP("short buffer: required size %zu (want %zu)", get_size(&op, 0, r), r->size + 10);
}

static void alloc_shm(TEEC_Context *ctx, TEEC_SharedMemory *shm, size_t size, uint32_t flags)
{
	TEEC_Result res;

	memset(shm, 0, sizeof(*shm));
	shm->size = size;
	shm->flags = flags;
	res = TEEC_AllocateSharedMemory(ctx, shm);
	TEST_STEP("TEEC_AllocateSharedMemory");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEST_STEP("allocated shared memory is mapped in the client");
	ASSERT_NOT_NULL(shm->buffer);
}

static void register_shm(TEEC_Context *ctx, TEEC_SharedMemory *shm, void *buf, size_t size,
			 uint32_t flags)
{
	TEEC_Result res;

	memset(shm, 0, sizeof(*shm));
	shm->buffer = buf;
	shm->size = size;
	shm->flags = flags;
	res = TEEC_RegisterSharedMemory(ctx, shm);
	TEST_STEP("TEEC_RegisterSharedMemory");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
}

/* ---- zero copy ---- */

struct watcher {
	uint8_t *bytes; /* the client's view of the memref's first two bytes */
	bool saw_ta;    /* the TA's write arrived during the call */
};

static void *watcher_main(void *arg)
{
	struct watcher *w = arg;
	uint64_t deadline = tt_now_ms() + 10000;
	struct timespec pause = { 0, 1000 * 1000 };

	while (tt_now_ms() < deadline) {
		if (__atomic_load_n(&w->bytes[1], __ATOMIC_ACQUIRE) == TA_MEMREF_WATCHING) {
			w->saw_ta = true;
			__atomic_store_n(&w->bytes[0], 1, __ATOMIC_RELEASE);
			break;
		}
		nanosleep(&pause, NULL);
	}
	return NULL;
}

static void zero_copy(TEEC_Session *s, TEEC_SharedMemory *shm, uint32_t type, size_t off,
		      const char *what)
{
	struct watcher w = { (uint8_t *)shm->buffer + off, false };
	TEEC_Operation op;
	uint32_t origin = 0;
	TEEC_Result res;
	pthread_t th;

	memset(w.bytes, 0, 2);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(type, TEEC_VALUE_INOUT, TEEC_NONE, TEEC_NONE);
	op.params[0].memref.parent = shm;
	op.params[0].memref.offset = off;
	op.params[0].memref.size = 64;
	op.params[1].value.a = 10000;
	TEST_STEP("start the client-side watcher");
	ASSERT_EQ_INT(pthread_create(&th, NULL, watcher_main, &w), 0);
	res = TEEC_InvokeCommand(s, TA_MEMREF_CMD_WATCH, &op, &origin);
	pthread_join(th, NULL);
	TEST_STEP("%s", what);
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEST_STEP("%s: the TA's write reached the client during the call", what);
	ASSERT_TRUE(w.saw_ta);
	TEST_STEP("%s: the client's write reached the TA during the call (after %u ms)", what,
		  op.params[1].value.b);
	ASSERT_EQ_INT(op.params[1].value.a, 1);
}

static void zero_copy_all(TEEC_Context *ctx, TEEC_Session *s)
{
	TEEC_SharedMemory alloc, reg;
	void *aligned = NULL;

	tt_section("zero copy: allocated and page-aligned registered memory");
	alloc_shm(ctx, &alloc, 2 * SHM_SIZE, TEEC_MEM_INPUT | TEEC_MEM_OUTPUT);
	zero_copy(s, &alloc, TEEC_MEMREF_WHOLE, 0, "allocated memory, whole");
	zero_copy(s, &alloc, TEEC_MEMREF_PARTIAL_INOUT, SHM_SIZE + 8, "allocated memory, partial");
	TEEC_ReleaseSharedMemory(&alloc);
	TEST_STEP("page-aligned buffer");
	ASSERT_EQ_INT(posix_memalign(&aligned, 4096, 2 * 4096), 0);
	memset(aligned, 0, 2 * 4096);
	register_shm(ctx, &reg, aligned, 2 * 4096, TEEC_MEM_INPUT | TEEC_MEM_OUTPUT);
	zero_copy(s, &reg, TEEC_MEMREF_WHOLE, 0, "page-aligned registered memory, whole");
	zero_copy(s, &reg, TEEC_MEMREF_PARTIAL_INOUT, 4096 + 8,
		  "page-aligned registered memory, partial");
	memset(aligned, 0x5a, 16);
	TEEC_ReleaseSharedMemory(&reg);
	TEST_STEP("after release the buffer still holds what was written last");
	ASSERT_EQ_INT(((uint8_t *)aligned)[15], 0x5a);
	ASSERT_EQ_INT(((uint8_t *)aligned)[16], 0);
	free(aligned);
}

int main(void)
{
	TEEC_Context ctx;
	TEEC_Session s;
	TEEC_SharedMemory reg, alloc, in_only, big;
	TEEC_Operation op;
	uint8_t *tmp_buf = malloc(SHM_SIZE);
	uint8_t *reg_buf = malloc(SHM_SIZE);
	uint8_t *big_buf = malloc(1u << 20);
	uint8_t small[64];
	uint32_t origin = 0;
	TEEC_Result res;
	bool ok = true;

	TEST_STEP("test buffers allocated");
	ASSERT_NOT_NULL(tmp_buf);
	ASSERT_NOT_NULL(reg_buf);
	ASSERT_NOT_NULL(big_buf);
	tt_init_context(&ctx);
	tt_open_session(&ctx, &s, TA_MEMREF_UUID_STR);
	register_shm(&ctx, &reg, reg_buf, SHM_SIZE, TEEC_MEM_INPUT | TEEC_MEM_OUTPUT);
	alloc_shm(&ctx, &alloc, SHM_SIZE, TEEC_MEM_INPUT | TEEC_MEM_OUTPUT);

	const struct region regions[K_COUNT] = {
		{ K_TMP, NULL, tmp_buf, SHM_SIZE, PART_OFF, PART_SIZE },
		{ K_REG_WHOLE, &reg, reg_buf, SHM_SIZE, 0, SHM_SIZE },
		{ K_REG_PARTIAL, &reg, reg_buf, SHM_SIZE, PART_OFF, PART_SIZE },
		{ K_ALLOC_WHOLE, &alloc, alloc.buffer, SHM_SIZE, 0, SHM_SIZE },
		{ K_ALLOC_PARTIAL, &alloc, alloc.buffer, SHM_SIZE, PART_OFF, PART_SIZE },
	};
	for (int k = 0; k < K_COUNT; k++) {
		run_kind(&s, &regions[k]);
	}
	/* Empty ranges are valid GP parameters (a non-NULL buffer of size 0); an empty
	 * temporary memref alone once left libteec without a staging area. */
	const struct region empty[2] = {
		{ K_TMP, NULL, tmp_buf, SHM_SIZE, PART_OFF, 0 },
		{ K_REG_PARTIAL, &reg, reg_buf, SHM_SIZE, PART_OFF, 0 },
	};
	for (int k = 0; k < 2; k++) {
		run_kind(&s, &empty[k]);
	}

	tt_section("two memrefs of different kinds in one operation");
	for (size_t i = 0; i < 100; i++) {
		tmp_buf[i] = (uint8_t)(0xA0 ^ i);
	}
	memset(reg_buf, 0, SHM_SIZE);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_PARTIAL_OUTPUT,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = tmp_buf;
	op.params[0].tmpref.size = 100;
	op.params[1].memref.parent = &reg;
	op.params[1].memref.offset = 1000;
	op.params[1].memref.size = 300;
	res = TEEC_InvokeCommand(&s, TA_MEMREF_CMD_COPY, &op, &origin);
	TEST_STEP("CMD_COPY temporary (100 bytes) -> registered partial (300 bytes)");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEST_STEP("100 bytes copied into the registered buffer at offset 1000, size written back");
	ASSERT_EQ_INT(op.params[1].memref.size, 100);
	ASSERT_EQ_MEM(reg_buf + 1000, tmp_buf, 100);

	memset(alloc.buffer, 0x3C, SHM_SIZE);
	memset(&op, 0, sizeof(op));
	op.paramTypes =
		TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].memref.parent = &alloc;
	op.params[1].tmpref.buffer = small;
	op.params[1].tmpref.size = sizeof(small);
	res = TEEC_InvokeCommand(&s, TA_MEMREF_CMD_COPY, &op, &origin);
	TEST_STEP("CMD_COPY allocated whole (4096) -> 64-byte temporary memref");
	ASSERT_TEEC_RES_ORIGIN(res, origin, TEEC_ERROR_SHORT_BUFFER, TEEC_ORIGIN_TRUSTED_APP);
	TEST_STEP("required size %zu written back (want %u)", op.params[1].tmpref.size, SHM_SIZE);
	ASSERT_EQ_INT(op.params[1].tmpref.size, SHM_SIZE);
	op.params[1].tmpref.buffer = tmp_buf;
	op.params[1].tmpref.size = SHM_SIZE;
	res = TEEC_InvokeCommand(&s, TA_MEMREF_CMD_COPY, &op, &origin);
	TEST_STEP("CMD_COPY retried with 4096 bytes");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEST_STEP("allocated memory copied out");
	ASSERT_EQ_MEM(tmp_buf, alloc.buffer, SHM_SIZE);

	tt_section("NULL temporary memrefs");
	memset(&op, 0, sizeof(op));
	op.paramTypes =
		TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE);
	res = TEEC_InvokeCommand(&s, TA_MEMREF_CMD_PEEK, &op, &origin);
	TEST_STEP("CMD_PEEK with buffer NULL, size 0");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEST_STEP("the TA sees a NULL buffer of size 0");
	ASSERT_EQ_INT(op.params[1].value.a, 1);
	ASSERT_EQ_INT(op.params[1].value.b, 0);
	memset(&op, 0, sizeof(op));
	op.paramTypes =
		TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_OUTPUT, TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE);
	op.params[1].value.b = 48;
	res = TEEC_InvokeCommand(&s, TA_MEMREF_CMD_FILL, &op, &origin);
	TEST_STEP("size query: CMD_FILL into a NULL output memref");
	ASSERT_TEEC_RES_ORIGIN(res, origin, TEEC_ERROR_SHORT_BUFFER, TEEC_ORIGIN_TRUSTED_APP);
	TEST_STEP("required size %zu (want 48)", op.params[0].tmpref.size);
	ASSERT_EQ_INT(op.params[0].tmpref.size, 48);

	tt_section("1 MiB registered buffer");
	for (size_t i = 0; i < (1u << 20); i++) {
		big_buf[i] = (uint8_t)(i >> 3);
	}
	register_shm(&ctx, &big, big_buf, 1u << 20, TEEC_MEM_INPUT | TEEC_MEM_OUTPUT);
	memset(&op, 0, sizeof(op));
	op.paramTypes =
		TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].memref.parent = &big;
	res = TEEC_InvokeCommand(&s, TA_MEMREF_CMD_INC, &op, &origin);
	TEST_STEP("CMD_INC over 1 MiB");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	for (size_t i = 0; i < (1u << 20); i++) {
		ok = ok && big_buf[i] == (uint8_t)((i >> 3) + 1);
	}
	TEST_STEP("all 1048576 bytes incremented in the client's own buffer");
	ASSERT_TRUE(ok);
	ASSERT_EQ_INT(op.params[1].value.b, (1u << 20));
	TEEC_ReleaseSharedMemory(&big);

	tt_section("client-side parameter checks");
	register_shm(&ctx, &in_only, reg_buf, SHM_SIZE, TEEC_MEM_INPUT);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_OUTPUT, TEEC_VALUE_INPUT, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].memref.parent = &in_only;
	op.params[0].memref.size = 16;
	res = TEEC_InvokeCommand(&s, TA_MEMREF_CMD_FILL, &op, &origin);
	TEST_STEP("PARTIAL_OUTPUT on memory registered as input only");
	ASSERT_TEEC_RES_ORIGIN(res, origin, TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_API);
	memset(&op, 0, sizeof(op));
	op.paramTypes =
		TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].memref.parent = &in_only;
	res = TEEC_InvokeCommand(&s, TA_MEMREF_CMD_INC, &op, &origin);
	TEST_STEP("WHOLE input-only memory arrives as MEMREF_INPUT (TA refuses to write)");
	ASSERT_TEEC_RES_ORIGIN(res, origin, TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TRUSTED_APP);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT, TEEC_VALUE_OUTPUT, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].memref.parent = &reg;
	op.params[0].memref.offset = SHM_SIZE - 8;
	op.params[0].memref.size = 16;
	res = TEEC_InvokeCommand(&s, TA_MEMREF_CMD_SUM, &op, &origin);
	TEST_STEP("partial memref reaching past the end of the shared memory");
	ASSERT_TEEC_RES_ORIGIN(res, origin, TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_API);
	op.params[0].memref.parent = NULL;
	op.params[0].memref.offset = 0;
	res = TEEC_InvokeCommand(&s, TA_MEMREF_CMD_SUM, &op, &origin);
	TEST_STEP("partial memref with a NULL parent");
	ASSERT_TEEC_RES_ORIGIN(res, origin, TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_API);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(0x4, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	res = TEEC_InvokeCommand(&s, TA_MEMREF_CMD_PEEK, &op, &origin);
	TEST_STEP("undefined parameter type 0x4");
	ASSERT_TEEC_RES_ORIGIN(res, origin, TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_API);

	TEEC_ReleaseSharedMemory(&in_only);
	TEEC_ReleaseSharedMemory(&reg);
	TEEC_ReleaseSharedMemory(&alloc);
	zero_copy_all(&ctx, &s);
	TEEC_CloseSession(&s);
	TEEC_FinalizeContext(&ctx);
	free(tmp_buf);
	free(reg_buf);
	free(big_buf);
	printf("tee_memref: all checks passed\n");
	return 0;
}
