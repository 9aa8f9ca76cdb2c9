/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Request builders and file helpers for the core-side storage unit tests (see sut.h).
 */
#include "sut.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <tee_api_defines.h>
#include <unistd.h>

#include "storage_priv.h"
#include "uuid.h"

static char g_state_dir[PATH_MAX];
struct core_storage *g_sut;

const char *sut_setup(void)
{
	const char *base = getenv("TZM_TEST_TMPDIR");

	snprintf(g_state_dir, sizeof(g_state_dir), "%s/storage-unit-XXXXXX",
		 base && base[0] ? base : "/tmp");
	ASSERT_NOT_NULL(mkdtemp(g_state_dir));
	if (!g_sut) {
		g_sut = core__storage_new();
		ASSERT_NOT_NULL(g_sut);
	}
	ASSERT_EQ_INT(core__storage_init(g_sut, g_state_dir), 0);
	return g_state_dir;
}

void sut_restart(void)
{
	ASSERT_EQ_INT(core__storage_init(g_sut, g_state_dir), 0);
}

void sut_stop(void)
{
	storage__file_fini(&g_sut->store);
}

struct core_ta_identity sut_ta(uint32_t uuid_tag, uint64_t instance_id)
{
	struct core_ta_identity ta;

	memset(&ta, 0, sizeof(ta));
	ta.uuid.timeLow = uuid_tag;
	ta.uuid.timeMid = 0x5707;
	ta.uuid.timeHiAndVersion = 0x4abc;
	ta.uuid.clockSeqAndNode[0] = 0x80;
	ta.instance_id = instance_id;
	return ta;
}

void sut_put(const struct core_ta_identity *ta, const char *id, const char *data)
{
	const uint32_t flags = TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_ACCESS_WRITE |
			       TEE_DATA_FLAG_ACCESS_WRITE_META | TEE_DATA_FLAG_OVERWRITE;
	uint32_t h = 0;

	ASSERT_TEE_RES(sut_create(ta, id, flags, data, strlen(data), &h), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_close(ta, h), TEE_SUCCESS);
}

void sut_expect(const struct core_ta_identity *ta, const char *id, const char *data)
{
	uint8_t got[256];
	uint32_t h = 0;
	uint32_t n = 0;

	ASSERT_LT_INT(strlen(data), sizeof(got)); /* a longer read would show extra bytes */
	ASSERT_TEE_RES(sut_open(ta, id, TEE_DATA_FLAG_ACCESS_READ, &h), TEE_SUCCESS);
	ASSERT_TEE_RES(sut_read(ta, h, got, sizeof(got), &n), TEE_SUCCESS);
	ASSERT_EQ_INT(n, strlen(data));
	ASSERT_EQ_MEM(got, data, n);
	ASSERT_TEE_RES(sut_close(ta, h), TEE_SUCCESS);
}

void sut_obj_path(uint32_t uuid_tag, const char *id, char *out, size_t cap)
{
	struct core_ta_identity ta = sut_ta(uuid_tag, 0);
	struct tzm__uuid u;
	struct sf_ta sta;
	uint8_t b[16];
	char us[TZM_UUID_STR_LEN + 1];
	char name[SF_NAME_MAX];

	memcpy(&u, &ta.uuid, sizeof(u));
	tzm__uuid_to_bytes(&u, b);
	tzm__uuid_bytes_to_str(b, us);
	/* Object files are named by a random number kept in the (encrypted) directory. */
	ASSERT_EQ_INT(storage__ta_open(&g_sut->store, &sta, b, false), 0);
	ASSERT_EQ_INT(storage__obj_file_name(&sta, (const uint8_t *)id, strlen(id), name), 0);
	storage__ta_close(&sta);
	snprintf(out, cap, "%s/storage/%s/%s", g_state_dir, us, name);
}

void sut_ta_dir(uint32_t uuid_tag, char *out, size_t cap)
{
	struct core_ta_identity ta = sut_ta(uuid_tag, 0);
	struct tzm__uuid u;
	uint8_t b[16];
	char us[TZM_UUID_STR_LEN + 1];

	memcpy(&u, &ta.uuid, sizeof(u));
	tzm__uuid_to_bytes(&u, b);
	tzm__uuid_bytes_to_str(b, us);
	snprintf(out, cap, "%s/storage/%s", g_state_dir, us);
}

uint8_t *sut_read_file(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *buf = NULL;
	int fd = open(path, O_RDONLY);

	ASSERT_GE_INT(fd, 0);
	ASSERT_EQ_INT(fstat(fd, &st), 0);
	buf = malloc((size_t)st.st_size + 1);
	ASSERT_NOT_NULL(buf);
	ASSERT_EQ_INT(read(fd, buf, (size_t)st.st_size), st.st_size);
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

void sut_write_file(const char *path, const uint8_t *buf, size_t len)
{
	/* In place (same inode), like an attacker editing the file would. */
	int fd = open(path, O_WRONLY | O_TRUNC);

	ASSERT_GE_INT(fd, 0);
	ASSERT_EQ_INT(write(fd, buf, len), (ssize_t)len);
	close(fd);
}

void sut_write_file_new(const char *path, const uint8_t *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	ASSERT_GE_INT(fd, 0);
	ASSERT_EQ_INT(write(fd, buf, len), (ssize_t)len);
	close(fd);
}

TEE_Result sut_call(const struct core_ta_identity *ta, uint32_t cmd, const void *req, size_t len,
		    void *resp_out, size_t cap, size_t *resp_len)
{
	static uint8_t resp[64 * 1024];
	size_t rl = 0;
	TEE_Result res = core__storage_dispatch(g_sut, ta, cmd, req, len, resp, sizeof(resp), &rl);

	ASSERT_LE_INT(rl, sizeof(resp));
	if (res != TEE_SUCCESS) {
		ASSERT_EQ_INT(rl, 0);
	}
	if (resp_out) {
		memcpy(resp_out, resp, rl < cap ? rl : cap);
	}
	if (resp_len) {
		*resp_len = rl;
	}
	return res;
}

static struct tsm_hdr hdr(uint32_t handle, size_t data_len)
{
	return (struct tsm_hdr){ .version = TSM_VERSION,
				 .handle = handle,
				 .data_len = (uint32_t)data_len };
}

static void set_id(struct tsm_id *id, const char *s)
{
	id->len = (uint32_t)strlen(s);
	ASSERT_LE_INT(id->len, TSM_ID_MAX);
	memcpy(id->bytes, s, id->len);
}

TEE_Result sut_open(const struct core_ta_identity *ta, const char *id, uint32_t flags,
		    uint32_t *handle)
{
	struct tsm_open_req r = { .hdr = hdr(0, 0),
				  .storage_id = TEE_STORAGE_PRIVATE,
				  .flags = flags };
	struct tsm_obj_rsp o = { 0 };
	size_t rl = 0;
	TEE_Result res = TEE_SUCCESS;

	set_id(&r.id, id);
	res = sut_call(ta, TSM_CMD_OPEN, &r, sizeof(r), &o, sizeof(o), &rl);
	if (res == TEE_SUCCESS) {
		ASSERT_EQ_INT(rl, sizeof(o));
		ASSERT_NE_INT(o.handle, 0);
		ASSERT_EQ_INT(o.position, 0);
		*handle = o.handle;
	}
	return res;
}

TEE_Result sut_create(const struct core_ta_identity *ta, const char *id, uint32_t flags,
		      const void *data, size_t len, uint32_t *handle)
{
	uint8_t buf[sizeof(struct tsm_create_req) + TSM_MAX_CHUNK];
	struct tsm_create_req r = { .hdr = hdr(0, len),
				    .storage_id = TEE_STORAGE_PRIVATE,
				    .flags = flags };
	struct tsm_obj_rsp o = { 0 };
	size_t rl = 0;
	TEE_Result res = TEE_SUCCESS;

	ASSERT_LE_INT(len, TSM_MAX_CHUNK);
	set_id(&r.id, id);
	memcpy(buf, &r, sizeof(r));
	if (len) {
		memcpy(buf + sizeof(r), data, len);
	}
	res = sut_call(ta, TSM_CMD_CREATE, buf, sizeof(r) + len, &o, sizeof(o), &rl);
	if (res == TEE_SUCCESS) {
		ASSERT_EQ_INT(rl, sizeof(o));
		ASSERT_NE_INT(o.handle, 0);
		ASSERT_EQ_INT(o.data_size, len);
		*handle = o.handle;
	}
	return res;
}

static TEE_Result handle_only(const struct core_ta_identity *ta, uint32_t cmd, uint32_t h)
{
	struct tsm_hdr r = hdr(h, 0);

	return sut_call(ta, cmd, &r, sizeof(r), NULL, 0, NULL);
}

TEE_Result sut_close(const struct core_ta_identity *ta, uint32_t handle)
{
	return handle_only(ta, TSM_CMD_CLOSE, handle);
}

TEE_Result sut_delete(const struct core_ta_identity *ta, uint32_t handle)
{
	return handle_only(ta, TSM_CMD_DELETE, handle);
}

TEE_Result sut_read(const struct core_ta_identity *ta, uint32_t handle, void *buf, uint32_t size,
		    uint32_t *count)
{
	static uint8_t resp[sizeof(struct tsm_read_rsp) + TSM_MAX_CHUNK];
	struct tsm_read_req r = { .hdr = hdr(handle, 0), .size = size };
	struct tsm_read_rsp rr;
	size_t rl = 0;
	TEE_Result res = sut_call(ta, TSM_CMD_READ, &r, sizeof(r), resp, sizeof(resp), &rl);

	if (res == TEE_SUCCESS) {
		ASSERT_GE_INT(rl, sizeof(rr));
		memcpy(&rr, resp, sizeof(rr));
		ASSERT_LE_INT(rr.count, size);
		ASSERT_EQ_INT(rl, sizeof(rr) + rr.count);
		memcpy(buf, resp + sizeof(rr), rr.count);
		*count = rr.count;
	}
	return res;
}

static TEE_Result write_flags(const struct core_ta_identity *ta, uint32_t cmd, uint32_t handle,
			      uint16_t flags, const void *data, size_t len)
{
	static uint8_t buf[sizeof(struct tsm_hdr) + TSM_MAX_CHUNK];
	struct tsm_hdr r = hdr(handle, len);

	r.flags = flags;
	ASSERT_LE_INT(len, TSM_MAX_CHUNK);
	memcpy(buf, &r, sizeof(r));
	if (len) {
		memcpy(buf + sizeof(r), data, len);
	}
	return sut_call(ta, cmd, buf, sizeof(r) + len, NULL, 0, NULL);
}

TEE_Result sut_write(const struct core_ta_identity *ta, uint32_t handle, const void *data,
		     size_t len)
{
	return write_flags(ta, TSM_CMD_WRITE, handle, 0, data, len);
}

TEE_Result sut_stage(const struct core_ta_identity *ta, const void *data, size_t len)
{
	return write_flags(ta, TSM_CMD_STAGE, 0, 0, data, len);
}

TEE_Result sut_write_staged(const struct core_ta_identity *ta, uint32_t handle, const void *data,
			    size_t len)
{
	return write_flags(ta, TSM_CMD_WRITE, handle, TSM_F_STAGED, data, len);
}

TEE_Result sut_seek(const struct core_ta_identity *ta, uint32_t handle, int64_t off,
		    uint32_t whence, uint64_t *pos)
{
	struct tsm_seek_req r = { .hdr = hdr(handle, 0), .offset = off, .whence = whence };
	struct tsm_seek_rsp s = { 0 };
	size_t rl = 0;
	TEE_Result res = sut_call(ta, TSM_CMD_SEEK, &r, sizeof(r), &s, sizeof(s), &rl);

	if (res == TEE_SUCCESS) {
		ASSERT_EQ_INT(rl, sizeof(s));
		if (pos) {
			*pos = s.position;
		}
	}
	return res;
}

TEE_Result sut_truncate(const struct core_ta_identity *ta, uint32_t handle, uint64_t size)
{
	struct tsm_trunc_req r = { .hdr = hdr(handle, 0), .size = size };

	return sut_call(ta, TSM_CMD_TRUNCATE, &r, sizeof(r), NULL, 0, NULL);
}

TEE_Result sut_rename(const struct core_ta_identity *ta, uint32_t handle, const char *id)
{
	struct tsm_rename_req r = { .hdr = hdr(handle, 0) };

	set_id(&r.id, id);
	return sut_call(ta, TSM_CMD_RENAME, &r, sizeof(r), NULL, 0, NULL);
}

TEE_Result sut_info(const struct core_ta_identity *ta, uint32_t handle, struct tsm_obj_rsp *o)
{
	struct tsm_hdr r = hdr(handle, 0);
	size_t rl = 0;
	TEE_Result res = sut_call(ta, TSM_CMD_INFO, &r, sizeof(r), o, sizeof(*o), &rl);

	if (res == TEE_SUCCESS) {
		ASSERT_EQ_INT(rl, sizeof(*o));
		ASSERT_EQ_INT(o->handle, handle);
	}
	return res;
}
