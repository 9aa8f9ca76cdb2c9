/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Secure storage test TA: create/read/rename/delete/count objects for the host, plus a
 * self-test of GP persistent object semantics run inside the TA (seek, gaps, overflow,
 * truncate, sharing, multi-chunk data, enumeration). Built for GP 1.3.1 and, with
 * __OPTEE_CORE_API_COMPAT_1_1, for GP 1.1 (uint32_t sizes), from this one source.
 */
#include <storage_ta.h>
#include <string.h>
#include <tee_internal_api.h>

#ifdef __OPTEE_CORE_API_COMPAT_1_1
typedef uint32_t ta_size_t;
#else
typedef size_t ta_size_t;
#endif

#define ALL_ACCESS                                                                                 \
	(TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_ACCESS_WRITE | TEE_DATA_FLAG_ACCESS_WRITE_META)
#define BIG_LEN 150000u /* several core messages: exercises staging and chunked reads */

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

/* Session state: a handle kept open across invocations (CMD_HOLD). */
struct session {
	TEE_ObjectHandle held;
};

TEE_Result TA_OpenSessionEntryPoint(uint32_t paramTypes, TEE_Param params[TEE_NUM_PARAMS],
				    void **sessionContext)
{
	struct session *s = TEE_Malloc(sizeof(*s), TEE_MALLOC_FILL_ZERO);

	(void)paramTypes;
	(void)params;
	if (!s) {
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	*sessionContext = s;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sessionContext)
{
	struct session *s = sessionContext;

	TEE_CloseObject(s->held);
	TEE_Free(s);
}

/* Opens the object that p[0] names (every command's first parameter) with flags. */
static TEE_Result open_named(TEE_Param p[TEE_NUM_PARAMS], uint32_t flags, TEE_ObjectHandle *obj)
{
	return TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, p[0].memref.buffer, p[0].memref.size,
					flags, obj);
}

static TEE_Result cmd_hold(struct session *s, TEE_Param p[TEE_NUM_PARAMS])
{
	TEE_CloseObject(s->held);
	s->held = TEE_HANDLE_NULL;
	return open_named(p, p[1].value.a, &s->held);
}

static TEE_Result cmd_write(TEE_Param p[TEE_NUM_PARAMS])
{
	TEE_ObjectHandle obj = TEE_HANDLE_NULL;
	TEE_Result res = TEE_CreatePersistentObject(
		TEE_STORAGE_PRIVATE, p[0].memref.buffer, p[0].memref.size,
		ALL_ACCESS | TEE_DATA_FLAG_OVERWRITE, TEE_HANDLE_NULL, p[1].memref.buffer,
		p[1].memref.size, &obj);

	if (res == TEE_SUCCESS) {
		TEE_CloseObject(obj);
	}
	return res;
}

static TEE_Result cmd_read(TEE_Param p[TEE_NUM_PARAMS])
{
	TEE_ObjectHandle obj = TEE_HANDLE_NULL;
	TEE_ObjectInfo info;
	ta_size_t n = 0;
	TEE_Result res = open_named(p, TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_SHARE_READ, &obj);

	if (res != TEE_SUCCESS) {
		return res;
	}
	res = TEE_GetObjectInfo1(obj, &info);
	if (res != TEE_SUCCESS) {
		goto out;
	}
	if (p[1].memref.size < info.dataSize) {
		p[1].memref.size = info.dataSize;
		res = TEE_ERROR_SHORT_BUFFER;
		goto out;
	}
	res = TEE_ReadObjectData(obj, p[1].memref.buffer, p[1].memref.size, &n);
	if (res == TEE_SUCCESS) {
		p[1].memref.size = n;
	}
out:
	TEE_CloseObject(obj);
	return res;
}

static TEE_Result cmd_delete(TEE_Param p[TEE_NUM_PARAMS])
{
	TEE_ObjectHandle obj = TEE_HANDLE_NULL;
	TEE_Result res = open_named(p, TEE_DATA_FLAG_ACCESS_WRITE_META, &obj);

	if (res != TEE_SUCCESS) {
		return res;
	}
	return TEE_CloseAndDeletePersistentObject1(obj);
}

static TEE_Result cmd_rename(TEE_Param p[TEE_NUM_PARAMS])
{
	TEE_ObjectHandle obj = TEE_HANDLE_NULL;
	TEE_Result res = open_named(p, TEE_DATA_FLAG_ACCESS_WRITE_META, &obj);

	if (res != TEE_SUCCESS) {
		return res;
	}
	res = TEE_RenamePersistentObject(obj, p[1].memref.buffer, p[1].memref.size);
	TEE_CloseObject(obj);
	return res;
}

static TEE_Result cmd_count(TEE_Param p[TEE_NUM_PARAMS])
{
	TEE_ObjectEnumHandle e = TEE_HANDLE_NULL;
	TEE_ObjectInfo info;
	uint8_t id[TEE_OBJECT_ID_MAX_LEN];
	ta_size_t id_len = 0;
	TEE_Result res = TEE_AllocatePersistentObjectEnumerator(&e);

	p[0].value.a = 0;
	p[0].value.b = 0;
	if (res != TEE_SUCCESS) {
		return res;
	}
	res = TEE_StartPersistentObjectEnumerator(e, TEE_STORAGE_PRIVATE);
	while (res == TEE_SUCCESS) {
		res = TEE_GetNextPersistentObject(e, &info, id, &id_len);
		if (res == TEE_SUCCESS) {
			p[0].value.a++;
			p[0].value.b += (uint32_t)info.dataSize;
		}
	}
	TEE_FreePersistentObjectEnumerator(e);
	return res == TEE_ERROR_ITEM_NOT_FOUND ? TEE_SUCCESS : res;
}

/* Fails the self-test with the line number of the first check that does not hold. */
#define STEP(cond)                                                                                 \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			EMSG("self-test check failed: %s", #cond);                                 \
			return __LINE__;                                                           \
		}                                                                                  \
	} while (0)

static uint32_t selftest_data(void)
{
	TEE_ObjectHandle a = TEE_HANDLE_NULL;
	TEE_ObjectHandle b = TEE_HANDLE_NULL;
	TEE_ObjectInfo info;
	char buf[32];
	ta_size_t n = 0;

	STEP(TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, "self", 4,
					ALL_ACCESS | TEE_DATA_FLAG_OVERWRITE, TEE_HANDLE_NULL,
					"0123456789", 10, &a) == TEE_SUCCESS);
	STEP(TEE_GetObjectInfo1(a, &info) == TEE_SUCCESS);
	STEP(info.dataSize == 10 && info.dataPosition == 0 && info.objectType == TEE_TYPE_DATA);
	memset(&info, 0, sizeof(info));
	TEE_GetObjectInfo(a, &info); /* the deprecated variant */
	STEP(info.dataSize == 10 && info.objectType == TEE_TYPE_DATA);
	STEP((info.handleFlags & TEE_HANDLE_FLAG_PERSISTENT) &&
	     (info.handleFlags & TEE_HANDLE_FLAG_INITIALIZED));
	/* Writing past the end leaves a zero-filled gap. */
	STEP(TEE_SeekObjectData(a, 5, TEE_DATA_SEEK_END) == TEE_SUCCESS);
	STEP(TEE_WriteObjectData(a, "x", 1) == TEE_SUCCESS);
	STEP(TEE_SeekObjectData(a, 0, TEE_DATA_SEEK_SET) == TEE_SUCCESS);
	STEP(TEE_ReadObjectData(a, buf, sizeof(buf), &n) == TEE_SUCCESS);
	STEP(n == 16 && memcmp(buf, "0123456789\0\0\0\0\0x", 16) == 0);
	/* Position limits. */
	/* Reach TEE_DATA_MAX_POSITION in steps that also fit GP 1.1's int32_t offset. */
	STEP(TEE_SeekObjectData(a, INT32_MAX, TEE_DATA_SEEK_SET) == TEE_SUCCESS);
	STEP(TEE_SeekObjectData(a, INT32_MAX, TEE_DATA_SEEK_CUR) == TEE_SUCCESS);
	STEP(TEE_SeekObjectData(a, 1, TEE_DATA_SEEK_CUR) == TEE_SUCCESS);
	STEP(TEE_SeekObjectData(a, 1, TEE_DATA_SEEK_CUR) == TEE_ERROR_OVERFLOW);
	STEP(TEE_WriteObjectData(a, "y", 1) == TEE_ERROR_OVERFLOW);
	STEP(TEE_SeekObjectData(a, -100, TEE_DATA_SEEK_SET) == TEE_SUCCESS);
	STEP(TEE_GetObjectInfo1(a, &info) == TEE_SUCCESS && info.dataPosition == 0);
	/* Truncate keeps the position. */
	STEP(TEE_SeekObjectData(a, 12, TEE_DATA_SEEK_SET) == TEE_SUCCESS);
	STEP(TEE_TruncateObjectData(a, 4) == TEE_SUCCESS);
	STEP(TEE_GetObjectInfo1(a, &info) == TEE_SUCCESS);
	STEP(info.dataSize == 4 && info.dataPosition == 12);
	STEP(TEE_ReadObjectData(a, buf, sizeof(buf), &n) == TEE_SUCCESS && n == 0);
	/* The handle has WRITE_META and no share flags: any other open conflicts. */
	STEP(TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, "self", 4,
				      TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_SHARE_READ,
				      &b) == TEE_ERROR_ACCESS_CONFLICT);
	STEP(b == TEE_HANDLE_NULL);
	STEP(TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, "self", 4, ALL_ACCESS, TEE_HANDLE_NULL,
					NULL, 0, &b) == TEE_ERROR_ACCESS_CONFLICT);
	/* Rename, then the old id is gone. */
	STEP(TEE_RenamePersistentObject(a, "self2", 5) == TEE_SUCCESS);
	STEP(TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, "self", 4, TEE_DATA_FLAG_ACCESS_READ,
				      &b) == TEE_ERROR_ITEM_NOT_FOUND);
	STEP(TEE_CloseAndDeletePersistentObject1(a) == TEE_SUCCESS);
	STEP(TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, "self2", 5, TEE_DATA_FLAG_ACCESS_READ,
				      &b) == TEE_ERROR_ITEM_NOT_FOUND);
	STEP(TEE_CloseAndDeletePersistentObject1(TEE_HANDLE_NULL) == TEE_SUCCESS);
	TEE_CloseObject(TEE_HANDLE_NULL);
	STEP(TEE_OpenPersistentObject(0x12345678, "x", 1, TEE_DATA_FLAG_ACCESS_READ, &b) ==
	     TEE_ERROR_ITEM_NOT_FOUND);
	return 0;
}

static uint32_t selftest_sharing(void)
{
	TEE_ObjectHandle a = TEE_HANDLE_NULL;
	TEE_ObjectHandle b = TEE_HANDLE_NULL;
	TEE_ObjectHandle c = TEE_HANDLE_NULL;
	uint32_t sr = TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_SHARE_READ;

	STEP(TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, "shared", 6,
					sr | TEE_DATA_FLAG_OVERWRITE, TEE_HANDLE_NULL, "s", 1,
					&a) == TEE_SUCCESS);
	STEP(TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, "shared", 6, sr, &b) == TEE_SUCCESS);
	STEP(TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, "shared", 6,
				      TEE_DATA_FLAG_ACCESS_WRITE | TEE_DATA_FLAG_SHARE_READ |
					      TEE_DATA_FLAG_SHARE_WRITE,
				      &c) == TEE_ERROR_ACCESS_CONFLICT);
	TEE_CloseObject(a);
	TEE_CloseObject(b);
	STEP(TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, "shared", 6,
				      TEE_DATA_FLAG_ACCESS_WRITE_META, &c) == TEE_SUCCESS);
	TEE_CloseAndDeletePersistentObject(c);
	return 0;
}

static uint32_t selftest_big(void)
{
	TEE_ObjectHandle a = TEE_HANDLE_NULL;
	TEE_ObjectInfo info;
	uint8_t *w = TEE_Malloc(BIG_LEN, TEE_MALLOC_FILL_ZERO);
	uint8_t *r = TEE_Malloc(BIG_LEN, TEE_MALLOC_FILL_ZERO);
	ta_size_t n = 0;
	uint32_t fail = 0;

	STEP(w && r);
	for (uint32_t i = 0; i < BIG_LEN; i++) {
		w[i] = (uint8_t)(i * 7 + (i >> 11));
	}
	if (TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, "big", 3,
				       ALL_ACCESS | TEE_DATA_FLAG_OVERWRITE, TEE_HANDLE_NULL, w,
				       BIG_LEN, &a) != TEE_SUCCESS ||
	    TEE_ReadObjectData(a, r, BIG_LEN, &n) != TEE_SUCCESS || n != BIG_LEN ||
	    memcmp(w, r, BIG_LEN) != 0) {
		fail = __LINE__;
		goto out;
	}
	/* A multi-chunk write in the middle, then read it all back. */
	memset(w + 1000, 0xab, BIG_LEN - 2000);
	if (TEE_SeekObjectData(a, 1000, TEE_DATA_SEEK_SET) != TEE_SUCCESS ||
	    TEE_WriteObjectData(a, w + 1000, BIG_LEN - 2000) != TEE_SUCCESS ||
	    TEE_SeekObjectData(a, 0, TEE_DATA_SEEK_SET) != TEE_SUCCESS ||
	    TEE_ReadObjectData(a, r, BIG_LEN, &n) != TEE_SUCCESS || n != BIG_LEN ||
	    memcmp(w, r, BIG_LEN) != 0 || TEE_GetObjectInfo1(a, &info) != TEE_SUCCESS ||
	    info.dataSize != BIG_LEN) {
		fail = __LINE__;
		goto out;
	}
	if (TEE_CloseAndDeletePersistentObject1(a) != TEE_SUCCESS) {
		fail = __LINE__;
	}
	a = TEE_HANDLE_NULL;
out:
	TEE_CloseObject(a);
	TEE_Free(w);
	TEE_Free(r);
	return fail;
}

static uint32_t selftest_enum(void)
{
	TEE_ObjectEnumHandle e = TEE_HANDLE_NULL;
	TEE_ObjectHandle a = TEE_HANDLE_NULL;
	TEE_ObjectInfo info;
	uint8_t id[TEE_OBJECT_ID_MAX_LEN];
	ta_size_t id_len = 0;
	bool found = false;
	TEE_Result res = TEE_SUCCESS;

	STEP(TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, "enum-me", 7,
					ALL_ACCESS | TEE_DATA_FLAG_OVERWRITE, TEE_HANDLE_NULL,
					"abc", 3, &a) == TEE_SUCCESS);
	STEP(TEE_AllocatePersistentObjectEnumerator(&e) == TEE_SUCCESS);
	STEP(TEE_GetNextPersistentObject(e, &info, id, &id_len) == TEE_ERROR_ITEM_NOT_FOUND);
	STEP(TEE_StartPersistentObjectEnumerator(e, TEE_STORAGE_PRIVATE) == TEE_SUCCESS);
	while ((res = TEE_GetNextPersistentObject(e, &info, id, &id_len)) == TEE_SUCCESS) {
		if (id_len == 7 && memcmp(id, "enum-me", 7) == 0) {
			STEP(!found && info.dataSize == 3);
			found = true;
		}
	}
	STEP(res == TEE_ERROR_ITEM_NOT_FOUND && found);
	TEE_ResetPersistentObjectEnumerator(e);
	STEP(TEE_GetNextPersistentObject(e, &info, id, &id_len) == TEE_ERROR_ITEM_NOT_FOUND);
	TEE_FreePersistentObjectEnumerator(e);
	STEP(TEE_CloseAndDeletePersistentObject1(a) == TEE_SUCCESS);
#ifndef __OPTEE_CORE_API_COMPAT_1_1
	/* GP 1.3: the object pointer may be NULL (created, then closed). */
	STEP(TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, "noh", 3, ALL_ACCESS, TEE_HANDLE_NULL,
					NULL, 0, NULL) == TEE_SUCCESS);
	STEP(TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, "noh", 3, ALL_ACCESS, &a) ==
	     TEE_SUCCESS);
	STEP(TEE_CloseAndDeletePersistentObject1(a) == TEE_SUCCESS);
#endif
	return 0;
}

TEE_Result TA_InvokeCommandEntryPoint(void *sessionContext, uint32_t commandID, uint32_t paramTypes,
				      TEE_Param params[TEE_NUM_PARAMS])
{
	const uint32_t two_in =
		TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_MEMREF_INPUT,
				TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);
	const uint32_t in_out =
		TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_MEMREF_OUTPUT,
				TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);
	const uint32_t one_in = TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_NONE,
						TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);
	const uint32_t val_out = TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
						 TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);
	const uint32_t hold =
		TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_VALUE_INPUT,
				TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);
	uint32_t fail = 0;

	switch (commandID) {
	case TA_STORAGE_CMD_WRITE:
		return paramTypes == two_in ? cmd_write(params) : TEE_ERROR_BAD_PARAMETERS;
	case TA_STORAGE_CMD_READ:
		return paramTypes == in_out ? cmd_read(params) : TEE_ERROR_BAD_PARAMETERS;
	case TA_STORAGE_CMD_DELETE:
		return paramTypes == one_in ? cmd_delete(params) : TEE_ERROR_BAD_PARAMETERS;
	case TA_STORAGE_CMD_RENAME:
		return paramTypes == two_in ? cmd_rename(params) : TEE_ERROR_BAD_PARAMETERS;
	case TA_STORAGE_CMD_COUNT:
		return paramTypes == val_out ? cmd_count(params) : TEE_ERROR_BAD_PARAMETERS;
	case TA_STORAGE_CMD_SELFTEST:
		if (paramTypes != val_out) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		fail = selftest_data();
		if (!fail) {
			fail = selftest_sharing();
		}
		if (!fail) {
			fail = selftest_big();
		}
		if (!fail) {
			fail = selftest_enum();
		}
		params[0].value.a = fail;
		return TEE_SUCCESS;
	case TA_STORAGE_CMD_BAD_HANDLE: {
		char buf[4];
		ta_size_t n = 0;

		/* A forged handle: GP requires a panic, not an error code. */
		TEE_ReadObjectData((TEE_ObjectHandle)(uintptr_t)0x1234, buf, sizeof(buf), &n);
		return TEE_ERROR_GENERIC; /* not reached */
	}
	case TA_STORAGE_CMD_HOLD:
		return paramTypes == hold ? cmd_hold(sessionContext, params)
					  : TEE_ERROR_BAD_PARAMETERS;
	case TA_STORAGE_CMD_RELEASE: {
		struct session *s = sessionContext;

		TEE_CloseObject(s->held);
		s->held = TEE_HANDLE_NULL;
		return TEE_SUCCESS;
	}
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
