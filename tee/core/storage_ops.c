/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * GP semantics of each storage command, acting on requests already decoded and validated
 * by storage.c. Every handler first makes sure the object's cached plaintext still
 * matches its file (storage__handle_prepare), and writes changes as a whole new file
 * before updating the cache, so a failed write leaves both untouched.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "storage_priv.h"

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

static void fill_info(const struct handle *h, struct tsm_obj_rsp *o)
{
	memset(o, 0, sizeof(*o));
	o->handle = h->hid;
	o->object_type = h->node->type;
	o->handle_flags = TEE_HANDLE_FLAG_PERSISTENT | TEE_HANDLE_FLAG_INITIALIZED | h->flags;
	o->data_size = storage__node_data_len(h->node);
	o->position = h->pos;
	storage__key_info(h->node, &o->key);
}

/* The object's description; with_blob (OPEN): its attribute blob after it. */
static int reply_info(struct ctx *c, const struct handle *h, bool with_blob)
{
	struct tsm_obj_rsp o;
	uint8_t *p = NULL;

	fill_info(h, &o);
	p = resp_reserve(c, sizeof(o) + (with_blob ? o.key.attr_len : 0));
	if (!p) {
		return -ENOBUFS;
	}
	memcpy(p, &o, sizeof(o));
	if (with_blob && o.key.attr_len) {
		memcpy(p + sizeof(o), h->node->data + KEYOBJ_DESC_LEN, o.key.attr_len);
	}
	return 0;
}

/* The data of a CREATE/WRITE: staged bytes (if asked for) followed by the inline ones,
 * at most the object size limit (+ a CREATE's attribute blob).
 * *buf is malloc'ed; the stage is consumed either way. */
static int take_data(struct ctx *c, const struct req *r, uint8_t **buf, size_t *len)
{
	size_t limit = TSM_MAX_OBJECT_SIZE + (r->cmd == TSM_CMD_CREATE ? r->key.attr_len : 0);
	struct stage *s = storage__find_stage(&c->storage->table, c->ta->instance_id);
	size_t staged = (s && (r->flags & TSM_F_STAGED)) ? s->len : 0;
	size_t total = 0;
	int rc = 0;

	*buf = NULL;
	*len = 0;
	if (__builtin_add_overflow(staged, r->data_len, &total) || total > limit) {
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
	storage__stage_drop(&c->storage->table, c->ta->instance_id);
	return rc;
}

/* What OPEN and CREATE check first: a storage we have, flags it knows, a free handle. */
static int open_allowed(struct ctx *c, const struct req *r, uint32_t known_flags)
{
	if (!storage_id_ok(r->storage_id)) {
		return -ENOENT;
	}
	if (r->data_flags & ~known_flags) {
		return -EINVAL;
	}
	if (storage__instance_full(&c->storage->table, c->ta->instance_id)) {
		return -EMFILE;
	}
	return 0;
}

/*
 * The TA's handle on n, replied with the object's description (with_blob: OPEN). The
 * caller's reference on n is dropped either way; the handle holds its own.
 */
static int reply_handle(struct ctx *c, const struct req *r, struct node *n, bool with_blob)
{
	struct handle *h = NULL;
	int rc = 0;

	n->refs++; /* held while we finish; handle_new takes its own reference */
	h = storage__handle_new(c, n, r->data_flags);
	rc = h ? reply_info(c, h, with_blob) : -ENOMEM;
	if (rc < 0 && h) {
		storage__handle_free(&c->storage->table, h);
	}
	storage__node_unref(&c->storage->table, n);
	return rc;
}

/* ---- handlers: 0 or -errno ---- */

int storage__do_open(struct ctx *c, const struct req *r)
{
	struct sf_ta sta = { .dirfd = -1 };
	struct node *n = NULL;
	uint8_t *data = NULL;
	size_t len = 0;
	size_t meta_len = 0;
	uint32_t type = 0;
	struct sf_sig sig;
	int rc = open_allowed(c, r, DATA_ACCESS_FLAGS);

	if (rc < 0) {
		return rc;
	}
	rc = storage__ta_open(&c->storage->store, &sta, c->uuid, false);
	if (rc < 0) {
		return rc;
	}
	n = storage__find_node(&c->storage->table, c->uuid, r->id.bytes, r->id.len);
	if (n) {
		if (!storage__share_ok(&c->storage->table, n, r->data_flags)) {
			rc = -EBUSY;
			goto out;
		}
		rc = storage__node_refresh(&c->storage->table, n, &sta);
		if (rc < 0) {
			goto out;
		}
	} else {
		rc = storage__obj_read(&sta, r->id.bytes, r->id.len, &type, &meta_len, &data, &len,
				       &sig);
		if (rc < 0) {
			goto out;
		}
		if (!storage__cache_fits(&c->storage->table, len)) {
			free(data);
			rc = -ENOMEM;
			goto out;
		}
		n = storage__node_new(&c->storage->table, c->uuid, &r->id, type, meta_len, data,
				      len, &sig);
		if (!n) {
			free(data);
			rc = -ENOMEM;
			goto out;
		}
	}
	rc = reply_handle(c, r, n, true);
out:
	storage__ta_close(&sta);
	return rc;
}

int storage__do_create(struct ctx *c, const struct req *r)
{
	struct sf_ta sta = { .dirfd = -1 };
	struct node *n = NULL;
	uint8_t *data = NULL;
	size_t len = 0;
	size_t meta_len = 0;
	struct sf_sig sig;
	int rc = take_data(c, r, &data, &len);

	if (rc == 0) {
		rc = storage__key_section(r, &data, &len, &meta_len);
	}
	if (rc < 0) {
		return rc;
	}
	rc = open_allowed(c, r, DATA_ACCESS_FLAGS | TEE_DATA_FLAG_OVERWRITE);
	if (rc < 0) {
		goto out;
	}
	/* GP: creating over an object that is open (by anyone) is an access conflict. */
	if (storage__find_node(&c->storage->table, c->uuid, r->id.bytes, r->id.len)) {
		rc = -EBUSY;
		goto out;
	}
	if (!storage__cache_fits(&c->storage->table, len)) {
		rc = -ENOMEM;
		goto out;
	}
	rc = storage__ta_open(&c->storage->store, &sta, c->uuid, true);
	if (rc < 0) {
		goto out;
	}
	rc = storage__obj_store(&sta, r->id.bytes, r->id.len, r->object_type, meta_len, data, len,
				!(r->data_flags & TEE_DATA_FLAG_OVERWRITE), &sig);
	if (rc < 0) {
		goto out;
	}
	n = storage__node_new(&c->storage->table, c->uuid, &r->id, r->object_type, meta_len, data,
			      len, &sig);
	if (!n) {
		/* The object exists on disk now; the TA gets an error and can open it. */
		rc = -ENOMEM;
		goto out;
	}
	data = NULL;
	rc = reply_handle(c, r, n, false);
out:
	storage__ta_close(&sta);
	free(data);
	return rc;
}

int storage__do_read(struct ctx *c, struct handle *h, const struct req *r)
{
	struct sf_ta sta = { .dirfd = -1 };
	struct tsm_read_rsp rsp = { 0 };
	struct node *n = h->node;
	uint8_t *p = NULL;
	int rc = 0;

	if (!(h->flags & TEE_DATA_FLAG_ACCESS_READ)) {
		return -EACCES;
	}
	rc = storage__handle_prepare(c, h, &sta);
	if (rc < 0) {
		return rc;
	}
	if (h->pos < storage__node_data_len(n)) {
		uint64_t left = storage__node_data_len(n) - h->pos;

		rsp.count = left < r->size ? (uint32_t)left : r->size;
	}
	p = resp_reserve(c, sizeof(rsp) + rsp.count);
	if (!p) {
		rc = -ENOBUFS;
		goto out;
	}
	memcpy(p, &rsp, sizeof(rsp));
	if (rsp.count) {
		memcpy(p + sizeof(rsp), storage__node_data(n) + h->pos, rsp.count);
	}
	h->pos += rsp.count;
out:
	storage__ta_close(&sta);
	return rc;
}

/* Replaces the object's plaintext (its attribute section, unchanged, || the new data) by
 * new_data (taking ownership) on disk, then in cache. */
static int commit(struct ctx *c, struct sf_ta *sta, struct node *n, uint8_t *new_data,
		  size_t new_len)
{
	struct sf_sig sig;
	int rc = storage__obj_store(sta, n->id, n->id_len, n->type, n->meta_len, new_data, new_len,
				    false, &sig);

	if (rc < 0) {
		free(new_data);
		return rc;
	}
	storage__cache_adjust(&c->storage->table, n->len, new_len);
	free(n->data);
	n->data = new_data;
	n->len = new_len;
	n->sig = sig;
	return 0;
}

int storage__do_write(struct ctx *c, struct handle *h, const struct req *r)
{
	struct sf_ta sta = { .dirfd = -1 };
	struct node *n = h->node;
	uint8_t *in = NULL;
	uint8_t *out = NULL;
	size_t in_len = 0;
	uint64_t end = 0;
	size_t new_len = 0;
	size_t old_len = 0;
	int rc = take_data(c, r, &in, &in_len);

	if (rc < 0) {
		return rc;
	}
	if (!(h->flags & TEE_DATA_FLAG_ACCESS_WRITE)) {
		rc = -EACCES;
		goto out;
	}
	if (__builtin_add_overflow(h->pos, (uint64_t)in_len, &end) || end > TEE_DATA_MAX_POSITION) {
		rc = -EOVERFLOW;
		goto out;
	}
	if (in_len == 0) {
		goto out;
	}
	rc = storage__handle_prepare(c, h, &sta);
	if (rc < 0) {
		goto out;
	}
	old_len = storage__node_data_len(n);
	new_len = end > old_len ? (size_t)end : old_len;
	if (new_len > TSM_MAX_OBJECT_SIZE ||
	    !storage__cache_fits(&c->storage->table, new_len - old_len)) {
		rc = -ENOSPC;
		goto out;
	}
	out = malloc(n->meta_len + new_len + 1);
	if (!out) {
		rc = -ENOMEM;
		goto out;
	}
	memcpy(out, n->data, n->len);
	if (h->pos > old_len) {
		/* GP: gap reads as zeros */
		memset(out + n->len, 0, (size_t)h->pos - old_len);
	}
	memcpy(out + n->meta_len + h->pos, in, in_len);
	rc = commit(c, &sta, n, out, n->meta_len + new_len);
	if (rc == 0) {
		h->pos = end;
	}
out:
	storage__ta_close(&sta);
	free(in);
	return rc;
}

int storage__do_truncate(struct ctx *c, struct handle *h, const struct req *r)
{
	struct sf_ta sta = { .dirfd = -1 };
	struct node *n = h->node;
	uint8_t *out = NULL;
	size_t new_len = 0;
	size_t old_len = 0;
	int rc = 0;

	if (!(h->flags & TEE_DATA_FLAG_ACCESS_WRITE)) {
		return -EACCES;
	}
	if (r->trunc_size > TSM_MAX_OBJECT_SIZE) {
		return -ENOSPC;
	}
	new_len = (size_t)r->trunc_size;
	rc = storage__handle_prepare(c, h, &sta);
	if (rc < 0) {
		return rc;
	}
	old_len = storage__node_data_len(n);
	if (new_len > old_len && !storage__cache_fits(&c->storage->table, new_len - old_len)) {
		rc = -ENOSPC;
		goto out;
	}
	out = malloc(n->meta_len + new_len + 1);
	if (!out) {
		rc = -ENOMEM;
		goto out;
	}
	memcpy(out, n->data, n->meta_len + (new_len < old_len ? new_len : old_len));
	if (new_len > old_len) {
		memset(out + n->len, 0, new_len - old_len);
	}
	rc = commit(c, &sta, n, out, n->meta_len + new_len);
out:
	storage__ta_close(&sta);
	return rc;
}

int storage__do_seek(struct ctx *c, struct handle *h, const struct req *r)
{
	struct sf_ta sta = { .dirfd = -1 };
	struct tsm_seek_rsp rsp = { 0 };
	int64_t base = 0;
	int64_t pos = 0;
	void *p = NULL;
	int rc = 0;

	if (r->whence != TEE_DATA_SEEK_SET && r->whence != TEE_DATA_SEEK_CUR &&
	    r->whence != TEE_DATA_SEEK_END) {
		return -EINVAL;
	}
	rc = storage__handle_prepare(c, h, &sta);
	if (rc < 0) {
		return rc;
	}
	storage__ta_close(&sta);
	if (r->whence == TEE_DATA_SEEK_CUR) {
		base = (int64_t)h->pos;
	} else if (r->whence == TEE_DATA_SEEK_END) {
		base = (int64_t)storage__node_data_len(h->node);
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

int storage__do_rename(struct ctx *c, struct handle *h, const struct req *r)
{
	struct sf_ta sta = { .dirfd = -1 };
	struct node *n = h->node;
	struct sf_sig sig;
	int rc = 0;

	if (!(h->flags & TEE_DATA_FLAG_ACCESS_WRITE_META)) {
		return -EACCES;
	}
	if (storage__find_node(&c->storage->table, c->uuid, r->id.bytes, r->id.len)) {
		return -EEXIST; /* includes renaming to its own id */
	}
	rc = storage__handle_prepare(c, h, &sta);
	if (rc < 0) {
		return rc;
	}
	rc = storage__obj_rename(&sta, n->id, n->id_len, r->id.bytes, r->id.len, n->type,
				 n->meta_len, n->data, n->len, &sig);
	if (rc == 0) {
		memcpy(n->id, r->id.bytes, r->id.len);
		n->id_len = r->id.len;
		n->sig = sig;
	}
	storage__ta_close(&sta);
	return rc;
}

int storage__do_delete(struct ctx *c, struct handle *h)
{
	struct sf_ta sta = { .dirfd = -1 };
	int rc = 0;

	if (!(h->flags & TEE_DATA_FLAG_ACCESS_WRITE_META)) {
		return -EACCES;
	}
	rc = storage__ta_open(&c->storage->store, &sta, c->uuid, false);
	if (rc == 0) {
		rc = storage__obj_remove(&sta, h->node->id, h->node->id_len);
		storage__ta_close(&sta);
	}
	if (rc < 0 && rc != -ENOENT) {
		return rc;
	}
	storage__handle_free(&c->storage->table, h);
	return 0;
}

int storage__do_stage(struct ctx *c, const struct req *r)
{
	struct stage *s = storage__find_stage(&c->storage->table, c->ta->instance_id);
	size_t total = 0;
	uint8_t *nb = NULL;

	if (!s) {
		s = calloc(1, sizeof(*s));
		if (!s) {
			return -ENOMEM;
		}
		s->instance_id = c->ta->instance_id;
		storage__stage_link(&c->storage->table, s);
	}
	/* the largest CREATE: an attribute blob and the largest data */
	if (__builtin_add_overflow(s->len, r->data_len, &total) ||
	    total > TSM_MAX_OBJECT_SIZE + TSM_MAX_ATTR_LEN ||
	    !storage__cache_fits(&c->storage->table, r->data_len)) {
		storage__stage_drop(&c->storage->table, c->ta->instance_id);
		return -ENOSPC;
	}
	nb = realloc(s->buf, total + 1);
	if (!nb) {
		storage__stage_drop(&c->storage->table, c->ta->instance_id);
		return -ENOMEM;
	}
	s->buf = nb;
	if (r->data_len) {
		memcpy(s->buf + s->len, r->data, r->data_len);
	}
	s->len = total;
	storage__cache_adjust(&c->storage->table, 0, r->data_len);
	return 0;
}

/* ---- enumerators ---- */

int storage__do_enum_alloc(struct ctx *c)
{
	struct tsm_obj_rsp o = { 0 };
	struct enumerator *e = NULL;
	void *p = resp_reserve(c, sizeof(o));

	if (!p) {
		return -ENOBUFS;
	}
	if (storage__instance_full(&c->storage->table, c->ta->instance_id)) {
		return -EMFILE;
	}
	e = calloc(1, sizeof(*e));
	if (!e) {
		return -ENOMEM;
	}
	e->instance_id = c->ta->instance_id;
	e->hid = storage__new_hid(&c->storage->table);
	storage__enum_link(&c->storage->table, e);
	o.handle = e->hid;
	memcpy(p, &o, sizeof(o));
	return 0;
}

void storage__enum_reset(struct enumerator *e)
{
	free(e->ids);
	e->ids = NULL;
	e->count = 0;
	e->at = 0;
	e->started = false;
}

int storage__do_enum_start(struct ctx *c, struct enumerator *e, const struct req *r)
{
	struct sf_ta sta = { .dirfd = -1 };
	int rc = 0;

	storage__enum_reset(e);
	if (!storage_id_ok(r->storage_id)) {
		return -ENOENT;
	}
	rc = storage__ta_open(&c->storage->store, &sta, c->uuid, false);
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

int storage__do_enum_next(struct ctx *c, struct enumerator *e)
{
	struct sf_ta sta = { .dirfd = -1 };
	struct tsm_enum_next_rsp rsp;
	void *p = resp_reserve(c, sizeof(rsp));
	int rc = -ENOENT;

	if (!p) {
		return -ENOBUFS;
	}
	if (!e->started) {
		return -ENOENT;
	}
	rc = storage__ta_open(&c->storage->store, &sta, e->uuid, false);
	if (rc < 0) {
		return rc;
	}
	rc = -ENOENT;
	while (e->at < e->count) {
		const struct sf_id *id = &e->ids[e->at++];
		struct node *n =
			storage__find_node(&c->storage->table, e->uuid, id->bytes, id->len);
		struct node loaded = { 0 };
		struct sf_sig sig;

		memset(&rsp, 0, sizeof(rsp));
		if (n) {
			rc = storage__node_refresh(&c->storage->table, n, &sta);
		} else {
			/* Authenticate before reporting: a planted file is not an object. */
			rc = storage__obj_read(&sta, id->bytes, id->len, &loaded.type,
					       &loaded.meta_len, &loaded.data, &loaded.len, &sig);
			n = &loaded;
		}
		if (rc == -ENOENT) {
			continue; /* deleted since the enumeration started */
		}
		if (rc == 0) {
			rsp.info.object_type = n->type;
			rsp.info.handle_flags =
				TEE_HANDLE_FLAG_PERSISTENT | TEE_HANDLE_FLAG_INITIALIZED;
			rsp.info.data_size = storage__node_data_len(n);
			storage__key_info(n, &rsp.info.key);
			rsp.id = (struct tsm_id){ .len = id->len };
			memcpy(rsp.id.bytes, id->bytes, id->len);
			memcpy(p, &rsp, sizeof(rsp));
		}
		free(loaded.data);
		break;
	}
	storage__ta_close(&sta);
	if (rc < 0) {
		c->resp_len = 0;
	}
	return rc;
}

int storage__do_info(struct ctx *c, struct handle *h)
{
	struct sf_ta sta = { .dirfd = -1 };
	int rc = storage__handle_prepare(c, h, &sta);

	if (rc < 0) {
		return rc;
	}
	storage__ta_close(&sta);
	return reply_info(c, h, false);
}
