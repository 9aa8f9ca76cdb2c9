/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Secure storage service of tzm-teed: GP persistent objects (TEE_STORAGE_PRIVATE) for TA
 * instances. Requests (tee/abi/tee_storage_msg.h) come from TA hosts, which are untrusted:
 * decode_req() below is the only place that looks at request bytes; it copies the fixed
 * part, validates it whole, and the handlers (storage_ops.c) act on the copy. Handles are
 * core-issued numbers scoped to the instance that opened them, so a forged or foreign
 * handle is just "not found". The open-object table (storage_table.c) lives in the core,
 * not in the TA host, so that GP sharing rules hold across all instances of a TA.
 *
 * An open object ("node") caches its plaintext; every operation first checks that the
 * TA's directory (verified against the emulated RPMB) still names the same version and
 * that its file is the one we wrote or read (inode, size, mtime), and re-authenticates it
 * otherwise, so outside tampering or rollback is CORRUPT_OBJECT at the next access.
 * Every change is written as a new file version committed in the RPMB (storage_file.c).
 * Design, file format and threat model: STORAGE.md.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <tee_api_defines.h>

#include "storage_priv.h"
#include "tee_msg.h"
#include "uuid.h"

static_assert(TSM_ID_MAX == TEE_OBJECT_ID_MAX_LEN, "id limit is GP's");
static_assert(sizeof(struct tsm_read_rsp) + TSM_MAX_CHUNK <= TEE_MSG_MAX_PAYLOAD,
	      "read chunk fits a response");
static_assert(sizeof(struct tsm_create_req) + TSM_MAX_CHUNK <= TEE_MSG_MAX_PAYLOAD,
	      "write chunk fits a request");
static_assert(TSM_MAX_OBJECT_SIZE <= TEE_DATA_MAX_POSITION, "size limit below GP's");

/* ---- decoding: the single place that reads request bytes ---- */

static size_t fixed_size(uint32_t cmd)
{
	switch (cmd) {
	case TSM_CMD_OPEN:
		return sizeof(struct tsm_open_req);
	case TSM_CMD_CREATE:
		return sizeof(struct tsm_create_req);
	case TSM_CMD_READ:
		return sizeof(struct tsm_read_req);
	case TSM_CMD_SEEK:
		return sizeof(struct tsm_seek_req);
	case TSM_CMD_TRUNCATE:
		return sizeof(struct tsm_trunc_req);
	case TSM_CMD_RENAME:
		return sizeof(struct tsm_rename_req);
	case TSM_CMD_ENUM_START:
		return sizeof(struct tsm_enum_start_req);
	default:
		return sizeof(struct tsm_hdr);
	}
}

static bool cmd_has_data(uint32_t cmd)
{
	return cmd == TSM_CMD_CREATE || cmd == TSM_CMD_WRITE || cmd == TSM_CMD_STAGE;
}

static bool cmd_takes_handle(uint32_t cmd)
{
	return !(cmd == TSM_CMD_OPEN || cmd == TSM_CMD_CREATE || cmd == TSM_CMD_STAGE ||
		 cmd == TSM_CMD_ENUM_ALLOC);
}

static int copy_id(const struct tsm_id *in, struct sf_id *out)
{
	if (in->len > TSM_ID_MAX) {
		return -EINVAL;
	}
	out->len = in->len;
	memcpy(out->bytes, in->bytes, in->len);
	return 0;
}

static int decode_req(uint32_t cmd, const uint8_t *buf, size_t len, struct req *r)
{
	union {
		struct tsm_hdr hdr;
		struct tsm_open_req open;
		struct tsm_create_req create;
		struct tsm_read_req read;
		struct tsm_seek_req seek;
		struct tsm_trunc_req trunc;
		struct tsm_rename_req rename;
		struct tsm_enum_start_req start;
	} u;
	size_t fixed = 0;
	size_t total = 0;

	memset(&u, 0, sizeof(u));
	memset(r, 0, sizeof(*r));
	if (cmd < TSM_CMD_FIRST || cmd > TSM_CMD_LAST) {
		return -ENOTSUP;
	}
	fixed = fixed_size(cmd);
	if (!buf || len < fixed) {
		return -EINVAL;
	}
	memcpy(&u, buf, fixed);
	if (u.hdr.version != TSM_VERSION || u.hdr.reserved != 0) {
		return -EINVAL;
	}
	if (__builtin_add_overflow(fixed, (size_t)u.hdr.data_len, &total) || total != len) {
		return -EINVAL;
	}
	if (cmd_has_data(cmd) ? u.hdr.data_len > TSM_MAX_CHUNK : u.hdr.data_len != 0) {
		return -EINVAL;
	}
	if ((u.hdr.flags & ~TSM_F_STAGED) != 0 ||
	    (u.hdr.flags != 0 && cmd != TSM_CMD_CREATE && cmd != TSM_CMD_WRITE)) {
		return -EINVAL;
	}
	if (cmd_takes_handle(cmd) ? u.hdr.handle == 0 : u.hdr.handle != 0) {
		return -EINVAL;
	}
	r->cmd = cmd;
	r->flags = u.hdr.flags;
	r->handle = u.hdr.handle;
	r->data = u.hdr.data_len ? buf + fixed : NULL;
	r->data_len = u.hdr.data_len;
	switch (cmd) {
	case TSM_CMD_OPEN:
		r->storage_id = u.open.storage_id;
		r->data_flags = u.open.flags;
		return copy_id(&u.open.id, &r->id);
	case TSM_CMD_CREATE:
		if (u.create.reserved != 0) {
			return -EINVAL;
		}
		if (storage__key_req_check(u.create.object_type, &u.create.key) < 0) {
			return -EINVAL;
		}
		r->storage_id = u.create.storage_id;
		r->data_flags = u.create.flags;
		r->object_type = u.create.key.attr_len ? u.create.object_type : TEE_TYPE_DATA;
		r->key = u.create.key;
		return copy_id(&u.create.id, &r->id);
	case TSM_CMD_READ:
		if (u.read.reserved != 0 || u.read.size > TSM_MAX_CHUNK) {
			return -EINVAL;
		}
		r->size = u.read.size;
		return 0;
	case TSM_CMD_SEEK:
		if (u.seek.reserved != 0) {
			return -EINVAL;
		}
		r->offset = u.seek.offset;
		r->whence = u.seek.whence;
		return 0;
	case TSM_CMD_TRUNCATE:
		r->trunc_size = u.trunc.size;
		return 0;
	case TSM_CMD_RENAME:
		return copy_id(&u.rename.id, &r->id);
	case TSM_CMD_ENUM_START:
		if (u.start.reserved != 0) {
			return -EINVAL;
		}
		r->storage_id = u.start.storage_id;
		return 0;
	default:
		return 0;
	}
}

/* ---- entry points ---- */

static TEE_Result to_tee(int rc)
{
	switch (rc) {
	case 0:
		return TEE_SUCCESS;
	case -ENOENT:
		return TEE_ERROR_ITEM_NOT_FOUND;
	case -EEXIST:
	case -EBUSY:
	case -EACCES:
		return TEE_ERROR_ACCESS_CONFLICT;
	case -EBADMSG:
		return TEE_ERROR_CORRUPT_OBJECT;
	case -ENOSPC:
	case -EDQUOT:
	case -EFBIG:
		return TEE_ERROR_STORAGE_NO_SPACE;
	case -ENOMEM:
	case -EMFILE:
		return TEE_ERROR_OUT_OF_MEMORY;
	case -EINVAL:
	case -EBADF:
		return TEE_ERROR_BAD_PARAMETERS;
	case -EOVERFLOW:
		return TEE_ERROR_OVERFLOW;
	case -ENOTSUP:
		return TEE_ERROR_NOT_SUPPORTED;
	case -ENOBUFS:
		return TEE_ERROR_SHORT_BUFFER;
	default:
		return TEE_ERROR_STORAGE_NOT_AVAILABLE;
	}
}

static int dispatch(struct ctx *c, const struct req *r)
{
	struct handle *h = NULL;
	struct enumerator *e = NULL;

	switch (r->cmd) {
	case TSM_CMD_OPEN:
		return storage__do_open(c, r);
	case TSM_CMD_CREATE:
		return storage__do_create(c, r);
	case TSM_CMD_STAGE:
		return storage__do_stage(c, r);
	case TSM_CMD_ENUM_ALLOC:
		return storage__do_enum_alloc(c);
	case TSM_CMD_ENUM_FREE:
	case TSM_CMD_ENUM_RESET:
	case TSM_CMD_ENUM_START:
	case TSM_CMD_ENUM_NEXT:
		e = storage__find_enum(c, r->handle);
		if (!e) {
			return -EBADF;
		}
		if (r->cmd == TSM_CMD_ENUM_FREE) {
			storage__enum_free(&c->storage->table, e);
			return 0;
		}
		if (r->cmd == TSM_CMD_ENUM_RESET) {
			storage__enum_reset(e);
			return 0;
		}
		return r->cmd == TSM_CMD_ENUM_START ? storage__do_enum_start(c, e, r)
						    : storage__do_enum_next(c, e);
	default:
		break;
	}
	h = storage__find_handle(c, r->handle);
	if (!h) {
		if (r->cmd == TSM_CMD_WRITE) {
			storage__stage_drop(&c->storage->table, c->ta->instance_id);
		}
		return -EBADF;
	}
	switch (r->cmd) {
	case TSM_CMD_CLOSE:
		storage__handle_free(&c->storage->table, h);
		return 0;
	case TSM_CMD_READ:
		return storage__do_read(c, h, r);
	case TSM_CMD_WRITE:
		return storage__do_write(c, h, r);
	case TSM_CMD_SEEK:
		return storage__do_seek(c, h, r);
	case TSM_CMD_TRUNCATE:
		return storage__do_truncate(c, h, r);
	case TSM_CMD_RENAME:
		return storage__do_rename(c, h, r);
	case TSM_CMD_DELETE:
		return storage__do_delete(c, h);
	case TSM_CMD_INFO:
		return storage__do_info(c, h);
	default:
		return -ENOTSUP;
	}
}

struct core_storage *core__storage_new(void)
{
	struct core_storage *st = calloc(1, sizeof(*st));

	if (st) {
		st->table.next_hid = 1;
		st->store.state_fd = -1;
		st->store.root_fd = -1;
		st->store.rpmb.dirfd = -1;
	}
	return st;
}

void core__storage_free(struct core_storage *st)
{
	if (st) {
		storage__table_free(&st->table);
		storage__file_fini(&st->store);
		free(st);
	}
}

TEE_Result core__storage_dispatch(struct core_storage *st, const struct core_ta_identity *ta,
				  uint32_t cmd, const void *req, size_t req_len, void *resp,
				  size_t resp_cap, size_t *resp_len)
{
	struct ctx c = { .storage = st, .ta = ta, .resp = resp, .resp_cap = resp ? resp_cap : 0 };
	struct tzm__uuid u;
	struct req r;
	int rc = 0;

	if (resp_len) {
		*resp_len = 0;
	}
	if (!ta || !resp_len) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	static_assert(sizeof(u) == sizeof(ta->uuid), "TEE_UUID and tzm__uuid agree");
	memcpy(&u, &ta->uuid, sizeof(u));
	tzm__uuid_to_bytes(&u, c.uuid);
	rc = decode_req(cmd, req, req_len, &r);
	if (rc == 0) {
		rc = dispatch(&c, &r);
	}
	if (rc < 0) {
		c.resp_len = 0;
	}
	*resp_len = c.resp_len;
	return to_tee(rc);
}

void core__storage_instance_gone(struct core_storage *st, uint64_t instance_id)
{
	storage__table_instance_gone(&st->table, instance_id);
}

int core__storage_init(struct core_storage *st, const char *state_dir)
{
	if (!state_dir || state_dir[0] == '\0') {
		return -EINVAL;
	}
	return storage__file_init(&st->store, state_dir);
}
