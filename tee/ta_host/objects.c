/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TA side of GP persistent objects (Internal Core API 1.3.1 + the __GP11_ twins) in
 * tzm-ta-host. Each call becomes one or more requests to the core's storage service
 * (tee/abi/tee_storage_msg.h); the TA host never touches storage files itself.
 *
 * Handles given to the TA are pointers to small records kept in a list here, so a bogus
 * handle is recognised without dereferencing it and answered with TEE_Panic as GP
 * requires. Like OP-TEE's libutee, results that GP does not allow for a function are
 * programmer errors and panic; access-flag violations are detected here first so that
 * they panic rather than looking like a (legitimate) ACCESS_CONFLICT.
 *
 * Data beyond one message is staged: all but the last chunk go as STAGE requests and the
 * last WRITE/CREATE commits everything as one atomic update. Reads loop over chunks.
 *
 * Key objects: a persistent object created from a key keeps the key's attributes as a
 * blob (crypto_obj.c serializes them) that the core stores with the data; OPEN returns
 * it and the handle carries the decoded key, which operations and attribute getters use
 * like a transient object's.
 */
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <tee_internal_api.h>

#include "crypto.h"
#include "objects_time.h"
#include "ta_host_rpc.h"
#include "tee_msg.h"
#include "tee_storage_msg.h"

#define OBJ_MAGIC 0x4f424a50u  /* "OBJP" */
#define ENUM_MAGIC 0x454e554du /* "ENUM" */

struct pobj {
	uint32_t magic;
	uint32_t hid;           /* core handle */
	uint32_t flags;         /* TEE_DATA_FLAG_* access bits of this handle */
	struct crypto_obj *key; /* a key object's key (unlisted); NULL: a data object */
	struct pobj *next;
};

struct penum {
	uint32_t magic;
	uint32_t hid;
	struct penum *next;
};

static struct pobj *g_objs;
static struct penum *g_enums;

/* Only the TA thread calls in, so one request and one response buffer suffice. */
static uint8_t g_req[sizeof(struct tsm_create_req) + TSM_MAX_CHUNK];
static uint8_t g_resp[sizeof(struct tsm_read_rsp) + TSM_MAX_CHUNK];

static_assert(sizeof(g_req) <= TEE_MSG_MAX_PAYLOAD, "request fits a core call");
static_assert(sizeof(g_resp) <= TEE_MSG_MAX_PAYLOAD, "response fits a core call");
static_assert(sizeof(struct tsm_obj_rsp) + TSM_MAX_ATTR_LEN <= sizeof(g_resp),
	      "an OPEN answer with its blob fits");
static_assert(CRYPTO_MAX_BLOB == TSM_MAX_ATTR_LEN, "blob limits agree");

/*
 * The TA's persistent time (api_time.c) is one object of the TA's private storage under a
 * reserved ID; the TA's own calls neither see nor touch it (open: ITEM_NOT_FOUND, create
 * and rename onto it: ACCESS_CONFLICT, enumerators skip it). g_internal lets api_time.c
 * through for the duration of its own call.
 */
static const char g_time_id[] = "\0tzm.ta-persistent-time.v1";
static bool g_internal;

static bool reserved_id(const void *id, size_t len)
{
	return !g_internal && id && len == sizeof(g_time_id) - 1 && memcmp(id, g_time_id, len) == 0;
}

/*
 * Hooks for a transient-object implementation: TEE_CloseObject and TEE_GetObjectInfo1
 * take either kind of handle. The weak defaults say "not a transient object".
 */
__attribute__((weak)) bool ta_host__transient_close(TEE_ObjectHandle object);
__attribute__((weak)) bool ta_host__transient_info(TEE_ObjectHandle object, TEE_ObjectInfo *info);

bool ta_host__transient_close(TEE_ObjectHandle object)
{
	(void)object;
	return false;
}

bool ta_host__transient_info(TEE_ObjectHandle object, TEE_ObjectInfo *info)
{
	(void)object;
	(void)info;
	return false;
}

static struct pobj *find_obj(TEE_ObjectHandle object)
{
	for (struct pobj *o = g_objs; o; o = o->next) {
		if ((void *)o == (void *)object && o->magic == OBJ_MAGIC) {
			return o;
		}
	}
	return NULL;
}

bool ta_host__persistent_key(TEE_ObjectHandle object, struct crypto_obj **key)
{
	struct pobj *o = find_obj(object);

	*key = o ? o->key : NULL;
	return o != NULL;
}

static struct pobj *get_obj(TEE_ObjectHandle object)
{
	struct pobj *o = find_obj(object);

	if (!o) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	return o;
}

static void drop_obj(struct pobj *o)
{
	for (struct pobj **pp = &g_objs; *pp; pp = &(*pp)->next) {
		if (*pp == o) {
			*pp = o->next;
			break;
		}
	}
	o->magic = 0;
	crypto_obj_destroy(o->key);
	free(o);
}

static struct penum *get_enum(TEE_ObjectEnumHandle e)
{
	for (struct penum *p = g_enums; p; p = p->next) {
		if ((void *)p == (void *)e && p->magic == ENUM_MAGIC) {
			return p;
		}
	}
	TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
}

/* Panics unless res is one of the allowed results (a 0-terminated list after SUCCESS). */
static TEE_Result allow(TEE_Result res, const TEE_Result *ok, size_t n)
{
	if (res == TEE_SUCCESS) {
		return res;
	}
	for (size_t i = 0; i < n; i++) {
		if (res == ok[i]) {
			return res;
		}
	}
	TEE_Panic(res);
}
#define ALLOW(res, ...)                                                                            \
	allow((res), (const TEE_Result[]){ __VA_ARGS__ },                                          \
	      sizeof((const TEE_Result[]){ __VA_ARGS__ }) / sizeof(TEE_Result))

static struct tsm_hdr mkhdr(uint32_t handle, size_t data_len, uint16_t flags)
{
	return (struct tsm_hdr){ .version = TSM_VERSION,
				 .flags = flags,
				 .handle = handle,
				 .data_len = (uint32_t)data_len };
}

/* Sends fixed part + data; expects exactly want bytes back (SIZE_MAX: any, into g_resp). */
static TEE_Result call(uint32_t cmd, const void *fixed, size_t fixed_len, const void *data,
		       size_t data_len, size_t want, size_t *got)
{
	size_t rl = 0;
	TEE_Result res = TEE_SUCCESS;

	memcpy(g_req, fixed, fixed_len);
	if (data_len) {
		memcpy(g_req + fixed_len, data, data_len);
	}
	res = ta_host__core_call(cmd, g_req, fixed_len + data_len, g_resp, sizeof(g_resp), &rl);
	if (res == TEE_ERROR_SHORT_BUFFER) {
		return TEE_ERROR_COMMUNICATION; /* the core never answers that for storage */
	}
	if (res != TEE_SUCCESS) {
		return res;
	}
	if (want != SIZE_MAX && rl != want) {
		return TEE_ERROR_COMMUNICATION;
	}
	if (got) {
		*got = rl;
	}
	return TEE_SUCCESS;
}

static TEE_Result call_handle(uint32_t cmd, uint32_t hid)
{
	struct tsm_hdr h = mkhdr(hid, 0, 0);

	return call(cmd, &h, sizeof(h), NULL, 0, 0, NULL);
}

/* Sends all but the last chunk of data as STAGE requests; *tail = what is left. */
static TEE_Result stage(const uint8_t *data, size_t len, size_t *tail)
{
	while (len > TSM_MAX_CHUNK) {
		struct tsm_hdr h = mkhdr(0, TSM_MAX_CHUNK, 0);
		TEE_Result res = call(TSM_CMD_STAGE, &h, sizeof(h), data, TSM_MAX_CHUNK, 0, NULL);

		if (res != TEE_SUCCESS) {
			return res;
		}
		data += TSM_MAX_CHUNK;
		len -= TSM_MAX_CHUNK;
	}
	*tail = len;
	return TEE_SUCCESS;
}

static void set_id(struct tsm_id *id, const void *bytes, size_t len)
{
	if (len > TEE_OBJECT_ID_MAX_LEN || (!bytes && len)) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	id->len = (uint32_t)len;
	if (len) {
		memcpy(id->bytes, bytes, len);
	}
}

/* A handle for the object the core just opened (its answer in g_resp), holding key (taken
 * over; destroyed on failure). */
static TEE_Result new_obj(uint32_t flags, struct crypto_obj *key, TEE_ObjectHandle *object)
{
	struct tsm_obj_rsp rsp;
	struct pobj *o = calloc(1, sizeof(*o));

	memcpy(&rsp, g_resp, sizeof(rsp));
	if (!o) {
		call_handle(TSM_CMD_CLOSE, rsp.handle);
		crypto_obj_destroy(key);
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	o->magic = OBJ_MAGIC;
	o->hid = rsp.handle;
	o->flags = flags;
	o->key = key;
	o->next = g_objs;
	g_objs = o;
	*object = (TEE_ObjectHandle)o;
	return TEE_SUCCESS;
}

/* The key of the object OPEN answered for (g_resp, rl bytes: its description, then its
 * attribute blob); a key object whose blob does not decode is corrupt (handle closed). */
static TEE_Result open_key(size_t rl, struct crypto_obj **key)
{
	struct tsm_obj_rsp rsp;
	TEE_Result res = TEE_SUCCESS;

	*key = NULL;
	if (rl < sizeof(rsp)) {
		return TEE_ERROR_COMMUNICATION;
	}
	memcpy(&rsp, g_resp, sizeof(rsp));
	if (rsp.key.attr_len > TSM_MAX_ATTR_LEN || rl != sizeof(rsp) + rsp.key.attr_len) {
		res = TEE_ERROR_COMMUNICATION;
	} else if (rsp.key.attr_len) {
		res = crypto_obj_deserialize(rsp.object_type, rsp.key.object_usage,
					     rsp.key.object_size, rsp.key.max_object_size,
					     g_resp + sizeof(rsp), rsp.key.attr_len, key);
	}
	OPENSSL_cleanse(g_resp + sizeof(rsp), rl - sizeof(rsp));
	if (res != TEE_SUCCESS) {
		call_handle(TSM_CMD_CLOSE, rsp.handle);
	}
	return res;
}

TEE_Result TEE_OpenPersistentObject(uint32_t storageID, const void *objectID, size_t objectIDLen,
				    uint32_t flags, TEE_ObjectHandle *object)
{
	struct tsm_open_req r = { .hdr = mkhdr(0, 0, 0), .storage_id = storageID, .flags = flags };
	struct crypto_obj *key = NULL;
	size_t rl = 0;
	TEE_Result res = TEE_SUCCESS;

	if (!object) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	*object = TEE_HANDLE_NULL;
	set_id(&r.id, objectID, objectIDLen);
	if (reserved_id(objectID, objectIDLen)) {
		return TEE_ERROR_ITEM_NOT_FOUND;
	}
	res = call(TSM_CMD_OPEN, &r, sizeof(r), NULL, 0, SIZE_MAX, &rl);
	if (res == TEE_SUCCESS) {
		res = open_key(rl, &key);
	}
	if (res == TEE_SUCCESS) {
		res = new_obj(flags, key, object);
	}
	return ALLOW(res, TEE_ERROR_ITEM_NOT_FOUND, TEE_ERROR_ACCESS_CONFLICT,
		     TEE_ERROR_OUT_OF_MEMORY, TEE_ERROR_CORRUPT_OBJECT,
		     TEE_ERROR_STORAGE_NOT_AVAILABLE);
}

TEE_Result TEE_CreatePersistentObject(uint32_t storageID, const void *objectID, size_t objectIDLen,
				      uint32_t flags, TEE_ObjectHandle attributes,
				      const void *initialData, size_t initialDataLen,
				      TEE_ObjectHandle *object)
{
	struct tsm_create_req r = { .storage_id = storageID, .flags = flags };
	TEE_ObjectHandle tmp = TEE_HANDLE_NULL;
	const struct crypto_obj *src = NULL;
	struct crypto_obj *key = NULL;
	const uint8_t *content = initialData;
	uint8_t *combined = NULL;
	uint8_t *blob = NULL;
	size_t blob_len = 0;
	size_t total = initialDataLen;
	size_t tail = 0;
	TEE_Result res = TEE_SUCCESS;

	if (object) {
		*object = TEE_HANDLE_NULL;
	}
	if (!initialData && initialDataLen) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	set_id(&r.id, objectID, objectIDLen);
	if (reserved_id(objectID, objectIDLen)) {
		return TEE_ERROR_ACCESS_CONFLICT;
	}
	if (attributes != TEE_HANDLE_NULL) {
		bool is_object = false;

		/* A key object (transient or persistent) or a persistent data object. */
		src = crypto_obj_key(attributes, &is_object);
		if (!is_object || (src && !src->initialized)) {
			TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
		}
	}
	if (initialDataLen > TSM_MAX_OBJECT_SIZE) {
		res = TEE_ERROR_STORAGE_NO_SPACE;
		goto out;
	}
	if (src) {
		/* The blob goes first, in the same byte stream as the data. */
		key = crypto_obj_clone(src);
		res = key ? crypto_obj_serialize(src, &blob, &blob_len) : TEE_ERROR_OUT_OF_MEMORY;
		if (res != TEE_SUCCESS) {
			goto out;
		}
		total = blob_len + initialDataLen;
		combined = malloc(total);
		if (!combined) {
			res = TEE_ERROR_OUT_OF_MEMORY;
			goto out;
		}
		memcpy(combined, blob, blob_len);
		if (initialDataLen) {
			memcpy(combined + blob_len, initialData, initialDataLen);
		}
		content = combined;
		r.object_type = src->type;
		r.key = (struct tsm_key_info){ .object_usage = src->usage,
					       .object_size = src->key_size,
					       .max_object_size = src->max_size,
					       .attr_len = (uint32_t)blob_len };
	}
	res = stage(content, total, &tail);
	if (res != TEE_SUCCESS) {
		goto out;
	}
	r.hdr = mkhdr(0, tail, total > tail ? TSM_F_STAGED : 0);
	res = call(TSM_CMD_CREATE, &r, sizeof(r), tail ? content + (total - tail) : NULL, tail,
		   sizeof(struct tsm_obj_rsp), NULL);
	if (res == TEE_SUCCESS) {
		res = new_obj(flags & ~TEE_DATA_FLAG_OVERWRITE, key, &tmp);
		key = NULL;
	}
	if (res == TEE_SUCCESS) {
		if (object) {
			*object = tmp;
		} else {
			TEE_CloseObject(tmp); /* GP 1.3: object may be NULL */
		}
	}
out:
	crypto_obj_destroy(key);
	crypto_free_secret(blob, blob_len);
	crypto_free_secret(combined, combined ? total : 0);
	OPENSSL_cleanse(g_req, sizeof(g_req)); /* held the blob */
	return ALLOW(res, TEE_ERROR_ITEM_NOT_FOUND, TEE_ERROR_ACCESS_CONFLICT,
		     TEE_ERROR_OUT_OF_MEMORY, TEE_ERROR_STORAGE_NO_SPACE, TEE_ERROR_CORRUPT_OBJECT,
		     TEE_ERROR_STORAGE_NOT_AVAILABLE);
}

void TEE_CloseObject(TEE_ObjectHandle object)
{
	struct pobj *o = NULL;

	if (object == TEE_HANDLE_NULL || ta_host__transient_close(object)) {
		return;
	}
	o = get_obj(object);
	/* The core drops the handle whatever happens; nothing useful to report. */
	call_handle(TSM_CMD_CLOSE, o->hid);
	drop_obj(o);
}

TEE_Result TEE_CloseAndDeletePersistentObject1(TEE_ObjectHandle object)
{
	struct pobj *o = NULL;
	TEE_Result res = TEE_SUCCESS;

	if (object == TEE_HANDLE_NULL) {
		return TEE_SUCCESS;
	}
	o = get_obj(object);
	if (!(o->flags & TEE_DATA_FLAG_ACCESS_WRITE_META)) {
		TEE_Panic(TEE_ERROR_ACCESS_CONFLICT);
	}
	res = call_handle(TSM_CMD_DELETE, o->hid);
	if (res == TEE_SUCCESS) {
		drop_obj(o);
	}
	return ALLOW(res, TEE_ERROR_STORAGE_NOT_AVAILABLE);
}

void TEE_CloseAndDeletePersistentObject(TEE_ObjectHandle object)
{
	if (TEE_CloseAndDeletePersistentObject1(object) != TEE_SUCCESS) {
		TEE_CloseObject(object); /* the void variant always releases the handle */
	}
}

TEE_Result TEE_RenamePersistentObject(TEE_ObjectHandle object, const void *newObjectID,
				      size_t newObjectIDLen)
{
	struct pobj *o = get_obj(object);
	struct tsm_rename_req r = { .hdr = mkhdr(o->hid, 0, 0) };

	if (!(o->flags & TEE_DATA_FLAG_ACCESS_WRITE_META)) {
		TEE_Panic(TEE_ERROR_ACCESS_CONFLICT);
	}
	set_id(&r.id, newObjectID, newObjectIDLen);
	if (reserved_id(newObjectID, newObjectIDLen)) {
		return TEE_ERROR_ACCESS_CONFLICT;
	}
	return ALLOW(call(TSM_CMD_RENAME, &r, sizeof(r), NULL, 0, 0, NULL),
		     TEE_ERROR_ACCESS_CONFLICT, TEE_ERROR_CORRUPT_OBJECT,
		     TEE_ERROR_STORAGE_NOT_AVAILABLE);
}

static TEE_Result info(TEE_ObjectHandle object, TEE_ObjectInfo *objectInfo)
{
	struct pobj *o = NULL;
	struct tsm_obj_rsp rsp;
	struct tsm_hdr h;
	TEE_Result res = TEE_SUCCESS;

	if (!objectInfo) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	if (ta_host__transient_info(object, objectInfo)) {
		return TEE_SUCCESS;
	}
	o = get_obj(object);
	h = mkhdr(o->hid, 0, 0);
	res = call(TSM_CMD_INFO, &h, sizeof(h), NULL, 0, sizeof(rsp), NULL);
	if (res != TEE_SUCCESS) {
		return res;
	}
	memcpy(&rsp, g_resp, sizeof(rsp));
	*objectInfo =
		(TEE_ObjectInfo){ .objectType = rsp.object_type,
				  .objectSize = rsp.key.object_size,
				  .maxObjectSize = rsp.key.max_object_size,
				  .objectUsage = o->key ? o->key->usage : rsp.key.object_usage,
				  .dataSize = (size_t)rsp.data_size,
				  .dataPosition = (size_t)rsp.position,
				  .handleFlags = rsp.handle_flags };
	return TEE_SUCCESS;
}

TEE_Result TEE_GetObjectInfo1(TEE_ObjectHandle object, TEE_ObjectInfo *objectInfo)
{
	return ALLOW(info(object, objectInfo), TEE_ERROR_CORRUPT_OBJECT,
		     TEE_ERROR_STORAGE_NOT_AVAILABLE);
}

void TEE_GetObjectInfo(TEE_ObjectHandle object, TEE_ObjectInfo *objectInfo)
{
	TEE_Result res = info(object, objectInfo);

	if (res != TEE_SUCCESS) {
		TEE_Panic(res); /* as OP-TEE: the void variant has no way to report */
	}
}

TEE_Result TEE_ReadObjectData(TEE_ObjectHandle object, void *buffer, size_t size, size_t *count)
{
	struct pobj *o = get_obj(object);
	uint8_t *out = buffer;
	size_t done = 0;
	TEE_Result res = TEE_SUCCESS;

	if (!count || (!buffer && size)) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	if (!(o->flags & TEE_DATA_FLAG_ACCESS_READ)) {
		TEE_Panic(TEE_ERROR_ACCESS_CONFLICT);
	}
	*count = 0;
	do {
		size_t want = size - done < TSM_MAX_CHUNK ? size - done : TSM_MAX_CHUNK;
		struct tsm_read_req r = { .hdr = mkhdr(o->hid, 0, 0), .size = (uint32_t)want };
		struct tsm_read_rsp rsp;
		size_t rl = 0;

		res = call(TSM_CMD_READ, &r, sizeof(r), NULL, 0, SIZE_MAX, &rl);
		if (res != TEE_SUCCESS) {
			break;
		}
		memcpy(&rsp, g_resp, sizeof(rsp));
		if (rl < sizeof(rsp) || rsp.count > want || rl != sizeof(rsp) + rsp.count) {
			res = TEE_ERROR_COMMUNICATION;
			break;
		}
		if (rsp.count) {
			memcpy(out + done, g_resp + sizeof(rsp), rsp.count);
		}
		done += rsp.count;
		if (rsp.count < want) {
			break; /* end of data */
		}
	} while (done < size);
	*count = done;
	return ALLOW(res, TEE_ERROR_CORRUPT_OBJECT, TEE_ERROR_STORAGE_NOT_AVAILABLE);
}

static TEE_Result position(struct pobj *o, uint64_t *pos)
{
	struct tsm_seek_req r = { .hdr = mkhdr(o->hid, 0, 0), .whence = TEE_DATA_SEEK_CUR };
	struct tsm_seek_rsp rsp;
	TEE_Result res = call(TSM_CMD_SEEK, &r, sizeof(r), NULL, 0, sizeof(rsp), NULL);

	memcpy(&rsp, g_resp, sizeof(rsp));
	*pos = rsp.position;
	return res;
}

TEE_Result TEE_WriteObjectData(TEE_ObjectHandle object, const void *buffer, size_t size)
{
	struct pobj *o = get_obj(object);
	const uint8_t *in = buffer;
	size_t tail = 0;
	uint64_t pos = 0;
	TEE_Result res = TEE_SUCCESS;

	if (!buffer && size) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	if (!(o->flags & TEE_DATA_FLAG_ACCESS_WRITE)) {
		TEE_Panic(TEE_ERROR_ACCESS_CONFLICT);
	}
	if (size > TSM_MAX_OBJECT_SIZE) {
		/* GP reports OVERFLOW before NO_SPACE when the position limit is hit. */
		res = position(o, &pos);
		if (res == TEE_SUCCESS) {
			res = (uint64_t)size > TEE_DATA_MAX_POSITION - pos
				      ? TEE_ERROR_OVERFLOW
				      : TEE_ERROR_STORAGE_NO_SPACE;
		}
		goto out;
	}
	res = stage(in, size, &tail);
	if (res == TEE_SUCCESS) {
		struct tsm_hdr h = mkhdr(o->hid, tail, size > tail ? TSM_F_STAGED : 0);

		res = call(TSM_CMD_WRITE, &h, sizeof(h), tail ? in + (size - tail) : NULL, tail, 0,
			   NULL);
	}
out:
	return ALLOW(res, TEE_ERROR_STORAGE_NO_SPACE, TEE_ERROR_OVERFLOW, TEE_ERROR_CORRUPT_OBJECT,
		     TEE_ERROR_STORAGE_NOT_AVAILABLE);
}

TEE_Result TEE_TruncateObjectData(TEE_ObjectHandle object, size_t size)
{
	struct pobj *o = get_obj(object);
	struct tsm_trunc_req r = { .hdr = mkhdr(o->hid, 0, 0), .size = size };

	if (!(o->flags & TEE_DATA_FLAG_ACCESS_WRITE)) {
		TEE_Panic(TEE_ERROR_ACCESS_CONFLICT);
	}
	return ALLOW(call(TSM_CMD_TRUNCATE, &r, sizeof(r), NULL, 0, 0, NULL),
		     TEE_ERROR_STORAGE_NO_SPACE, TEE_ERROR_CORRUPT_OBJECT,
		     TEE_ERROR_STORAGE_NOT_AVAILABLE);
}

TEE_Result TEE_SeekObjectData(TEE_ObjectHandle object, intmax_t offset, TEE_Whence whence)
{
	struct pobj *o = get_obj(object);
	struct tsm_seek_req r = { .hdr = mkhdr(o->hid, 0, 0),
				  .offset = (int64_t)offset,
				  .whence = (uint32_t)whence };

	static_assert(sizeof(intmax_t) == sizeof(int64_t), "offset fits the wire");
	return ALLOW(call(TSM_CMD_SEEK, &r, sizeof(r), NULL, 0, sizeof(struct tsm_seek_rsp), NULL),
		     TEE_ERROR_OVERFLOW, TEE_ERROR_CORRUPT_OBJECT, TEE_ERROR_STORAGE_NOT_AVAILABLE);
}

/* ---- enumerators ---- */

TEE_Result TEE_AllocatePersistentObjectEnumerator(TEE_ObjectEnumHandle *objectEnumerator)
{
	struct tsm_hdr h = mkhdr(0, 0, 0);
	struct tsm_obj_rsp rsp;
	struct penum *e = NULL;
	TEE_Result res = TEE_SUCCESS;

	if (!objectEnumerator) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	*objectEnumerator = TEE_HANDLE_NULL;
	e = calloc(1, sizeof(*e));
	if (!e) {
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	res = call(TSM_CMD_ENUM_ALLOC, &h, sizeof(h), NULL, 0, sizeof(rsp), NULL);
	if (res != TEE_SUCCESS) {
		free(e);
		return ALLOW(res, TEE_ERROR_OUT_OF_MEMORY);
	}
	memcpy(&rsp, g_resp, sizeof(rsp));
	e->magic = ENUM_MAGIC;
	e->hid = rsp.handle;
	e->next = g_enums;
	g_enums = e;
	*objectEnumerator = (TEE_ObjectEnumHandle)e;
	return TEE_SUCCESS;
}

void TEE_FreePersistentObjectEnumerator(TEE_ObjectEnumHandle objectEnumerator)
{
	struct penum *e = NULL;

	if (objectEnumerator == TEE_HANDLE_NULL) {
		return;
	}
	e = get_enum(objectEnumerator);
	call_handle(TSM_CMD_ENUM_FREE, e->hid);
	for (struct penum **pp = &g_enums; *pp; pp = &(*pp)->next) {
		if (*pp == e) {
			*pp = e->next;
			break;
		}
	}
	e->magic = 0;
	free(e);
}

void TEE_ResetPersistentObjectEnumerator(TEE_ObjectEnumHandle objectEnumerator)
{
	TEE_Result res = call_handle(TSM_CMD_ENUM_RESET, get_enum(objectEnumerator)->hid);

	if (res != TEE_SUCCESS) {
		TEE_Panic(res);
	}
}

TEE_Result TEE_StartPersistentObjectEnumerator(TEE_ObjectEnumHandle objectEnumerator,
					       uint32_t storageID)
{
	struct penum *e = get_enum(objectEnumerator);
	struct tsm_enum_start_req r = { .hdr = mkhdr(e->hid, 0, 0), .storage_id = storageID };

	return ALLOW(call(TSM_CMD_ENUM_START, &r, sizeof(r), NULL, 0, 0, NULL),
		     TEE_ERROR_ITEM_NOT_FOUND, TEE_ERROR_CORRUPT_OBJECT,
		     TEE_ERROR_STORAGE_NOT_AVAILABLE);
}

TEE_Result TEE_GetNextPersistentObject(TEE_ObjectEnumHandle objectEnumerator,
				       TEE_ObjectInfo *objectInfo, void *objectID,
				       size_t *objectIDLen)
{
	struct penum *e = get_enum(objectEnumerator);
	struct tsm_hdr h = mkhdr(e->hid, 0, 0);
	struct tsm_enum_next_rsp rsp;
	TEE_Result res = TEE_SUCCESS;

	if (!objectID || !objectIDLen) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	do {
		res = call(TSM_CMD_ENUM_NEXT, &h, sizeof(h), NULL, 0, sizeof(rsp), NULL);
		if (res == TEE_SUCCESS) {
			memcpy(&rsp, g_resp, sizeof(rsp));
			if (rsp.id.len > TSM_ID_MAX) {
				res = TEE_ERROR_COMMUNICATION;
			}
		}
	} while (res == TEE_SUCCESS && reserved_id(rsp.id.bytes, rsp.id.len));
	if (res == TEE_SUCCESS) {
		memcpy(objectID, rsp.id.bytes, rsp.id.len);
		*objectIDLen = rsp.id.len;
		if (objectInfo) {
			*objectInfo =
				(TEE_ObjectInfo){ .objectType = rsp.info.object_type,
						  .objectSize = rsp.info.key.object_size,
						  .maxObjectSize = rsp.info.key.max_object_size,
						  .objectUsage = rsp.info.key.object_usage,
						  .dataSize = (size_t)rsp.info.data_size,
						  .handleFlags = rsp.info.handle_flags };
		}
	}
	return ALLOW(res, TEE_ERROR_ITEM_NOT_FOUND, TEE_ERROR_CORRUPT_OBJECT,
		     TEE_ERROR_STORAGE_NOT_AVAILABLE);
}

/* ---- the TA's persistent time record (api_time.c) ---- */

TEE_Result ta_host__time_load(void *buf, size_t len, size_t *got)
{
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	TEE_Result res = TEE_SUCCESS;

	g_internal = true;
	res = TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, g_time_id, sizeof(g_time_id) - 1,
				       TEE_DATA_FLAG_ACCESS_READ, &h);
	if (res == TEE_SUCCESS) {
		res = TEE_ReadObjectData(h, buf, len, got);
		TEE_CloseObject(h);
	}
	g_internal = false;
	return res;
}

TEE_Result ta_host__time_store(const void *buf, size_t len)
{
	TEE_Result res = TEE_SUCCESS;

	g_internal = true;
	res = TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, g_time_id, sizeof(g_time_id) - 1,
					 TEE_DATA_FLAG_ACCESS_WRITE | TEE_DATA_FLAG_OVERWRITE,
					 TEE_HANDLE_NULL, buf, len, NULL);
	g_internal = false;
	return res;
}
