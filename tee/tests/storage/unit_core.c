/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Core-side secure storage, driven through core__storage_dispatch(g_sut, ) with fake TA
 * identities: object life cycle, GP data semantics (seek/overflow/gaps/truncate), sharing
 * rules across handles and instances, enumeration, large staged writes, and a table of
 * malformed requests that a hostile TA host could send.
 */
#include <string.h>
#include <tee_api_defines.h>

#include "sut.h"

#define RW (TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_ACCESS_WRITE)
#define ALL (RW | TEE_DATA_FLAG_ACCESS_WRITE_META)

static void test_lifecycle(void)
{
	struct core_ta_identity ta = sut_ta(1, 100);
	struct tsm_obj_rsp o;
	uint32_t h = 0;
	uint32_t h2 = 0;
	uint32_t n = 0;
	uint64_t pos = 0;
	char buf[128];

	ASSERT_TEE_RES(sut_open(&ta, "life", TEE_DATA_FLAG_ACCESS_READ, &h),
		       TEE_ERROR_ITEM_NOT_FOUND);
	ASSERT_TEE_RES(sut_create(&ta, "life", ALL, "hello world", 11, &h), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_read(&ta, h, buf, sizeof(buf), &n), TEE_SUCCESS);
	ASSERT_EQ_INT(n, 11);
	ASSERT_EQ_MEM(buf, "hello world", 11);
	ASSERT_TEE_RES(sut_read(&ta, h, buf, sizeof(buf), &n), TEE_SUCCESS);
	ASSERT_EQ_INT(n, 0); /* at the end */

	ASSERT_TEE_RES(sut_seek(&ta, h, 6, TEE_DATA_SEEK_SET, &pos), TEE_SUCCESS);
	ASSERT_EQ_INT(pos, 6);
	ASSERT_TEE_RES(sut_write(&ta, h, "there", 5), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_seek(&ta, h, -11, TEE_DATA_SEEK_CUR, &pos), TEE_SUCCESS);
	ASSERT_EQ_INT(pos, 0);
	ASSERT_TEE_RES(sut_read(&ta, h, buf, 5, &n), TEE_SUCCESS);
	ASSERT_EQ_INT(n, 5);
	ASSERT_EQ_MEM(buf, "hello", 5);

	/* A write past the end leaves a zero-filled gap. */
	ASSERT_TEE_RES(sut_seek(&ta, h, 4, TEE_DATA_SEEK_END, &pos), TEE_SUCCESS);
	ASSERT_EQ_INT(pos, 15);
	ASSERT_TEE_RES(sut_write(&ta, h, "!", 1), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_info(&ta, h, &o), TEE_SUCCESS);
	ASSERT_EQ_INT(o.data_size, 16);
	ASSERT_EQ_INT(o.position, 16);
	ASSERT_EQ_INT(o.object_type, TEE_TYPE_DATA);
	ASSERT_EQ_INT(o.handle_flags,
		      (TEE_HANDLE_FLAG_PERSISTENT | TEE_HANDLE_FLAG_INITIALIZED | ALL));
	ASSERT_TEE_RES(sut_seek(&ta, h, 0, TEE_DATA_SEEK_SET, NULL), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_read(&ta, h, buf, sizeof(buf), &n), TEE_SUCCESS);
	ASSERT_EQ_INT(n, 16);
	ASSERT_EQ_MEM(buf, "hello there\0\0\0\0!", 16);

	/* Truncate shrinks and grows (zeros); the position is unchanged. */
	ASSERT_TEE_RES(sut_truncate(&ta, h, 5), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_info(&ta, h, &o), TEE_SUCCESS);
	ASSERT_EQ_INT(o.data_size, 5);
	ASSERT_EQ_INT(o.position, 16);
	ASSERT_TEE_RES(sut_truncate(&ta, h, 8), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_seek(&ta, h, 0, TEE_DATA_SEEK_SET, NULL), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_read(&ta, h, buf, sizeof(buf), &n), TEE_SUCCESS);
	ASSERT_EQ_INT(n, 8);
	ASSERT_EQ_MEM(buf, "hello\0\0\0", 8);

	/* Survives close + core restart. */
	ASSERT_TEE_RES(sut_close(&ta, h), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_close(&ta, h), TEE_ERROR_BAD_PARAMETERS); /* stale handle */
	sut_restart();
	ASSERT_TEE_RES(sut_open(&ta, "life", ALL, &h), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_read(&ta, h, buf, sizeof(buf), &n), TEE_SUCCESS);
	ASSERT_EQ_INT(n, 8);
	ASSERT_EQ_MEM(buf, "hello\0\0\0", 8);

	/* Rename: to an existing id conflicts, to itself too; otherwise moves the data. */
	ASSERT_TEE_RES(sut_create(&ta, "other", ALL, "x", 1, &h2), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_close(&ta, h2), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_rename(&ta, h, "other"), TEE_ERROR_ACCESS_CONFLICT);
	ASSERT_TEE_RES(sut_rename(&ta, h, "life"), TEE_ERROR_ACCESS_CONFLICT);
	ASSERT_TEE_RES(sut_rename(&ta, h, "renamed"), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_close(&ta, h), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_open(&ta, "life", TEE_DATA_FLAG_ACCESS_READ, &h),
		       TEE_ERROR_ITEM_NOT_FOUND);
	ASSERT_TEE_RES(sut_open(&ta, "renamed", ALL, &h), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_read(&ta, h, buf, sizeof(buf), &n), TEE_SUCCESS);
	ASSERT_EQ_INT(n, 8);
	ASSERT_EQ_MEM(buf, "hello", 5);

	/* Delete closes the handle and removes the object. */
	ASSERT_TEE_RES(sut_delete(&ta, h), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_info(&ta, h, &o), TEE_ERROR_BAD_PARAMETERS);
	ASSERT_TEE_RES(sut_open(&ta, "renamed", TEE_DATA_FLAG_ACCESS_READ, &h),
		       TEE_ERROR_ITEM_NOT_FOUND);

	/* Create: exists without OVERWRITE conflicts, with OVERWRITE replaces. */
	ASSERT_TEE_RES(sut_create(&ta, "other", ALL, "y", 1, &h), TEE_ERROR_ACCESS_CONFLICT);
	ASSERT_TEE_RES(sut_create(&ta, "other", ALL | TEE_DATA_FLAG_OVERWRITE, "yz", 2, &h),
		       TEE_SUCCESS);
	ASSERT_TEE_RES(sut_create(&ta, "other", ALL | TEE_DATA_FLAG_OVERWRITE, "q", 1, &h2),
		       TEE_ERROR_ACCESS_CONFLICT); /* open objects cannot be overwritten */
	ASSERT_TEE_RES(sut_read(&ta, h, buf, sizeof(buf), &n), TEE_SUCCESS);
	ASSERT_EQ_INT(n, 2);
	ASSERT_EQ_MEM(buf, "yz", 2);
	ASSERT_TEE_RES(sut_delete(&ta, h), TEE_SUCCESS);

	/* Empty and 64-byte binary ids are fine. */
	ASSERT_TEE_RES(sut_create(&ta, "", ALL, NULL, 0, &h), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_delete(&ta, h), TEE_SUCCESS);
	memset(buf, 0, sizeof(buf));
	memset(buf, '/', 64);
	ASSERT_TEE_RES(sut_create(&ta, buf, ALL, "z", 1, &h), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_delete(&ta, h), TEE_SUCCESS);
	core__storage_instance_gone(g_sut, 100);
}

static void test_access_rules(void)
{
	struct core_ta_identity a = sut_ta(2, 200);
	struct core_ta_identity b = sut_ta(2, 201); /* same TA, other instance */
	struct core_ta_identity other = sut_ta(3, 300);
	uint32_t h = 0;
	uint32_t h2 = 0;
	uint32_t n = 0;
	char buf[16];

	ASSERT_TEE_RES(sut_create(&a, "acc", TEE_DATA_FLAG_ACCESS_READ, "abc", 3, &h), TEE_SUCCESS);
	/* Access flags gate operations (the TA side turns these into panics). */
	ASSERT_TEE_RES(sut_write(&a, h, "x", 1), TEE_ERROR_ACCESS_CONFLICT);
	ASSERT_TEE_RES(sut_truncate(&a, h, 0), TEE_ERROR_ACCESS_CONFLICT);
	ASSERT_TEE_RES(sut_rename(&a, h, "acc2"), TEE_ERROR_ACCESS_CONFLICT);
	ASSERT_TEE_RES(sut_delete(&a, h), TEE_ERROR_ACCESS_CONFLICT);
	/* No SHARE_READ on the open handle: nobody else may read, in any instance. */
	ASSERT_TEE_RES(
		sut_open(&b, "acc", TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_SHARE_READ, &h2),
		TEE_ERROR_ACCESS_CONFLICT);
	ASSERT_TEE_RES(
		sut_open(&a, "acc", TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_SHARE_READ, &h2),
		TEE_ERROR_ACCESS_CONFLICT);
	/* Handles are scoped to their instance: b cannot use a's handle. */
	ASSERT_TEE_RES(sut_read(&b, h, buf, sizeof(buf), &n), TEE_ERROR_BAD_PARAMETERS);
	/* Another TA does not see the object at all. */
	ASSERT_TEE_RES(sut_open(&other, "acc", TEE_DATA_FLAG_ACCESS_READ, &h2),
		       TEE_ERROR_ITEM_NOT_FOUND);
	ASSERT_TEE_RES(sut_close(&a, h), TEE_SUCCESS);

	/* Shared readers, plus a writer only when every handle shares write. */
	uint32_t sr = TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_SHARE_READ;
	uint32_t h3 = 0;

	ASSERT_TEE_RES(sut_open(&a, "acc", sr, &h), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_open(&b, "acc", sr, &h2), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_open(&b, "acc",
				TEE_DATA_FLAG_ACCESS_WRITE | TEE_DATA_FLAG_SHARE_READ |
					TEE_DATA_FLAG_SHARE_WRITE,
				&h3),
		       TEE_ERROR_ACCESS_CONFLICT);
	ASSERT_TEE_RES(sut_open(&b, "acc", sr | TEE_DATA_FLAG_ACCESS_WRITE_META, &h3),
		       TEE_ERROR_ACCESS_CONFLICT);
	/* Instance a ends: its handle goes, b's stays usable. */
	core__storage_instance_gone(g_sut, 200);
	ASSERT_TEE_RES(sut_read(&b, h2, buf, sizeof(buf), &n), TEE_SUCCESS);
	ASSERT_EQ_INT(n, 3);
	ASSERT_EQ_MEM(buf, "abc", 3);
	ASSERT_TEE_RES(sut_close(&b, h2), TEE_SUCCESS);

	uint32_t srw = sr | TEE_DATA_FLAG_ACCESS_WRITE | TEE_DATA_FLAG_SHARE_WRITE;

	ASSERT_TEE_RES(sut_open(&a, "acc", srw, &h), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_open(&b, "acc", srw, &h2), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_write(&a, h, "XY", 2), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_read(&b, h2, buf, sizeof(buf), &n), TEE_SUCCESS); /* sees a's write */
	{
		ASSERT_EQ_INT(n, 3);
		ASSERT_EQ_MEM(buf, "XYc", 3);
	}
	core__storage_instance_gone(g_sut, 200);
	core__storage_instance_gone(g_sut, 201);
	ASSERT_TEE_RES(sut_open(&a, "acc", ALL, &h), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_delete(&a, h), TEE_SUCCESS);
	core__storage_instance_gone(g_sut, 200);
}

static void test_limits(void)
{
	struct core_ta_identity ta = sut_ta(4, 400);
	static uint8_t big[TSM_MAX_CHUNK];
	static uint8_t got[TSM_MAX_CHUNK];
	uint32_t h = 0;
	uint32_t n = 0;
	uint64_t pos = 0;

	ASSERT_TEE_RES(sut_create(&ta, "lim", ALL, NULL, 0, &h), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_seek(&ta, h, TEE_DATA_MAX_POSITION, TEE_DATA_SEEK_SET, &pos),
		       TEE_SUCCESS);
	ASSERT_EQ_INT(pos, TEE_DATA_MAX_POSITION);
	ASSERT_TEE_RES(sut_seek(&ta, h, 1, TEE_DATA_SEEK_CUR, NULL), TEE_ERROR_OVERFLOW);
	ASSERT_TEE_RES(sut_seek(&ta, h, INT64_MAX, TEE_DATA_SEEK_CUR, NULL), TEE_ERROR_OVERFLOW);
	ASSERT_TEE_RES(sut_write(&ta, h, "a", 1), TEE_ERROR_OVERFLOW);
	ASSERT_TEE_RES(sut_seek(&ta, h, INT64_MIN, TEE_DATA_SEEK_END, &pos), TEE_SUCCESS);
	ASSERT_EQ_INT(pos, 0); /* negative clamps to 0 */
	ASSERT_TEE_RES(sut_seek(&ta, h, 0, 7, NULL), TEE_ERROR_BAD_PARAMETERS);
	ASSERT_TEE_RES(sut_seek(&ta, h, TSM_MAX_OBJECT_SIZE, TEE_DATA_SEEK_SET, NULL), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_write(&ta, h, "a", 1), TEE_ERROR_STORAGE_NO_SPACE);
	ASSERT_TEE_RES(sut_truncate(&ta, h, TSM_MAX_OBJECT_SIZE + 1ull),
		       TEE_ERROR_STORAGE_NO_SPACE);

	/* A multi-chunk write (staged) lands atomically, reads back in chunks. */
	ASSERT_TEE_RES(sut_seek(&ta, h, 0, TEE_DATA_SEEK_SET, NULL), TEE_SUCCESS);
	for (int c = 0; c < 3; c++) {
		memset(big, 'a' + c, sizeof(big));
		ASSERT_TEE_RES(sut_stage(&ta, big, sizeof(big)), TEE_SUCCESS);
	}
	memset(big, 'z', sizeof(big));
	ASSERT_TEE_RES(sut_write_staged(&ta, h, big, 10), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_seek(&ta, h, 0, TEE_DATA_SEEK_CUR, &pos), TEE_SUCCESS);
	ASSERT_EQ_INT(pos, 3ull * TSM_MAX_CHUNK + 10);
	ASSERT_TEE_RES(sut_seek(&ta, h, 0, TEE_DATA_SEEK_SET, NULL), TEE_SUCCESS);
	for (int c = 0; c < 3; c++) {
		ASSERT_TEE_RES(sut_read(&ta, h, got, TSM_MAX_CHUNK, &n), TEE_SUCCESS);
		ASSERT_EQ_INT(n, TSM_MAX_CHUNK);
		ASSERT_EQ_INT(got[0], 'a' + c);
		ASSERT_EQ_INT(got[n - 1], 'a' + c);
	}
	ASSERT_TEE_RES(sut_read(&ta, h, got, TSM_MAX_CHUNK, &n), TEE_SUCCESS);
	ASSERT_EQ_INT(n, 10);
	ASSERT_EQ_INT(got[0], 'z');
	/* The stage is consumed: a later staged write brings only its inline bytes. */
	ASSERT_TEE_RES(sut_write_staged(&ta, h, "q", 1), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_seek(&ta, h, 0, TEE_DATA_SEEK_END, &pos), TEE_SUCCESS);
	ASSERT_EQ_INT(pos, 3ull * TSM_MAX_CHUNK + 11);
	ASSERT_TEE_RES(sut_delete(&ta, h), TEE_SUCCESS);

	/* Handle quota per instance. */
	ASSERT_TEE_RES(sut_create(&ta, "many", ALL, NULL, 0, &h), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_close(&ta, h), TEE_SUCCESS);
	unsigned int opened = 0;
	TEE_Result res = TEE_SUCCESS;
	uint32_t sr = TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_SHARE_READ;

	while ((res = sut_open(&ta, "many", sr, &h)) == TEE_SUCCESS && opened < 1000) {
		opened++;
	}
	ASSERT_TEE_RES(res, TEE_ERROR_OUT_OF_MEMORY);
	ASSERT_EQ_INT(opened, 128);
	core__storage_instance_gone(g_sut, 400);
}

/* Creates an object of len bytes (staged in chunks) and leaves it open. */
static TEE_Result create_big(const struct core_ta_identity *ta, const char *id, size_t len,
			     uint32_t *h)
{
	static uint8_t chunk[TSM_MAX_CHUNK];
	TEE_Result res = TEE_SUCCESS;

	memset(chunk, 0x5a, sizeof(chunk));
	while (len > TSM_MAX_CHUNK) {
		res = sut_stage(ta, chunk, TSM_MAX_CHUNK);
		if (res != TEE_SUCCESS) {
			return res;
		}
		len -= TSM_MAX_CHUNK;
	}
	uint8_t buf[sizeof(struct tsm_create_req) + TSM_MAX_CHUNK];
	struct tsm_create_req r = {
		.hdr = { .version = TSM_VERSION, .flags = TSM_F_STAGED, .data_len = (uint32_t)len },
		.storage_id = TEE_STORAGE_PRIVATE,
		.flags = ALL | TEE_DATA_FLAG_OVERWRITE,
		.id = { .len = (uint32_t)strlen(id) }
	};
	struct tsm_obj_rsp o = { 0 };

	memcpy(r.id.bytes, id, r.id.len);
	memcpy(buf, &r, sizeof(r));
	memcpy(buf + sizeof(r), chunk, len);
	res = sut_call(ta, TSM_CMD_CREATE, buf, sizeof(r) + len, &o, sizeof(o), NULL);
	*h = o.handle;
	return res;
}

/* The core bounds the plaintext it caches for all TAs (1 MiB in this test build). */
static void test_cache_bound(void)
{
	struct core_ta_identity a = sut_ta(8, 800);
	struct core_ta_identity b = sut_ta(9, 900);
	uint32_t h1 = 0;
	uint32_t h2 = 0;
	uint64_t pos = 0;

	ASSERT_TEE_RES(create_big(&a, "c1", 600000, &h1), TEE_SUCCESS);
	ASSERT_TEE_RES(create_big(&b, "c2", 600000, &h2), TEE_ERROR_STORAGE_NO_SPACE);
	ASSERT_TEE_RES(sut_create(&b, "c2", ALL, "x", 1, &h2), TEE_SUCCESS);
	/* Growing an object past the bound is refused; the object is unchanged. */
	ASSERT_TEE_RES(sut_seek(&b, h2, 500000, TEE_DATA_SEEK_SET, NULL), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_write(&b, h2, "y", 1), TEE_ERROR_STORAGE_NO_SPACE);
	ASSERT_TEE_RES(sut_truncate(&b, h2, 500000), TEE_ERROR_STORAGE_NO_SPACE);
	ASSERT_TEE_RES(sut_seek(&b, h2, 0, TEE_DATA_SEEK_END, &pos), TEE_SUCCESS);
	ASSERT_EQ_INT(pos, 1);
	ASSERT_TEE_RES(sut_close(&b, h2), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_close(&a, h1), TEE_SUCCESS);
	/* Once released, the memory is available again; opening counts too. */
	ASSERT_TEE_RES(create_big(&b, "c2", 600000, &h2), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_open(&a, "c1", TEE_DATA_FLAG_ACCESS_READ, &h1), TEE_ERROR_OUT_OF_MEMORY);
	ASSERT_TEE_RES(sut_delete(&b, h2), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_open(&a, "c1", ALL, &h1), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_delete(&a, h1), TEE_SUCCESS);
	core__storage_instance_gone(g_sut, 800);
	core__storage_instance_gone(g_sut, 900);
}

static void test_enumerate(void)
{
	struct core_ta_identity ta = sut_ta(5, 500);
	struct core_ta_identity other = sut_ta(6, 600);
	struct tsm_hdr alloc = { .version = TSM_VERSION };
	struct tsm_obj_rsp o = { 0 };
	struct tsm_enum_next_rsp nx;
	const char *names[] = { "e1", "e2", "e3" };
	unsigned int seen = 0;
	uint32_t h = 0;
	size_t rl = 0;

	ASSERT_TEE_RES(sut_call(&ta, TSM_CMD_ENUM_ALLOC, &alloc, sizeof(alloc), &o, sizeof(o), &rl),
		       TEE_SUCCESS);
	ASSERT_EQ_INT(rl, sizeof(o));
	ASSERT_NE_INT(o.handle, 0);
	struct tsm_enum_start_req st = { .hdr = { .version = TSM_VERSION, .handle = o.handle },
					 .storage_id = TEE_STORAGE_PRIVATE };
	struct tsm_hdr next = { .version = TSM_VERSION, .handle = o.handle };

	/* Nothing stored yet. */
	ASSERT_TEE_RES(sut_call(&ta, TSM_CMD_ENUM_START, &st, sizeof(st), NULL, 0, NULL),
		       TEE_ERROR_ITEM_NOT_FOUND);
	for (int i = 0; i < 3; i++) {
		ASSERT_TEE_RES(sut_create(&ta, names[i], ALL, names[i], (size_t)i + 1, &h),
			       TEE_SUCCESS);
		ASSERT_TEE_RES(sut_close(&ta, h), TEE_SUCCESS);
	}
	ASSERT_TEE_RES(sut_create(&other, "foreign", ALL, NULL, 0, &h), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_call(&ta, TSM_CMD_ENUM_NEXT, &next, sizeof(next), &nx, sizeof(nx), NULL),
		       TEE_ERROR_ITEM_NOT_FOUND); /* not started */
	st.storage_id = TEE_STORAGE_PRIVATE_RPMB;
	ASSERT_TEE_RES(sut_call(&ta, TSM_CMD_ENUM_START, &st, sizeof(st), NULL, 0, NULL),
		       TEE_ERROR_ITEM_NOT_FOUND);
	st.storage_id = TEE_STORAGE_PRIVATE;
	for (int round = 0; round < 2; round++) {
		seen = 0;
		ASSERT_TEE_RES(sut_call(&ta, TSM_CMD_ENUM_START, &st, sizeof(st), NULL, 0, NULL),
			       TEE_SUCCESS);
		while (sut_call(&ta, TSM_CMD_ENUM_NEXT, &next, sizeof(next), &nx, sizeof(nx),
				&rl) == TEE_SUCCESS) {
			ASSERT_EQ_INT(rl, sizeof(nx));
			ASSERT_EQ_INT(nx.id.len, 2);
			ASSERT_EQ_INT(nx.id.bytes[0], 'e');
			int i = nx.id.bytes[1] - '1';

			ASSERT_GE_INT(i, 0);
			ASSERT_LT_INT(i, 3);
			ASSERT_TRUE(!(seen & (1u << i)));
			ASSERT_EQ_INT(nx.info.data_size, (uint64_t)i + 1);
			ASSERT_EQ_INT(nx.info.object_type, TEE_TYPE_DATA);
			seen |= 1u << i;
		}
		ASSERT_EQ_INT(seen, 7);
	}
	struct tsm_hdr reset = next;

	ASSERT_TEE_RES(sut_call(&ta, TSM_CMD_ENUM_RESET, &reset, sizeof(reset), NULL, 0, NULL),
		       TEE_SUCCESS);
	ASSERT_TEE_RES(sut_call(&ta, TSM_CMD_ENUM_NEXT, &next, sizeof(next), &nx, sizeof(nx), NULL),
		       TEE_ERROR_ITEM_NOT_FOUND);
	ASSERT_TEE_RES(sut_call(&ta, TSM_CMD_ENUM_FREE, &reset, sizeof(reset), NULL, 0, NULL),
		       TEE_SUCCESS);
	ASSERT_TEE_RES(sut_call(&ta, TSM_CMD_ENUM_NEXT, &next, sizeof(next), &nx, sizeof(nx), NULL),
		       TEE_ERROR_BAD_PARAMETERS); /* freed handle */
	core__storage_instance_gone(g_sut, 500);
	core__storage_instance_gone(g_sut, 600);
}

/* Requests a hostile TA host could send; each must be refused without effect. */
static void test_malformed(void)
{
	struct core_ta_identity ta = sut_ta(7, 700);
	uint32_t h = 0;
	uint8_t buf[sizeof(struct tsm_create_req) + TSM_MAX_CHUNK + 8];
	struct tsm_open_req op = { .hdr = { .version = TSM_VERSION },
				   .storage_id = TEE_STORAGE_PRIVATE,
				   .flags = TEE_DATA_FLAG_ACCESS_READ,
				   .id = { .len = 1, .bytes = "m" } };
	struct tsm_read_req rd = { .hdr = { .version = TSM_VERSION }, .size = 4 };
	struct tsm_open_req t = op;
	struct tsm_read_req tr = rd;
	struct tsm_hdr w = { .version = TSM_VERSION };
	size_t rl = 0;

	ASSERT_TEE_RES(sut_create(&ta, "m", ALL | TEE_DATA_FLAG_SHARE_READ, "data", 4, &h),
		       TEE_SUCCESS);
	rd.hdr.handle = h;
	tr = rd;

	/* Unknown commands and the rest of the storage range. */
	ASSERT_TEE_RES(sut_call(&ta, 0x0100, &op, sizeof(op), NULL, 0, NULL),
		       TEE_ERROR_NOT_SUPPORTED);
	ASSERT_TEE_RES(sut_call(&ta, 0x01FF, &op, sizeof(op), NULL, 0, NULL),
		       TEE_ERROR_NOT_SUPPORTED);
	/* NULL / short / long buffers. */
	ASSERT_TEE_RES(sut_call(&ta, TSM_CMD_OPEN, NULL, 0, NULL, 0, NULL),
		       TEE_ERROR_BAD_PARAMETERS);
	for (size_t len = 0; len < sizeof(op); len++) {
		ASSERT_TEE_RES(sut_call(&ta, TSM_CMD_OPEN, &op, len, NULL, 0, NULL),
			       TEE_ERROR_BAD_PARAMETERS);
	}
	memcpy(buf, &op, sizeof(op));
	ASSERT_TEE_RES(sut_call(&ta, TSM_CMD_OPEN, buf, sizeof(op) + 1, NULL, 0, NULL),
		       TEE_ERROR_BAD_PARAMETERS); /* trailing bytes */
	/* Bad header fields. */
	t.hdr.version = TSM_VERSION + 1;
	ASSERT_TEE_RES(sut_call(&ta, TSM_CMD_OPEN, &t, sizeof(t), NULL, 0, NULL),
		       TEE_ERROR_BAD_PARAMETERS);
	t = op;
	t.hdr.reserved = 1;
	ASSERT_TEE_RES(sut_call(&ta, TSM_CMD_OPEN, &t, sizeof(t), NULL, 0, NULL),
		       TEE_ERROR_BAD_PARAMETERS);
	t = op;
	t.hdr.flags = TSM_F_STAGED;
	ASSERT_TEE_RES(sut_call(&ta, TSM_CMD_OPEN, &t, sizeof(t), NULL, 0, NULL),
		       TEE_ERROR_BAD_PARAMETERS);
	t = op;
	t.hdr.data_len = 1; /* OPEN carries no data */
	memcpy(buf, &t, sizeof(t));
	ASSERT_TEE_RES(sut_call(&ta, TSM_CMD_OPEN, buf, sizeof(t) + 1, NULL, 0, NULL),
		       TEE_ERROR_BAD_PARAMETERS);
	t = op;
	t.hdr.data_len = UINT32_MAX; /* length overflow attempt */
	ASSERT_TEE_RES(sut_call(&ta, TSM_CMD_OPEN, &t, sizeof(t), NULL, 0, NULL),
		       TEE_ERROR_BAD_PARAMETERS);
	t = op;
	t.hdr.handle = h; /* OPEN takes no handle */
	ASSERT_TEE_RES(sut_call(&ta, TSM_CMD_OPEN, &t, sizeof(t), NULL, 0, NULL),
		       TEE_ERROR_BAD_PARAMETERS);
	/* Id too long, flags outside GP's, unknown storage. */
	t = op;
	t.id.len = TSM_ID_MAX + 1;
	ASSERT_TEE_RES(sut_call(&ta, TSM_CMD_OPEN, &t, sizeof(t), NULL, 0, NULL),
		       TEE_ERROR_BAD_PARAMETERS);
	t = op;
	t.id.len = UINT32_MAX;
	ASSERT_TEE_RES(sut_call(&ta, TSM_CMD_OPEN, &t, sizeof(t), NULL, 0, NULL),
		       TEE_ERROR_BAD_PARAMETERS);
	t = op;
	t.flags = TEE_DATA_FLAG_OVERWRITE;
	ASSERT_TEE_RES(sut_call(&ta, TSM_CMD_OPEN, &t, sizeof(t), NULL, 0, NULL),
		       TEE_ERROR_BAD_PARAMETERS);
	t = op;
	t.flags = 0x80000000u;
	ASSERT_TEE_RES(sut_call(&ta, TSM_CMD_OPEN, &t, sizeof(t), NULL, 0, NULL),
		       TEE_ERROR_BAD_PARAMETERS);
	t = op;
	t.storage_id = 0x12345678u;
	ASSERT_TEE_RES(sut_call(&ta, TSM_CMD_OPEN, &t, sizeof(t), NULL, 0, NULL),
		       TEE_ERROR_ITEM_NOT_FOUND);
	/* Forged handles: zero, random, and one of another instance. */
	tr.hdr.handle = 0;
	ASSERT_TEE_RES(sut_call(&ta, TSM_CMD_READ, &tr, sizeof(tr), NULL, 0, NULL),
		       TEE_ERROR_BAD_PARAMETERS);
	tr.hdr.handle = 0xdeadbeefu;
	ASSERT_TEE_RES(sut_call(&ta, TSM_CMD_READ, &tr, sizeof(tr), NULL, 0, NULL),
		       TEE_ERROR_BAD_PARAMETERS);
	struct core_ta_identity twin = sut_ta(7, 701);

	ASSERT_TEE_RES(sut_call(&twin, TSM_CMD_READ, &rd, sizeof(rd), NULL, 0, NULL),
		       TEE_ERROR_BAD_PARAMETERS);
	/* Read size above one chunk; write data above one chunk. */
	tr = rd;
	tr.size = TSM_MAX_CHUNK + 1;
	ASSERT_TEE_RES(sut_call(&ta, TSM_CMD_READ, &tr, sizeof(tr), NULL, 0, NULL),
		       TEE_ERROR_BAD_PARAMETERS);
	w.handle = h;
	w.data_len = TSM_MAX_CHUNK + 1;
	memset(buf, 0, sizeof(buf));
	memcpy(buf, &w, sizeof(w));
	ASSERT_TEE_RES(
		sut_call(&ta, TSM_CMD_WRITE, buf, sizeof(w) + TSM_MAX_CHUNK + 1, NULL, 0, NULL),
		TEE_ERROR_BAD_PARAMETERS);
	w.data_len = 8; /* claims more than sent */
	memcpy(buf, &w, sizeof(w));
	ASSERT_TEE_RES(sut_call(&ta, TSM_CMD_WRITE, buf, sizeof(w) + 4, NULL, 0, NULL),
		       TEE_ERROR_BAD_PARAMETERS);
	/* A response buffer too small is reported, not overrun. */
	ASSERT_TEE_RES(
		core__storage_dispatch(g_sut, &ta, TSM_CMD_READ, &rd, sizeof(rd), buf, 3, &rl),
		TEE_ERROR_SHORT_BUFFER);
	ASSERT_EQ_INT(rl, 0);

	/* None of that changed the object. */
	uint8_t got[8];
	uint32_t n = 0;

	ASSERT_TEE_RES(sut_read(&ta, h, got, sizeof(got), &n), TEE_SUCCESS);
	ASSERT_EQ_INT(n, 4);
	ASSERT_EQ_MEM(got, "data", 4);
	ASSERT_TEE_RES(sut_delete(&ta, h), TEE_SUCCESS);
	core__storage_instance_gone(g_sut, 700);
	core__storage_instance_gone(g_sut, 701);
}

int main(void)
{
	sut_setup();
	test_lifecycle();
	test_access_rules();
	test_limits();
	test_cache_bound();
	test_enumerate();
	test_malformed();
	printf("tee_storage_core: all checks passed\n");
	return 0;
}
