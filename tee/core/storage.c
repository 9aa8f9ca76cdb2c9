/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Secure storage service of tzm-teed: GP persistent objects (TEE_STORAGE_PRIVATE) for TA
 * instances. Requests (tee/abi/tee_storage_msg.h) come from TA hosts, which are untrusted:
 * decode_req() is the only place that looks at request bytes; it copies the fixed part,
 * validates it whole, and the handlers act on the copy. Handles are core-issued numbers
 * scoped to the instance that opened them, so a forged or foreign handle is just "not
 * found". The open-object table lives here (not in the TA host) so that GP sharing rules
 * hold across handles of all instances of a TA.
 *
 * An open object ("node") caches its plaintext; every operation first checks that the
 * file is still the one we wrote or read (inode, size, mtime) and re-authenticates it
 * otherwise, so outside tampering is reported as CORRUPT_OBJECT at the next access.
 * Every change is written as a whole new file (storage_file.c: atomic replace).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <tee_api_defines.h>

#include "core_services.h"
#include "storage_file.h"
#include "tee_msg.h"
#include "tee_storage_msg.h"
#include "uuid.h"

/* Open handles + enumerators per instance; bounds the core memory a TA can pin. */
#define MAX_HANDLES_PER_INSTANCE 128u
/* Core-wide bound on cached plaintext + staged data, so TAs cannot exhaust the core's
 * memory by holding many large objects open. */
#ifndef TZM_STORAGE_CACHE_MAX
#define TZM_STORAGE_CACHE_MAX (256u * 1024u * 1024u)
#endif

#define DATA_ACCESS_FLAGS                                                                  \
	(TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_ACCESS_WRITE |                          \
	 TEE_DATA_FLAG_ACCESS_WRITE_META | TEE_DATA_FLAG_SHARE_READ |                      \
	 TEE_DATA_FLAG_SHARE_WRITE)

static_assert(TSM_ID_MAX == TEE_OBJECT_ID_MAX_LEN, "id limit is GP's");
static_assert(sizeof(struct tsm_read_rsp) + TSM_MAX_CHUNK <= TEE_MSG_MAX_PAYLOAD,
	      "read chunk fits a response");
static_assert(sizeof(struct tsm_create_req) + TSM_MAX_CHUNK <= TEE_MSG_MAX_PAYLOAD,
	      "write chunk fits a request");
static_assert(TSM_MAX_OBJECT_SIZE <= TEE_DATA_MAX_POSITION, "size limit below GP's");

struct node {
	struct node *next;
	uint8_t uuid[SF_UUID_LEN];
	uint8_t id[SF_ID_MAX];
	uint32_t id_len;
	uint32_t type;
	uint8_t *data; /* plaintext cache, never NULL */
	size_t len;
	struct sf_sig sig;
	unsigned int refs;
};

struct handle {
	struct handle *next;
	uint64_t instance_id;
	uint32_t hid;
	uint32_t flags; /* TEE_DATA_FLAG_* access and share bits */
	uint64_t pos;
	struct node *node;
};

struct enumerator {
	struct enumerator *next;
	uint64_t instance_id;
	uint32_t hid;
	uint8_t uuid[SF_UUID_LEN];
	bool started;
	struct sf_id *ids;
	size_t count;
	size_t at;
};

struct stage {
	struct stage *next;
	uint64_t instance_id;
	uint8_t *buf;
	size_t len;
};

static struct node *g_nodes;
static struct handle *g_handles;
static struct enumerator *g_enums;
static struct stage *g_stages;
static uint32_t g_next_hid = 1;
static size_t g_cached; /* bytes of node->data and stage buffers */

static bool cache_fits(size_t add)
{
	return add <= TZM_STORAGE_CACHE_MAX && g_cached <= TZM_STORAGE_CACHE_MAX - add;
}

/* A request after decode_req(): the only form handlers see. */
struct req {
	uint32_t cmd;
	uint16_t flags;
	uint32_t handle;
	uint32_t storage_id;
	uint32_t data_flags;
	uint32_t attr_handle;
	uint32_t size;
	int64_t offset;
	uint32_t whence;
	uint64_t trunc_size;
	struct sf_id id;
	const uint8_t *data;
	size_t data_len;
};

struct ctx {
	const struct core_ta_identity *ta;
	uint8_t uuid[SF_UUID_LEN];
	uint8_t *resp;
	size_t resp_cap;
	size_t resp_len;
};

/* ---- tables ---- */

static struct handle *find_handle(const struct ctx *c, uint32_t hid)
{
	for (struct handle *h = g_handles; h; h = h->next) {
		if (h->hid == hid && h->instance_id == c->ta->instance_id) {
			return h;
		}
	}
	return NULL;
}

static struct enumerator *find_enum(const struct ctx *c, uint32_t hid)
{
	for (struct enumerator *e = g_enums; e; e = e->next) {
		if (e->hid == hid && e->instance_id == c->ta->instance_id) {
			return e;
		}
	}
	return NULL;
}

static struct node *find_node(const uint8_t uuid[SF_UUID_LEN], const uint8_t *id, size_t len)
{
	for (struct node *n = g_nodes; n; n = n->next) {
		if (memcmp(n->uuid, uuid, SF_UUID_LEN) == 0 && n->id_len == len &&
		    memcmp(n->id, id, len) == 0) {
			return n;
		}
	}
	return NULL;
}

static bool instance_full(uint64_t instance_id)
{
	unsigned int n = 0;

	for (struct handle *h = g_handles; h; h = h->next) {
		n += h->instance_id == instance_id;
	}
	for (struct enumerator *e = g_enums; e; e = e->next) {
		n += e->instance_id == instance_id;
	}
	return n >= MAX_HANDLES_PER_INSTANCE;
}

static uint32_t new_hid(void)
{
	uint32_t hid = g_next_hid++;

	if (g_next_hid == 0) {
		g_next_hid = 1;
	}
	return hid;
}

static void node_unref(struct node *n)
{
	if (--n->refs > 0) {
		return;
	}
	for (struct node **pp = &g_nodes; *pp; pp = &(*pp)->next) {
		if (*pp == n) {
			*pp = n->next;
			break;
		}
	}
	g_cached -= n->len;
	free(n->data);
	free(n);
}

static void handle_free(struct handle *h)
{
	for (struct handle **pp = &g_handles; *pp; pp = &(*pp)->next) {
		if (*pp == h) {
			*pp = h->next;
			break;
		}
	}
	node_unref(h->node);
	free(h);
}

static void enum_free(struct enumerator *e)
{
	for (struct enumerator **pp = &g_enums; *pp; pp = &(*pp)->next) {
		if (*pp == e) {
			*pp = e->next;
			break;
		}
	}
	free(e->ids);
	free(e);
}

static struct stage *find_stage(uint64_t instance_id)
{
	for (struct stage *s = g_stages; s; s = s->next) {
		if (s->instance_id == instance_id) {
			return s;
		}
	}
	return NULL;
}

static void stage_drop(uint64_t instance_id)
{
	for (struct stage **pp = &g_stages; *pp; pp = &(*pp)->next) {
		struct stage *s = *pp;

		if (s->instance_id == instance_id) {
			*pp = s->next;
			g_cached -= s->len;
			free(s->buf);
			free(s);
			return;
		}
	}
}

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
		r->storage_id = u.create.storage_id;
		r->data_flags = u.create.flags;
		r->attr_handle = u.create.attr_handle;
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

/* ---- helpers for handlers ---- */

static bool storage_id_ok(uint32_t storage_id)
{
	/* OP-TEE's REE-FS storage is what TEE_STORAGE_PRIVATE means there; same here. */
	return storage_id == TEE_STORAGE_PRIVATE || storage_id == TEE_STORAGE_PRIVATE_REE;
}

static void *resp_reserve(struct ctx *c, size_t len)
{
	if (len > c->resp_cap) {
		return NULL;
	}
	c->resp_len = len;
	return c->resp;
}

/* Re-authenticates the object if its file changed since we last saw it. */
static int node_refresh(struct node *n, struct sf_ta *sta)
{
	struct sf_sig sig;
	uint8_t *data = NULL;
	size_t len = 0;
	uint32_t type = 0;
	int rc = storage__obj_stat(sta, n->id, n->id_len, &sig);

	if (rc == -ENOENT) {
		return -EBADMSG; /* removed behind our back while open */
	}
	if (rc < 0 || storage__sig_equal(&sig, &n->sig)) {
		return rc;
	}
	rc = storage__obj_load(sta, n->id, n->id_len, &type, &data, &len, &sig);
	if (rc < 0) {
		return rc == -ENOENT ? -EBADMSG : rc;
	}
	g_cached = g_cached - n->len + len;
	free(n->data);
	n->data = data;
	n->len = len;
	n->type = type;
	n->sig = sig;
	return 0;
}

/* Opens the TA directory and refreshes the handle's object. */
static int handle_prepare(struct ctx *c, struct handle *h, struct sf_ta *sta)
{
	int rc = storage__ta_open(sta, c->uuid, false);

	if (rc < 0) {
		return rc == -ENOENT ? -EBADMSG : rc;
	}
	rc = node_refresh(h->node, sta);
	if (rc < 0) {
		storage__ta_close(sta);
	}
	return rc;
}

static bool share_ok(const struct node *n, uint32_t want)
{
	for (const struct handle *h = g_handles; h; h = h->next) {
		uint32_t have = h->flags;

		if (h->node != n) {
			continue;
		}
		if ((have | want) & TEE_DATA_FLAG_ACCESS_WRITE_META) {
			return false;
		}
		if (((want & TEE_DATA_FLAG_ACCESS_READ) && !(have & TEE_DATA_FLAG_SHARE_READ)) ||
		    ((want & TEE_DATA_FLAG_ACCESS_WRITE) && !(have & TEE_DATA_FLAG_SHARE_WRITE)) ||
		    ((have & TEE_DATA_FLAG_ACCESS_READ) && !(want & TEE_DATA_FLAG_SHARE_READ)) ||
		    ((have & TEE_DATA_FLAG_ACCESS_WRITE) && !(want & TEE_DATA_FLAG_SHARE_WRITE))) {
			return false;
		}
	}
	return true;
}

static void fill_info(const struct handle *h, struct tsm_obj_rsp *o)
{
	memset(o, 0, sizeof(*o));
	o->handle = h->hid;
	o->object_type = h->node->type;
	o->object_usage = TEE_USAGE_DEFAULT;
	o->handle_flags = TEE_HANDLE_FLAG_PERSISTENT | TEE_HANDLE_FLAG_INITIALIZED | h->flags;
	o->data_size = h->node->len;
	o->position = h->pos;
}

static int reply_info(struct ctx *c, const struct handle *h)
{
	struct tsm_obj_rsp o;
	void *p = resp_reserve(c, sizeof(o));

	if (!p) {
		return -ENOBUFS;
	}
	fill_info(h, &o);
	memcpy(p, &o, sizeof(o));
	return 0;
}

static struct handle *handle_new(struct ctx *c, struct node *n, uint32_t flags)
{
	struct handle *h = calloc(1, sizeof(*h));

	if (!h) {
		return NULL;
	}
	h->instance_id = c->ta->instance_id;
	h->hid = new_hid();
	h->flags = flags & DATA_ACCESS_FLAGS;
	h->node = n;
	n->refs++;
	h->next = g_handles;
	g_handles = h;
	return h;
}

static struct node *node_new(const uint8_t uuid[SF_UUID_LEN], const struct sf_id *id,
			     uint32_t type, uint8_t *data, size_t len, const struct sf_sig *sig)
{
	struct node *n = calloc(1, sizeof(*n));

	if (!n) {
		return NULL;
	}
	memcpy(n->uuid, uuid, SF_UUID_LEN);
	memcpy(n->id, id->bytes, id->len);
	n->id_len = id->len;
	n->type = type;
	n->data = data;
	n->len = len;
	g_cached += len;
	n->sig = *sig;
	n->next = g_nodes;
	g_nodes = n;
	return n;
}

/* The data of a CREATE/WRITE: staged bytes (if asked for) followed by the inline ones.
 * *buf is malloc'ed; the stage is consumed either way. */
static int take_data(struct ctx *c, const struct req *r, uint8_t **buf, size_t *len)
{
	struct stage *s = find_stage(c->ta->instance_id);
	size_t staged = (s && (r->flags & TSM_F_STAGED)) ? s->len : 0;
	size_t total = 0;
	int rc = 0;

	*buf = NULL;
	*len = 0;
	if (__builtin_add_overflow(staged, r->data_len, &total) || total > TSM_MAX_OBJECT_SIZE) {
		rc = -ENOSPC;
		goto out;
	}
	*buf = malloc(total + 1);
	if (!*buf) {
		rc = -ENOMEM;
		goto out;
	}
	if (staged) {
		memcpy(*buf, s->buf, staged);
	}
	if (r->data_len) {
		memcpy(*buf + staged, r->data, r->data_len);
	}
	*len = total;
out:
	stage_drop(c->ta->instance_id);
	return rc;
}

/* ---- handlers: 0 or -errno ---- */

static int do_open(struct ctx *c, const struct req *r)
{
	struct sf_ta sta = {.dirfd = -1};
	struct node *n = NULL;
	struct handle *h = NULL;
	uint8_t *data = NULL;
	size_t len = 0;
	uint32_t type = 0;
	struct sf_sig sig;
	int rc = 0;

	if (!storage_id_ok(r->storage_id)) {
		return -ENOENT;
	}
	if (r->data_flags & ~DATA_ACCESS_FLAGS) {
		return -EINVAL;
	}
	if (instance_full(c->ta->instance_id)) {
		return -EMFILE;
	}
	rc = storage__ta_open(&sta, c->uuid, false);
	if (rc < 0) {
		return rc;
	}
	n = find_node(c->uuid, r->id.bytes, r->id.len);
	if (n) {
		if (!share_ok(n, r->data_flags)) {
			rc = -EBUSY;
			goto out;
		}
		rc = node_refresh(n, &sta);
		if (rc < 0) {
			goto out;
		}
	} else {
		rc = storage__obj_load(&sta, r->id.bytes, r->id.len, &type, &data, &len, &sig);
		if (rc < 0) {
			goto out;
		}
		if (!cache_fits(len)) {
			free(data);
			rc = -ENOMEM;
			goto out;
		}
		n = node_new(c->uuid, &r->id, type, data, len, &sig);
		if (!n) {
			free(data);
			rc = -ENOMEM;
			goto out;
		}
	}
	n->refs++; /* held while we finish; handle_new takes its own reference */
	h = handle_new(c, n, r->data_flags);
	rc = h ? reply_info(c, h) : -ENOMEM;
	if (rc < 0 && h) {
		handle_free(h);
	}
	node_unref(n);
out:
	storage__ta_close(&sta);
	return rc;
}

static int do_create(struct ctx *c, const struct req *r)
{
	struct sf_ta sta = {.dirfd = -1};
	struct node *n = NULL;
	struct handle *h = NULL;
	uint8_t *data = NULL;
	size_t len = 0;
	uint32_t type = TEE_TYPE_DATA;
	struct sf_sig sig;
	int rc = take_data(c, r, &data, &len);

	if (rc < 0) {
		return rc;
	}
	if (!storage_id_ok(r->storage_id)) {
		rc = -ENOENT;
		goto out;
	}
	if (r->data_flags & ~(DATA_ACCESS_FLAGS | TEE_DATA_FLAG_OVERWRITE)) {
		rc = -EINVAL;
		goto out;
	}
	if (r->attr_handle != 0) {
		struct handle *a = find_handle(c, r->attr_handle);

		if (!a) {
			rc = -EBADF;
			goto out;
		}
		type = a->node->type;
	}
	if (instance_full(c->ta->instance_id)) {
		rc = -EMFILE;
		goto out;
	}
	/* GP: creating over an object that is open (by anyone) is an access conflict. */
	if (find_node(c->uuid, r->id.bytes, r->id.len)) {
		rc = -EBUSY;
		goto out;
	}
	if (!cache_fits(len)) {
		rc = -ENOMEM;
		goto out;
	}
	rc = storage__ta_open(&sta, c->uuid, true);
	if (rc < 0) {
		goto out;
	}
	rc = storage__obj_store(&sta, r->id.bytes, r->id.len, type, data, len,
				!(r->data_flags & TEE_DATA_FLAG_OVERWRITE), &sig);
	if (rc < 0) {
		goto out;
	}
	n = node_new(c->uuid, &r->id, type, data, len, &sig);
	if (!n) {
		/* The object exists on disk now; the TA gets an error and can open it. */
		rc = -ENOMEM;
		goto out;
	}
	data = NULL;
	n->refs++;
	h = handle_new(c, n, r->data_flags);
	rc = h ? reply_info(c, h) : -ENOMEM;
	if (rc < 0 && h) {
		handle_free(h);
	}
	node_unref(n);
out:
	storage__ta_close(&sta);
	free(data);
	return rc;
}

static int do_read(struct ctx *c, struct handle *h, const struct req *r)
{
	struct sf_ta sta = {.dirfd = -1};
	struct tsm_read_rsp rsp = {0};
	struct node *n = h->node;
	uint8_t *p = NULL;
	int rc = 0;

	if (!(h->flags & TEE_DATA_FLAG_ACCESS_READ)) {
		return -EACCES;
	}
	rc = handle_prepare(c, h, &sta);
	if (rc < 0) {
		return rc;
	}
	if (h->pos < n->len) {
		uint64_t left = n->len - h->pos;

		rsp.count = left < r->size ? (uint32_t)left : r->size;
	}
	p = resp_reserve(c, sizeof(rsp) + rsp.count);
	if (!p) {
		rc = -ENOBUFS;
		goto out;
	}
	memcpy(p, &rsp, sizeof(rsp));
	if (rsp.count) {
		memcpy(p + sizeof(rsp), n->data + h->pos, rsp.count);
	}
	h->pos += rsp.count;
out:
	storage__ta_close(&sta);
	return rc;
}

/* Replaces the object's content by new_data (taking ownership) on disk, then in cache. */
static int commit(struct sf_ta *sta, struct node *n, uint8_t *new_data, size_t new_len)
{
	struct sf_sig sig;
	int rc = storage__obj_store(sta, n->id, n->id_len, n->type, new_data, new_len, false,
				    &sig);

	if (rc < 0) {
		free(new_data);
		return rc;
	}
	g_cached = g_cached - n->len + new_len;
	free(n->data);
	n->data = new_data;
	n->len = new_len;
	n->sig = sig;
	return 0;
}

static int do_write(struct ctx *c, struct handle *h, const struct req *r)
{
	struct sf_ta sta = {.dirfd = -1};
	struct node *n = h->node;
	uint8_t *in = NULL;
	uint8_t *out = NULL;
	size_t in_len = 0;
	uint64_t end = 0;
	size_t new_len = 0;
	int rc = take_data(c, r, &in, &in_len);

	if (rc < 0) {
		return rc;
	}
	if (!(h->flags & TEE_DATA_FLAG_ACCESS_WRITE)) {
		rc = -EACCES;
		goto out;
	}
	if (__builtin_add_overflow(h->pos, (uint64_t)in_len, &end) ||
	    end > TEE_DATA_MAX_POSITION) {
		rc = -EOVERFLOW;
		goto out;
	}
	if (in_len == 0) {
		goto out;
	}
	rc = handle_prepare(c, h, &sta);
	if (rc < 0) {
		goto out;
	}
	new_len = end > n->len ? (size_t)end : n->len;
	if (new_len > TSM_MAX_OBJECT_SIZE || !cache_fits(new_len - n->len)) {
		rc = -ENOSPC;
		goto out;
	}
	out = malloc(new_len + 1);
	if (!out) {
		rc = -ENOMEM;
		goto out;
	}
	memcpy(out, n->data, n->len);
	if (h->pos > n->len) {
		memset(out + n->len, 0, (size_t)h->pos - n->len); /* GP: gap reads as zeros */
	}
	memcpy(out + h->pos, in, in_len);
	rc = commit(&sta, n, out, new_len);
	if (rc == 0) {
		h->pos = end;
	}
out:
	storage__ta_close(&sta);
	free(in);
	return rc;
}

static int do_truncate(struct ctx *c, struct handle *h, const struct req *r)
{
	struct sf_ta sta = {.dirfd = -1};
	struct node *n = h->node;
	uint8_t *out = NULL;
	size_t new_len = 0;
	int rc = 0;

	if (!(h->flags & TEE_DATA_FLAG_ACCESS_WRITE)) {
		return -EACCES;
	}
	if (r->trunc_size > TSM_MAX_OBJECT_SIZE) {
		return -ENOSPC;
	}
	new_len = (size_t)r->trunc_size;
	rc = handle_prepare(c, h, &sta);
	if (rc < 0) {
		return rc;
	}
	if (new_len > n->len && !cache_fits(new_len - n->len)) {
		rc = -ENOSPC;
		goto out;
	}
	out = malloc(new_len + 1);
	if (!out) {
		rc = -ENOMEM;
		goto out;
	}
	memcpy(out, n->data, new_len < n->len ? new_len : n->len);
	if (new_len > n->len) {
		memset(out + n->len, 0, new_len - n->len);
	}
	rc = commit(&sta, n, out, new_len);
out:
	storage__ta_close(&sta);
	return rc;
}

static int do_seek(struct ctx *c, struct handle *h, const struct req *r)
{
	struct sf_ta sta = {.dirfd = -1};
	struct tsm_seek_rsp rsp = {0};
	int64_t base = 0;
	int64_t pos = 0;
	void *p = NULL;
	int rc = 0;

	if (r->whence != TEE_DATA_SEEK_SET && r->whence != TEE_DATA_SEEK_CUR &&
	    r->whence != TEE_DATA_SEEK_END) {
		return -EINVAL;
	}
	rc = handle_prepare(c, h, &sta);
	if (rc < 0) {
		return rc;
	}
	storage__ta_close(&sta);
	if (r->whence == TEE_DATA_SEEK_CUR) {
		base = (int64_t)h->pos;
	} else if (r->whence == TEE_DATA_SEEK_END) {
		base = (int64_t)h->node->len;
	}
	if (__builtin_add_overflow(base, r->offset, &pos)) {
		return r->offset > 0 ? -EOVERFLOW : -EINVAL;
	}
	if (pos < 0) {
		pos = 0; /* GP/OP-TEE: a negative result puts the position at 0 */
	}
	if (pos > (int64_t)TEE_DATA_MAX_POSITION) {
		return -EOVERFLOW;
	}
	p = resp_reserve(c, sizeof(rsp));
	if (!p) {
		return -ENOBUFS;
	}
	h->pos = (uint64_t)pos;
	rsp.position = h->pos;
	memcpy(p, &rsp, sizeof(rsp));
	return 0;
}

static int do_rename(struct ctx *c, struct handle *h, const struct req *r)
{
	struct sf_ta sta = {.dirfd = -1};
	struct node *n = h->node;
	struct sf_sig sig;
	int rc = 0;

	if (!(h->flags & TEE_DATA_FLAG_ACCESS_WRITE_META)) {
		return -EACCES;
	}
	if (find_node(c->uuid, r->id.bytes, r->id.len)) {
		return -EEXIST; /* includes renaming to its own id */
	}
	rc = handle_prepare(c, h, &sta);
	if (rc < 0) {
		return rc;
	}
	rc = storage__obj_rename(&sta, n->id, n->id_len, r->id.bytes, r->id.len, n->type,
				 n->data, n->len, &sig);
	if (rc == 0) {
		memcpy(n->id, r->id.bytes, r->id.len);
		n->id_len = r->id.len;
		n->sig = sig;
	}
	storage__ta_close(&sta);
	return rc;
}

static int do_delete(struct ctx *c, struct handle *h)
{
	struct sf_ta sta = {.dirfd = -1};
	int rc = 0;

	if (!(h->flags & TEE_DATA_FLAG_ACCESS_WRITE_META)) {
		return -EACCES;
	}
	rc = storage__ta_open(&sta, c->uuid, false);
	if (rc == 0) {
		rc = storage__obj_remove(&sta, h->node->id, h->node->id_len);
		storage__ta_close(&sta);
	}
	if (rc < 0 && rc != -ENOENT) {
		return rc;
	}
	handle_free(h);
	return 0;
}

static int do_stage(struct ctx *c, const struct req *r)
{
	struct stage *s = find_stage(c->ta->instance_id);
	size_t total = 0;
	uint8_t *nb = NULL;

	if (!s) {
		s = calloc(1, sizeof(*s));
		if (!s) {
			return -ENOMEM;
		}
		s->instance_id = c->ta->instance_id;
		s->next = g_stages;
		g_stages = s;
	}
	if (__builtin_add_overflow(s->len, r->data_len, &total) || total > TSM_MAX_OBJECT_SIZE ||
	    !cache_fits(r->data_len)) {
		stage_drop(c->ta->instance_id);
		return -ENOSPC;
	}
	nb = realloc(s->buf, total + 1);
	if (!nb) {
		stage_drop(c->ta->instance_id);
		return -ENOMEM;
	}
	s->buf = nb;
	if (r->data_len) {
		memcpy(s->buf + s->len, r->data, r->data_len);
	}
	s->len = total;
	g_cached += r->data_len;
	return 0;
}

/* ---- enumerators ---- */

static int do_enum_alloc(struct ctx *c)
{
	struct tsm_obj_rsp o = {0};
	struct enumerator *e = NULL;
	void *p = resp_reserve(c, sizeof(o));

	if (!p) {
		return -ENOBUFS;
	}
	if (instance_full(c->ta->instance_id)) {
		return -EMFILE;
	}
	e = calloc(1, sizeof(*e));
	if (!e) {
		return -ENOMEM;
	}
	e->instance_id = c->ta->instance_id;
	e->hid = new_hid();
	e->next = g_enums;
	g_enums = e;
	o.handle = e->hid;
	memcpy(p, &o, sizeof(o));
	return 0;
}

static void enum_reset(struct enumerator *e)
{
	free(e->ids);
	e->ids = NULL;
	e->count = 0;
	e->at = 0;
	e->started = false;
}

static int do_enum_start(struct ctx *c, struct enumerator *e, const struct req *r)
{
	struct sf_ta sta = {.dirfd = -1};
	int rc = 0;

	enum_reset(e);
	if (!storage_id_ok(r->storage_id)) {
		return -ENOENT;
	}
	rc = storage__ta_open(&sta, c->uuid, false);
	if (rc < 0) {
		return rc;
	}
	rc = storage__obj_list(&sta, &e->ids, &e->count);
	storage__ta_close(&sta);
	if (rc < 0) {
		return rc;
	}
	memcpy(e->uuid, c->uuid, SF_UUID_LEN);
	e->started = true;
	return e->count == 0 ? -ENOENT : 0; /* GP: no object in the storage */
}

static int do_enum_next(struct ctx *c, struct enumerator *e)
{
	struct sf_ta sta = {.dirfd = -1};
	struct tsm_enum_next_rsp rsp;
	void *p = resp_reserve(c, sizeof(rsp));
	int rc = -ENOENT;

	if (!p) {
		return -ENOBUFS;
	}
	if (!e->started) {
		return -ENOENT;
	}
	rc = storage__ta_open(&sta, e->uuid, false);
	if (rc < 0) {
		return rc;
	}
	rc = -ENOENT;
	while (e->at < e->count) {
		const struct sf_id *id = &e->ids[e->at++];
		struct node *n = find_node(e->uuid, id->bytes, id->len);
		uint8_t *data = NULL;
		size_t len = 0;
		uint32_t type = 0;
		struct sf_sig sig;

		memset(&rsp, 0, sizeof(rsp));
		if (n) {
			rc = node_refresh(n, &sta);
			type = n->type;
			len = n->len;
		} else {
			/* Authenticate before reporting: a planted file is not an object. */
			rc = storage__obj_load(&sta, id->bytes, id->len, &type, &data, &len, &sig);
			free(data);
		}
		if (rc == -ENOENT) {
			continue; /* deleted since the enumeration started */
		}
		if (rc == 0) {
			rsp.info.object_type = type;
			rsp.info.object_usage = TEE_USAGE_DEFAULT;
			rsp.info.handle_flags = TEE_HANDLE_FLAG_PERSISTENT |
						TEE_HANDLE_FLAG_INITIALIZED;
			rsp.info.data_size = len;
			rsp.id = (struct tsm_id){.len = id->len};
			memcpy(rsp.id.bytes, id->bytes, id->len);
			memcpy(p, &rsp, sizeof(rsp));
		}
		break;
	}
	storage__ta_close(&sta);
	if (rc < 0) {
		c->resp_len = 0;
	}
	return rc;
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
		return do_open(c, r);
	case TSM_CMD_CREATE:
		return do_create(c, r);
	case TSM_CMD_STAGE:
		return do_stage(c, r);
	case TSM_CMD_ENUM_ALLOC:
		return do_enum_alloc(c);
	case TSM_CMD_ENUM_FREE:
	case TSM_CMD_ENUM_RESET:
	case TSM_CMD_ENUM_START:
	case TSM_CMD_ENUM_NEXT:
		e = find_enum(c, r->handle);
		if (!e) {
			return -EBADF;
		}
		if (r->cmd == TSM_CMD_ENUM_FREE) {
			enum_free(e);
			return 0;
		}
		if (r->cmd == TSM_CMD_ENUM_RESET) {
			enum_reset(e);
			return 0;
		}
		return r->cmd == TSM_CMD_ENUM_START ? do_enum_start(c, e, r) : do_enum_next(c, e);
	default:
		break;
	}
	h = find_handle(c, r->handle);
	if (!h) {
		if (r->cmd == TSM_CMD_WRITE) {
			stage_drop(c->ta->instance_id);
		}
		return -EBADF;
	}
	switch (r->cmd) {
	case TSM_CMD_CLOSE:
		handle_free(h);
		return 0;
	case TSM_CMD_READ:
		return do_read(c, h, r);
	case TSM_CMD_WRITE:
		return do_write(c, h, r);
	case TSM_CMD_SEEK:
		return do_seek(c, h, r);
	case TSM_CMD_TRUNCATE:
		return do_truncate(c, h, r);
	case TSM_CMD_RENAME:
		return do_rename(c, h, r);
	case TSM_CMD_DELETE:
		return do_delete(c, h);
	case TSM_CMD_INFO: {
		struct sf_ta sta = {.dirfd = -1};
		int rc = handle_prepare(c, h, &sta);

		if (rc < 0) {
			return rc;
		}
		storage__ta_close(&sta);
		return reply_info(c, h);
	}
	default:
		return -ENOTSUP;
	}
}

TEE_Result core__storage_dispatch(const struct core_ta_identity *ta, uint32_t cmd,
				  const void *req, size_t req_len, void *resp,
				  size_t resp_cap, size_t *resp_len)
{
	struct ctx c = {.ta = ta, .resp = resp, .resp_cap = resp ? resp_cap : 0};
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

void core__storage_instance_gone(uint64_t instance_id)
{
	struct handle **hp = &g_handles;
	struct enumerator **ep = &g_enums;

	while (*hp) {
		struct handle *h = *hp;

		if (h->instance_id == instance_id) {
			*hp = h->next;
			node_unref(h->node);
			free(h);
		} else {
			hp = &h->next;
		}
	}
	while (*ep) {
		struct enumerator *e = *ep;

		if (e->instance_id == instance_id) {
			*ep = e->next;
			free(e->ids);
			free(e);
		} else {
			ep = &e->next;
		}
	}
	stage_drop(instance_id);
}

int core__storage_init(const char *state_dir)
{
	if (!state_dir || state_dir[0] == '\0') {
		return -EINVAL;
	}
	return storage__file_init(state_dir);
}
