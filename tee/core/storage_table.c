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

static struct node *g_nodes;
static struct handle *g_handles;
static struct enumerator *g_enums;
static struct stage *g_stages;
static uint32_t g_next_hid = 1;
static size_t g_cached; /* bytes of node->data and stage buffers */

bool storage__cache_fits(size_t add)
{
	return add <= TZM_STORAGE_CACHE_MAX && g_cached <= TZM_STORAGE_CACHE_MAX - add;
}

/* A request after decode_req(): the only form handlers see. */

void storage__cache_adjust(size_t old_len, size_t new_len)
{
	g_cached = g_cached - old_len + new_len;
}

void storage__enum_link(struct enumerator *e)
{
	e->next = g_enums;
	g_enums = e;
}

void storage__stage_link(struct stage *s)
{
	s->next = g_stages;
	g_stages = s;
}

struct handle *storage__find_handle(const struct ctx *c, uint32_t hid)
{
	for (struct handle *h = g_handles; h; h = h->next) {
		if (h->hid == hid && h->instance_id == c->ta->instance_id) {
			return h;
		}
	}
	return NULL;
}

struct enumerator *storage__find_enum(const struct ctx *c, uint32_t hid)
{
	for (struct enumerator *e = g_enums; e; e = e->next) {
		if (e->hid == hid && e->instance_id == c->ta->instance_id) {
			return e;
		}
	}
	return NULL;
}

struct node *storage__find_node(const uint8_t uuid[SF_UUID_LEN], const uint8_t *id, size_t len)
{
	for (struct node *n = g_nodes; n; n = n->next) {
		if (memcmp(n->uuid, uuid, SF_UUID_LEN) == 0 && n->id_len == len &&
		    memcmp(n->id, id, len) == 0) {
			return n;
		}
	}
	return NULL;
}

bool storage__instance_full(uint64_t instance_id)
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

uint32_t storage__new_hid(void)
{
	uint32_t hid = g_next_hid++;

	if (g_next_hid == 0) {
		g_next_hid = 1;
	}
	return hid;
}

void storage__node_unref(struct node *n)
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

void storage__handle_free(struct handle *h)
{
	for (struct handle **pp = &g_handles; *pp; pp = &(*pp)->next) {
		if (*pp == h) {
			*pp = h->next;
			break;
		}
	}
	storage__node_unref(h->node);
	free(h);
}

void storage__enum_free(struct enumerator *e)
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

struct stage *storage__find_stage(uint64_t instance_id)
{
	for (struct stage *s = g_stages; s; s = s->next) {
		if (s->instance_id == instance_id) {
			return s;
		}
	}
	return NULL;
}

void storage__stage_drop(uint64_t instance_id)
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

/* Re-authenticates the object if its file changed since we last saw it. */
int storage__node_refresh(struct node *n, struct sf_ta *sta)
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
int storage__handle_prepare(struct ctx *c, struct handle *h, struct sf_ta *sta)
{
	int rc = storage__ta_open(sta, c->uuid, false);

	if (rc < 0) {
		return rc == -ENOENT ? -EBADMSG : rc;
	}
	rc = storage__node_refresh(h->node, sta);
	if (rc < 0) {
		storage__ta_close(sta);
	}
	return rc;
}

bool storage__share_ok(const struct node *n, uint32_t want)
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

struct handle *storage__handle_new(struct ctx *c, struct node *n, uint32_t flags)
{
	struct handle *h = calloc(1, sizeof(*h));

	if (!h) {
		return NULL;
	}
	h->instance_id = c->ta->instance_id;
	h->hid = storage__new_hid();
	h->flags = flags & DATA_ACCESS_FLAGS;
	h->node = n;
	n->refs++;
	h->next = g_handles;
	g_handles = h;
	return h;
}

struct node *storage__node_new(const uint8_t uuid[SF_UUID_LEN], const struct sf_id *id,
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

void storage__table_instance_gone(uint64_t instance_id)
{
	struct handle **hp = &g_handles;
	struct enumerator **ep = &g_enums;

	while (*hp) {
		struct handle *h = *hp;

		if (h->instance_id == instance_id) {
			*hp = h->next;
			storage__node_unref(h->node);
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
	storage__stage_drop(instance_id);
}
