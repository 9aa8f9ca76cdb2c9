/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Key objects in the core's storage: a persistent object created from a key (GP
 * TEE_CreatePersistentObject with a key object as attributes) keeps the key's
 * attributes in front of its data, in the same sealed file (storage_file.c, object file
 * version 2). The TA host serializes the attributes (tee/ta_host/crypto_obj.c) into a
 * blob the core stores and hands back on OPEN without interpreting it: key material is
 * the TA's business. What the core does read is a 16-byte description it writes itself,
 * so that INFO and enumerators answer without the TA host:
 *
 *    0               4               8                  12         16
 *   +---------------+---------------+------------------+----------+---------------+
 *   | usage (u32)   | object size   | max object size  | 0 (u32)  | blob (1..16K) |
 *   +---------------+---------------+------------------+----------+---------------+
 *
 * (little-endian; the whole section is the file's "meta len" bytes). A section that does
 * not have this shape is corrupt (-EBADMSG), checked here after every load.
 */
#include <errno.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "storage_file_priv.h" /* the little-endian helpers */
#include "storage_priv.h"

static_assert(SF_META_MAX == KEYOBJ_DESC_LEN + TSM_MAX_ATTR_LEN, "section bound");

static bool section_ok(const uint8_t *data, size_t meta_len, size_t len)
{
	if (meta_len == 0) {
		return true; /* a data object */
	}
	return meta_len > KEYOBJ_DESC_LEN && meta_len <= SF_META_MAX && meta_len <= len &&
	       storage__get_le32(data + 12) == 0;
}

int storage__obj_read(struct sf_ta *ta, const uint8_t *id, size_t id_len, uint32_t *type,
		      size_t *meta_len, uint8_t **data, size_t *len, struct sf_sig *sig)
{
	int rc = storage__obj_load(ta, id, id_len, type, meta_len, data, len, sig);

	if (rc == 0 && !section_ok(*data, *meta_len, *len)) {
		free(*data);
		*data = NULL;
		rc = -EBADMSG;
	}
	return rc;
}

void storage__key_info(const struct node *n, struct tsm_key_info *k)
{
	if (n->meta_len == 0) {
		*k = (struct tsm_key_info){ .object_usage = TEE_USAGE_DEFAULT };
		return;
	}
	*k = (struct tsm_key_info){ .object_usage = storage__get_le32(n->data),
				    .object_size = storage__get_le32(n->data + 4),
				    .max_object_size = storage__get_le32(n->data + 8),
				    .attr_len = (uint32_t)(n->meta_len - KEYOBJ_DESC_LEN) };
}

const uint8_t *storage__node_data(const struct node *n)
{
	return n->data + n->meta_len;
}

size_t storage__node_data_len(const struct node *n)
{
	return n->len - n->meta_len;
}

int storage__key_req_check(uint32_t object_type, const struct tsm_key_info *k)
{
	if (k->attr_len == 0) {
		/* a data object (TEE_TYPE_DATA): nothing else to keep, all fields 0 */
		return object_type == 0 && k->object_usage == 0 && k->object_size == 0 &&
				       k->max_object_size == 0
			       ? 0
			       : -EINVAL;
	}
	return k->attr_len <= TSM_MAX_ATTR_LEN && object_type != 0 ? 0 : -EINVAL;
}

int storage__key_section(const struct req *r, uint8_t **buf, size_t *len, size_t *meta_len)
{
	uint8_t *plain = NULL;

	*meta_len = 0;
	if (r->key.attr_len == 0) {
		return 0;
	}
	if (*len < r->key.attr_len) {
		free(*buf);
		*buf = NULL;
		return -EINVAL; /* the blob is longer than what came */
	}
	plain = malloc(KEYOBJ_DESC_LEN + *len + 1);
	if (!plain) {
		free(*buf);
		*buf = NULL;
		return -ENOMEM;
	}
	storage__put_le32(plain, r->key.object_usage);
	storage__put_le32(plain + 4, r->key.object_size);
	storage__put_le32(plain + 8, r->key.max_object_size);
	storage__put_le32(plain + 12, 0);
	memcpy(plain + KEYOBJ_DESC_LEN, *buf, *len);
	OPENSSL_cleanse(*buf, *len); /* key material: one copy is enough */
	free(*buf);
	*buf = plain;
	*len += KEYOBJ_DESC_LEN;
	*meta_len = KEYOBJ_DESC_LEN + r->key.attr_len;
	return 0;
}
