/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Key objects in the core's storage (storage_keyobj.c): a CREATE with an attribute blob
 * keeps blob, type, usage and sizes next to the data (through data operations, rename,
 * restart and enumeration), OPEN hands the blob back; malformed key fields are refused at
 * decoding, and an authentic object file whose attribute section is malformed is
 * TEE_ERROR_CORRUPT_OBJECT (for OPEN, INFO and enumeration), never a crash.
 */
#include <string.h>
#include <tee_api_defines.h>

#include "storage_priv.h"
#include "sut.h"
#include "uuid.h"

#define ALL                                                                                        \
	(TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_ACCESS_WRITE | TEE_DATA_FLAG_ACCESS_WRITE_META)
#define KEY_TYPE TEE_TYPE_HMAC_SHA256

static uint8_t g_buf[sizeof(struct tsm_create_req) + TSM_MAX_CHUNK];

static struct tsm_create_req key_req(const char *id, size_t blob_len, size_t data_len)
{
	struct tsm_create_req r = {
		.hdr = { .version = TSM_VERSION, .data_len = (uint32_t)(blob_len + data_len) },
		.storage_id = TEE_STORAGE_PRIVATE,
		.flags = ALL | TEE_DATA_FLAG_OVERWRITE,
		.object_type = KEY_TYPE,
		.key = { .object_usage = TEE_USAGE_MAC | TEE_USAGE_EXTRACTABLE,
			 .object_size = 256,
			 .max_object_size = 512,
			 .attr_len = (uint32_t)blob_len },
		.id = { .len = (uint32_t)strlen(id) },
	};

	memcpy(r.id.bytes, id, r.id.len);
	return r;
}

static TEE_Result send_create(const struct core_ta_identity *ta, const struct tsm_create_req *r,
			      const void *blob, size_t blob_len, const void *data, size_t data_len,
			      uint32_t *h)
{
	struct tsm_obj_rsp o = { 0 };
	size_t rl = 0;
	TEE_Result res = TEE_SUCCESS;

	ASSERT_LE_INT(blob_len + data_len, TSM_MAX_CHUNK);
	memcpy(g_buf, r, sizeof(*r));
	if (blob_len) {
		memcpy(g_buf + sizeof(*r), blob, blob_len);
	}
	if (data_len) {
		memcpy(g_buf + sizeof(*r) + blob_len, data, data_len);
	}
	res = sut_call(ta, TSM_CMD_CREATE, g_buf, sizeof(*r) + blob_len + data_len, &o, sizeof(o),
		       &rl);
	if (res == TEE_SUCCESS) {
		ASSERT_EQ_INT(rl, sizeof(o));
		ASSERT_EQ_INT(o.object_type, r->object_type);
		ASSERT_EQ_INT(o.key.attr_len, r->key.attr_len);
		ASSERT_EQ_INT(o.data_size, data_len);
		*h = o.handle;
	}
	return res;
}

/* OPEN, expecting the key fields of key_req() and the blob back. */
static TEE_Result open_key(const struct core_ta_identity *ta, const char *id, const void *blob,
			   size_t blob_len, size_t data_len, uint32_t *h)
{
	struct tsm_open_req r = { .hdr = { .version = TSM_VERSION },
				  .storage_id = TEE_STORAGE_PRIVATE,
				  .flags = ALL,
				  .id = { .len = (uint32_t)strlen(id) } };
	uint8_t resp[sizeof(struct tsm_obj_rsp) + TSM_MAX_ATTR_LEN];
	struct tsm_obj_rsp o;
	size_t rl = 0;
	TEE_Result res = TEE_SUCCESS;

	memcpy(r.id.bytes, id, r.id.len);
	res = sut_call(ta, TSM_CMD_OPEN, &r, sizeof(r), resp, sizeof(resp), &rl);
	if (res != TEE_SUCCESS) {
		return res;
	}
	ASSERT_EQ_INT(rl, sizeof(o) + blob_len);
	memcpy(&o, resp, sizeof(o));
	ASSERT_EQ_INT(o.object_type, KEY_TYPE);
	ASSERT_EQ_INT(o.key.object_usage, (TEE_USAGE_MAC | TEE_USAGE_EXTRACTABLE));
	ASSERT_EQ_INT(o.key.object_size, 256);
	ASSERT_EQ_INT(o.key.max_object_size, 512);
	ASSERT_EQ_INT(o.key.attr_len, blob_len);
	ASSERT_EQ_INT(o.data_size, data_len);
	ASSERT_EQ_MEM(resp + sizeof(o), blob, blob_len);
	*h = o.handle;
	return TEE_SUCCESS;
}

static void test_roundtrip(void)
{
	struct core_ta_identity ta = sut_ta(0x40, 4000);
	struct core_ta_identity ta2 = sut_ta(0x40, 4001);
	const char blob[] = "opaque attribute blob \x00\x01\x02";
	struct tsm_create_req r = key_req("key", sizeof(blob), 5);
	struct tsm_obj_rsp o;
	uint32_t h = 0;
	uint32_t n = 0;
	uint64_t pos = 0;
	char buf[64];

	ASSERT_TEE_RES(send_create(&ta, &r, blob, sizeof(blob), "hello", 5, &h), TEE_SUCCESS);
	/* The data is what follows the blob, and data operations never touch the blob. */
	ASSERT_TEE_RES(sut_read(&ta, h, buf, sizeof(buf), &n), TEE_SUCCESS);
	ASSERT_EQ_INT(n, 5);
	ASSERT_EQ_MEM(buf, "hello", 5);
	ASSERT_TEE_RES(sut_write(&ta, h, " world", 6), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_seek(&ta, h, 2, TEE_DATA_SEEK_END, &pos), TEE_SUCCESS);
	ASSERT_EQ_INT(pos, 13);
	ASSERT_TEE_RES(sut_write(&ta, h, "!", 1), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_truncate(&ta, h, 15), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_info(&ta, h, &o), TEE_SUCCESS);
	ASSERT_EQ_INT(o.data_size, 15);
	ASSERT_EQ_INT(o.object_type, KEY_TYPE);
	ASSERT_EQ_INT(o.key.object_usage, (TEE_USAGE_MAC | TEE_USAGE_EXTRACTABLE));
	ASSERT_EQ_INT(o.key.object_size, 256);
	ASSERT_EQ_INT(o.key.attr_len, sizeof(blob));
	ASSERT_TEE_RES(sut_rename(&ta, h, "key2"), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_close(&ta, h), TEE_SUCCESS);

	/* From the file, after a restart, in another instance. */
	sut_restart();
	ASSERT_TEE_RES(open_key(&ta2, "key2", blob, sizeof(blob), 15, &h), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_read(&ta2, h, buf, sizeof(buf), &n), TEE_SUCCESS);
	ASSERT_EQ_INT(n, 15);
	ASSERT_EQ_MEM(buf, "hello world\0\0!\0", 15);
	ASSERT_TEE_RES(sut_delete(&ta2, h), TEE_SUCCESS);

	/* A data object is still a data object (no blob, TEE_USAGE_DEFAULT, version-1 file). */
	ASSERT_TEE_RES(sut_create(&ta, "data", ALL, "d", 1, &h), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_info(&ta, h, &o), TEE_SUCCESS);
	ASSERT_EQ_INT(o.object_type, TEE_TYPE_DATA);
	ASSERT_EQ_INT(o.key.object_usage, TEE_USAGE_DEFAULT);
	ASSERT_EQ_INT(o.key.attr_len, 0);
	ASSERT_TEE_RES(sut_delete(&ta, h), TEE_SUCCESS);
}

/* A blob staged with the data, the largest blob, and data of the full size limit. */
static void test_staged(void)
{
	struct core_ta_identity ta = sut_ta(0x41, 4100);
	static uint8_t blob[TSM_MAX_ATTR_LEN];
	struct tsm_create_req r = key_req("big", sizeof(blob), 10);
	struct tsm_obj_rsp o = { 0 };
	uint32_t h = 0;

	memset(blob, 0xb1, sizeof(blob));
	ASSERT_TEE_RES(sut_stage(&ta, blob, sizeof(blob)), TEE_SUCCESS);
	r.hdr.flags = TSM_F_STAGED;
	r.hdr.data_len = 10;
	memcpy(g_buf, &r, sizeof(r));
	memcpy(g_buf + sizeof(r), "0123456789", 10);
	ASSERT_TEE_RES(sut_call(&ta, TSM_CMD_CREATE, g_buf, sizeof(r) + 10, &o, sizeof(o), NULL),
		       TEE_SUCCESS);
	ASSERT_TEE_RES(sut_close(&ta, o.handle), TEE_SUCCESS);
	ASSERT_TEE_RES(open_key(&ta, "big", blob, sizeof(blob), 10, &h), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_delete(&ta, h), TEE_SUCCESS);
	core__storage_instance_gone(g_sut, 4100);
}

/* Key fields a hostile TA host could send: refused, nothing created. */
static void test_malformed(void)
{
	struct core_ta_identity ta = sut_ta(0x42, 4200);
	const char blob[] = "blob";
	struct tsm_create_req r;
	uint32_t h = 0;

	r = key_req("m", TSM_MAX_ATTR_LEN + 1, 0);
	r.hdr.data_len = 4;
	ASSERT_TEE_RES(send_create(&ta, &r, blob, 4, NULL, 0, &h), TEE_ERROR_BAD_PARAMETERS);
	r = key_req("m", sizeof(blob), 0);
	r.key.attr_len = sizeof(blob) + 1; /* more blob than bytes */
	ASSERT_TEE_RES(send_create(&ta, &r, blob, sizeof(blob), NULL, 0, &h),
		       TEE_ERROR_BAD_PARAMETERS);
	r = key_req("m", sizeof(blob), 0);
	r.object_type = 0;
	ASSERT_TEE_RES(send_create(&ta, &r, blob, sizeof(blob), NULL, 0, &h),
		       TEE_ERROR_BAD_PARAMETERS);
	r = key_req("m", 0, 0); /* a data object with key fields */
	ASSERT_TEE_RES(send_create(&ta, &r, NULL, 0, NULL, 0, &h), TEE_ERROR_BAD_PARAMETERS);
	r = key_req("m", 0, 0);
	r.object_type = 0;
	r.key.object_size = r.key.max_object_size = 0;
	ASSERT_TEE_RES(send_create(&ta, &r, NULL, 0, NULL, 0, &h), TEE_ERROR_BAD_PARAMETERS);
	r.key.object_usage = 0;
	r.reserved = 1;
	ASSERT_TEE_RES(send_create(&ta, &r, NULL, 0, NULL, 0, &h), TEE_ERROR_BAD_PARAMETERS);
	r = key_req("m", sizeof(blob), 0);
	r.hdr.version = 1; /* the protocol before key objects */
	ASSERT_TEE_RES(send_create(&ta, &r, blob, sizeof(blob), NULL, 0, &h),
		       TEE_ERROR_BAD_PARAMETERS);
	ASSERT_TEE_RES(sut_open(&ta, "m", TEE_DATA_FLAG_ACCESS_READ, &h), TEE_ERROR_ITEM_NOT_FOUND);
}

/* An authentic file (sealed with the TA's key) whose attribute section is malformed. */
static void store_raw(uint32_t uuid_tag, const char *id, const uint8_t *plain, size_t meta_len,
		      size_t len)
{
	struct core_ta_identity ta = sut_ta(uuid_tag, 0);
	struct tzm__uuid u;
	struct sf_ta sta = { .dirfd = -1 };
	struct sf_sig sig;
	uint8_t b[16];

	memcpy(&u, &ta.uuid, sizeof(u));
	tzm__uuid_to_bytes(&u, b);
	ASSERT_EQ_INT(storage__ta_open(&g_sut->store, &sta, b, true), 0);
	ASSERT_EQ_INT(storage__obj_store(&sta, (const uint8_t *)id, strlen(id), KEY_TYPE, meta_len,
					 plain, len, false, &sig),
		      0);
	storage__ta_close(&sta);
}

static void test_corrupt_section(void)
{
	struct core_ta_identity ta = sut_ta(0x43, 4300);
	uint8_t plain[64] = { 0 };
	struct tsm_hdr alloc = { .version = TSM_VERSION };
	struct tsm_obj_rsp o = { 0 };
	uint32_t h = 0;
	size_t rl = 0;

	/* Shorter than the description, description only (no blob), reserved word set. */
	store_raw(0x43, "short", plain, 8, sizeof(plain));
	ASSERT_TEE_RES(sut_open(&ta, "short", TEE_DATA_FLAG_ACCESS_READ, &h),
		       TEE_ERROR_CORRUPT_OBJECT);
	store_raw(0x43, "noblob", plain, KEYOBJ_DESC_LEN, sizeof(plain));
	ASSERT_TEE_RES(sut_open(&ta, "noblob", TEE_DATA_FLAG_ACCESS_READ, &h),
		       TEE_ERROR_CORRUPT_OBJECT);
	plain[12] = 1;
	store_raw(0x43, "reserved", plain, 20, sizeof(plain));
	ASSERT_TEE_RES(sut_open(&ta, "reserved", TEE_DATA_FLAG_ACCESS_READ, &h),
		       TEE_ERROR_CORRUPT_OBJECT);
	/* Enumeration authenticates each object, and reports the corrupt one as such. */
	ASSERT_TEE_RES(sut_call(&ta, TSM_CMD_ENUM_ALLOC, &alloc, sizeof(alloc), &o, sizeof(o), &rl),
		       TEE_SUCCESS);
	{
		struct tsm_enum_start_req st = { .hdr = { .version = TSM_VERSION,
							  .handle = o.handle },
						 .storage_id = TEE_STORAGE_PRIVATE };
		struct tsm_hdr next = { .version = TSM_VERSION, .handle = o.handle };
		struct tsm_enum_next_rsp nr;

		ASSERT_TEE_RES(sut_call(&ta, TSM_CMD_ENUM_START, &st, sizeof(st), NULL, 0, NULL),
			       TEE_SUCCESS);
		ASSERT_TEE_RES(
			sut_call(&ta, TSM_CMD_ENUM_NEXT, &next, sizeof(next), &nr, sizeof(nr), &rl),
			TEE_ERROR_CORRUPT_OBJECT);
	}
	/* A well-formed section made the same way opens: its 4-byte blob comes back. */
	plain[12] = 0;
	memcpy(plain + KEYOBJ_DESC_LEN, "blob", 4);
	store_raw(0x43, "fine", plain, 20, sizeof(plain));
	{
		struct tsm_open_req r = { .hdr = { .version = TSM_VERSION },
					  .storage_id = TEE_STORAGE_PRIVATE,
					  .flags = TEE_DATA_FLAG_ACCESS_READ,
					  .id = { .len = 4, .bytes = "fine" } };
		uint8_t resp[sizeof(o) + 4];

		ASSERT_TEE_RES(sut_call(&ta, TSM_CMD_OPEN, &r, sizeof(r), resp, sizeof(resp), &rl),
			       TEE_SUCCESS);
		ASSERT_EQ_INT(rl, sizeof(resp));
		ASSERT_EQ_MEM(resp + sizeof(o), "blob", 4);
		memcpy(&o, resp, sizeof(o));
		ASSERT_EQ_INT(o.data_size, sizeof(plain) - 20);
	}
	core__storage_instance_gone(g_sut, 4300);
}

int main(void)
{
	sut_setup();
	test_roundtrip();
	test_staged();
	test_malformed();
	test_corrupt_section();
	printf("tee_storage_keyobj: all checks passed\n");
	return 0;
}
