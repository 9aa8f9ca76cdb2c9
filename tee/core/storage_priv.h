/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Internals of the core's secure storage service, shared by storage.c (request decoding
 * and dispatch), storage_ops.c (GP semantics of each command) and storage_table.c (the
 * open-object table: objects, handles, enumerators, staged data, cache accounting).
 * Functions return 0 or -errno.
 */
#ifndef TZM_STORAGE_PRIV_H
#define TZM_STORAGE_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tee_api_defines.h>

#include "core_services.h"
#include "storage_file.h"
#include "tee_storage_msg.h"

/* Open handles + enumerators per instance; bounds the core memory a TA can pin. */
#define MAX_HANDLES_PER_INSTANCE 128u
/* Core-wide bound on cached plaintext + staged data, so TAs cannot exhaust the core's
 * memory by holding many large objects open. */
#ifndef TZM_STORAGE_CACHE_MAX
#define TZM_STORAGE_CACHE_MAX (256u * 1024u * 1024u)
#endif

#define DATA_ACCESS_FLAGS                                                                          \
	(TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_ACCESS_WRITE |                                  \
	 TEE_DATA_FLAG_ACCESS_WRITE_META | TEE_DATA_FLAG_SHARE_READ | TEE_DATA_FLAG_SHARE_WRITE)

struct node {
	struct node *next;
	uint8_t uuid[SF_UUID_LEN];
	uint8_t id[SF_ID_MAX];
	uint32_t id_len;
	uint32_t type;
	uint8_t *data;   /* plaintext cache, never NULL: attribute section || object data */
	size_t len;      /* of both */
	size_t meta_len; /* attribute section bytes (storage_keyobj.c); 0: a data object */
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

struct req {
	uint32_t cmd;
	uint16_t flags;
	uint32_t handle;
	uint32_t storage_id;
	uint32_t data_flags;
	uint32_t object_type;
	struct tsm_key_info key;
	uint32_t size;
	int64_t offset;
	uint32_t whence;
	uint64_t trunc_size;
	struct sf_id id;
	const uint8_t *data;
	size_t data_len;
};

/* The open-object table (storage_table.c). */
struct storage_table {
	struct node *nodes;
	struct handle *handles;
	struct enumerator *enums;
	struct stage *stages;
	uint32_t next_hid;
	size_t cached; /* bytes of node->data and stage buffers */
};

/* The storage service's whole state (struct core owns one; see core_services.h). */
struct core_storage {
	struct storage_table table;
	struct sf_store store;
};

struct ctx {
	struct core_storage *storage;
	const struct core_ta_identity *ta;
	uint8_t uuid[SF_UUID_LEN];
	uint8_t *resp;
	size_t resp_cap;
	size_t resp_len;
};

/* ---- storage_table.c ---- */
bool storage__cache_fits(struct storage_table *t, size_t add);
/* Accounts a buffer of old_len bytes becoming new_len bytes (0: none). */
void storage__cache_adjust(struct storage_table *t, size_t old_len, size_t new_len);
struct handle *storage__find_handle(const struct ctx *c, uint32_t hid);
struct enumerator *storage__find_enum(const struct ctx *c, uint32_t hid);
struct node *storage__find_node(struct storage_table *t, const uint8_t uuid[SF_UUID_LEN],
				const uint8_t *id, size_t len);
bool storage__instance_full(struct storage_table *t, uint64_t instance_id);
uint32_t storage__new_hid(struct storage_table *t);
void storage__node_unref(struct storage_table *t, struct node *n);
void storage__handle_free(struct storage_table *t, struct handle *h);
void storage__enum_link(struct storage_table *t, struct enumerator *e);
void storage__enum_free(struct storage_table *t, struct enumerator *e);
struct stage *storage__find_stage(struct storage_table *t, uint64_t instance_id);
void storage__stage_link(struct storage_table *t, struct stage *s);
void storage__stage_drop(struct storage_table *t, uint64_t instance_id);
int storage__node_refresh(struct storage_table *t, struct node *n, struct sf_ta *sta);
int storage__handle_prepare(struct ctx *c, struct handle *h, struct sf_ta *sta);
bool storage__share_ok(struct storage_table *t, const struct node *n, uint32_t want);
struct handle *storage__handle_new(struct ctx *c, struct node *n, uint32_t flags);
struct node *storage__node_new(struct storage_table *t, const uint8_t uuid[SF_UUID_LEN],
			       const struct sf_id *id, uint32_t type, size_t meta_len,
			       uint8_t *data, size_t len, const struct sf_sig *sig);
void storage__table_instance_gone(struct storage_table *t, uint64_t instance_id);
/* Everything the table holds (the core is shutting down). */
void storage__table_free(struct storage_table *t);

/* ---- storage_keyobj.c: the attribute section of key objects ----
 * A key object's plaintext starts with a section the core writes: a 16-byte description
 * (usage, object size, max object size, 0; little-endian) and the TA host's attribute
 * blob, which the core stores and returns without looking inside. */
#define KEYOBJ_DESC_LEN 16u
/* storage__obj_load() plus the section's checks: a malformed section is -EBADMSG. */
int storage__obj_read(struct sf_ta *ta, const uint8_t *id, size_t id_len, uint32_t *type,
		      size_t *meta_len, uint8_t **data, size_t *len, struct sf_sig *sig);
/* What the object is besides its data (data objects: TEE_USAGE_DEFAULT, sizes 0). */
void storage__key_info(const struct node *n, struct tsm_key_info *k);
/* The object's data, after its attribute section. */
const uint8_t *storage__node_data(const struct node *n);
size_t storage__node_data_len(const struct node *n);
/* A CREATE's checks of its key fields (decode time; a data object has them all 0); 0 or
 * -EINVAL. */
int storage__key_req_check(uint32_t object_type, const struct tsm_key_info *k);
/* The plaintext of a new object from a CREATE's blob || data (consumed: *buf is replaced,
 * or freed on failure): description || blob || data. */
int storage__key_section(const struct req *r, uint8_t **buf, size_t *len, size_t *meta_len);

/* ---- storage_ops.c: one handler per command ---- */
int storage__do_open(struct ctx *c, const struct req *r);
int storage__do_create(struct ctx *c, const struct req *r);
int storage__do_read(struct ctx *c, struct handle *h, const struct req *r);
int storage__do_write(struct ctx *c, struct handle *h, const struct req *r);
int storage__do_truncate(struct ctx *c, struct handle *h, const struct req *r);
int storage__do_seek(struct ctx *c, struct handle *h, const struct req *r);
int storage__do_rename(struct ctx *c, struct handle *h, const struct req *r);
int storage__do_delete(struct ctx *c, struct handle *h);
int storage__do_info(struct ctx *c, struct handle *h);
int storage__do_stage(struct ctx *c, const struct req *r);
int storage__do_enum_alloc(struct ctx *c);
void storage__enum_reset(struct enumerator *e);
int storage__do_enum_start(struct ctx *c, struct enumerator *e, const struct req *r);
int storage__do_enum_next(struct ctx *c, struct enumerator *e);

#endif
