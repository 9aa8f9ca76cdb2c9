/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The storage service's open-object table: one node per open object (shared by all its
 * handles, across all instances of the TA, so GP sharing rules can be checked), the
 * handles and enumerators of each TA instance, per-instance staged data, and the
 * core-wide accounting of the plaintext held in memory.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "storage_priv.h"

bool storage__cache_fits(struct storage_table *t, size_t add)
{
	return add <= TZM_STORAGE_CACHE_MAX && t->cached <= TZM_STORAGE_CACHE_MAX - add;
}

/* A request after decode_req(): the only form handlers see. */

void storage__cache_adjust(struct storage_table *t, size_t old_len, size_t new_len)
{
	t->cached = t->cached - old_len + new_len;
}

void storage__enum_link(struct storage_table *t, struct enumerator *e)
{
	e->next = t->enums;
	t->enums = e;
}

void storage__stage_link(struct storage_table *t, struct stage *s)
{
	s->next = t->stages;
	t->stages = s;
}

struct handle *storage__find_handle(const struct ctx *c, uint32_t hid)
{
	struct storage_table *t = &c->storage->table;
	for (struct handle *h = t->handles; h; h = h->next) {
		if (h->hid == hid && h->instance_id == c->ta->instance_id) {
			return h;
		}
	}
	return NULL;
}

struct enumerator *storage__find_enum(const struct ctx *c, uint32_t hid)
{
	struct storage_table *t = &c->storage->table;
	for (struct enumerator *e = t->enums; e; e = e->next) {
		if (e->hid == hid && e->instance_id == c->ta->instance_id) {
			return e;
		}
	}
	return NULL;
}

struct node *storage__find_node(struct storage_table *t, const uint8_t uuid[SF_UUID_LEN],
				const uint8_t *id, size_t len)
{
	for (struct node *n = t->nodes; n; n = n->next) {
		if (memcmp(n->uuid, uuid, SF_UUID_LEN) == 0 && n->id_len == len &&
		    memcmp(n->id, id, len) == 0) {
			return n;
		}
	}
	return NULL;
}

bool storage__instance_full(struct storage_table *t, uint64_t instance_id)
{
	unsigned int n = 0;

	for (struct handle *h = t->handles; h; h = h->next) {
		n += h->instance_id == instance_id;
	}
	for (struct enumerator *e = t->enums; e; e = e->next) {
		n += e->instance_id == instance_id;
	}
	return n >= MAX_HANDLES_PER_INSTANCE;
}

uint32_t storage__new_hid(struct storage_table *t)
{
	uint32_t hid = t->next_hid++;

	if (t->next_hid == 0) {
		t->next_hid = 1;
	}
	return hid;
}

void storage__node_unref(struct storage_table *t, struct node *n)
{
	if (--n->refs > 0) {
		return;
	}
	for (struct node **pp = &t->nodes; *pp; pp = &(*pp)->next) {
		if (*pp == n) {
			*pp = n->next;
			break;
		}
	}
	t->cached -= n->len;
	free(n->data);
	free(n);
}

void storage__handle_free(struct storage_table *t, struct handle *h)
{
	for (struct handle **pp = &t->handles; *pp; pp = &(*pp)->next) {
		if (*pp == h) {
			*pp = h->next;
			break;
		}
	}
	storage__node_unref(t, h->node);
	free(h);
}

void storage__enum_free(struct storage_table *t, struct enumerator *e)
{
	for (struct enumerator **pp = &t->enums; *pp; pp = &(*pp)->next) {
		if (*pp == e) {
			*pp = e->next;
			break;
		}
	}
	free(e->ids);
	free(e);
}

struct stage *storage__find_stage(struct storage_table *t, uint64_t instance_id)
{
	for (struct stage *s = t->stages; s; s = s->next) {
		if (s->instance_id == instance_id) {
			return s;
		}
	}
	return NULL;
}

void storage__stage_drop(struct storage_table *t, uint64_t instance_id)
{
	for (struct stage **pp = &t->stages; *pp; pp = &(*pp)->next) {
		struct stage *s = *pp;

		if (s->instance_id == instance_id) {
			*pp = s->next;
			t->cached -= s->len;
			free(s->buf);
			free(s);
			return;
		}
	}
}

/* Re-authenticates the object if its file changed since we last saw it. */
int storage__node_refresh(struct storage_table *t, struct node *n, struct sf_ta *sta)
{
	struct sf_sig sig;
	uint8_t *data = NULL;
	size_t len = 0;
	size_t meta_len = 0;
	uint32_t type = 0;
	int rc = storage__obj_stat(sta, n->id, n->id_len, &sig);

	if (rc == -ENOENT) {
		return -EBADMSG; /* removed behind our back while open */
	}
	if (rc < 0 || storage__sig_equal(&sig, &n->sig)) {
		return rc;
	}
	rc = storage__obj_read(sta, n->id, n->id_len, &type, &meta_len, &data, &len, &sig);
	if (rc < 0) {
		return rc == -ENOENT ? -EBADMSG : rc;
	}
	t->cached = t->cached - n->len + len;
	free(n->data);
	n->data = data;
	n->len = len;
	n->meta_len = meta_len;
	n->type = type;
	n->sig = sig;
	return 0;
}

/* Opens the TA directory and refreshes the handle's object. */
int storage__handle_prepare(struct ctx *c, struct handle *h, struct sf_ta *sta)
{
	struct storage_table *t = &c->storage->table;
	int rc = storage__ta_open(&c->storage->store, sta, c->uuid, false);

	if (rc < 0) {
		return rc == -ENOENT ? -EBADMSG : rc;
	}
	rc = storage__node_refresh(t, h->node, sta);
	if (rc < 0) {
		storage__ta_close(sta);
	}
	return rc;
}

bool storage__share_ok(struct storage_table *t, const struct node *n, uint32_t want)
{
	for (const struct handle *h = t->handles; h; h = h->next) {
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

struct handle *storage__handle_new(struct ctx *c, struct node *n, uint32_t flags)
{
	struct storage_table *t = &c->storage->table;
	struct handle *h = calloc(1, sizeof(*h));

	if (!h) {
		return NULL;
	}
	h->instance_id = c->ta->instance_id;
	h->hid = storage__new_hid(t);
	h->flags = flags & DATA_ACCESS_FLAGS;
	h->node = n;
	n->refs++;
	h->next = t->handles;
	t->handles = h;
	return h;
}

struct node *storage__node_new(struct storage_table *t, const uint8_t uuid[SF_UUID_LEN],
			       const struct sf_id *id, uint32_t type, size_t meta_len,
			       uint8_t *data, size_t len, const struct sf_sig *sig)
{
	struct node *n = calloc(1, sizeof(*n));

	if (!n) {
		return NULL;
	}
	memcpy(n->uuid, uuid, SF_UUID_LEN);
	memcpy(n->id, id->bytes, id->len);
	n->id_len = id->len;
	n->type = type;
	n->meta_len = meta_len;
	n->data = data;
	n->len = len;
	t->cached += len;
	n->sig = *sig;
	n->next = t->nodes;
	t->nodes = n;
	return n;
}

void storage__table_instance_gone(struct storage_table *t, uint64_t instance_id)
{
	struct handle **hp = &t->handles;
	struct enumerator **ep = &t->enums;

	while (*hp) {
		struct handle *h = *hp;

		if (h->instance_id == instance_id) {
			*hp = h->next;
			storage__node_unref(t, h->node);
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
	storage__stage_drop(t, instance_id);
}

void storage__table_free(struct storage_table *t)
{
	while (t->handles) {
		storage__table_instance_gone(t, t->handles->instance_id);
	}
	while (t->enums) {
		storage__table_instance_gone(t, t->enums->instance_id);
	}
	while (t->stages) {
		storage__table_instance_gone(t, t->stages->instance_id);
	}
}
