/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * GP 1.1 twins of the persistent object functions (uint32_t sizes, __GP11_TEE_ObjectInfo),
 * used by TAs built with __OPTEE_CORE_API_COMPAT_1_1. They convert and forward to the
 * GP 1.3.1 implementations in objects.c; values that do not fit the 1.1 types panic, as
 * the 1.1 interface has no way to express them.
 */
#include <stdint.h>
#include <tee_internal_api.h>

static void to_gp11(const TEE_ObjectInfo *in, __GP11_TEE_ObjectInfo *out)
{
	if (in->dataSize > UINT32_MAX || in->dataPosition > UINT32_MAX) {
		TEE_Panic(TEE_ERROR_OVERFLOW);
	}
	*out = (__GP11_TEE_ObjectInfo){ .objectType = in->objectType,
					.objectSize = in->objectSize,
					.maxObjectSize = in->maxObjectSize,
					.objectUsage = in->objectUsage,
					.dataSize = (uint32_t)in->dataSize,
					.dataPosition = (uint32_t)in->dataPosition,
					.handleFlags = in->handleFlags };
}

void __GP11_TEE_GetObjectInfo(TEE_ObjectHandle object, __GP11_TEE_ObjectInfo *objectInfo)
{
	TEE_ObjectInfo info;

	if (!objectInfo) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	TEE_GetObjectInfo(object, &info);
	to_gp11(&info, objectInfo);
}

TEE_Result __GP11_TEE_GetObjectInfo1(TEE_ObjectHandle object, __GP11_TEE_ObjectInfo *objectInfo)
{
	TEE_ObjectInfo info;
	TEE_Result res = TEE_SUCCESS;

	if (!objectInfo) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	res = TEE_GetObjectInfo1(object, &info);
	if (res == TEE_SUCCESS) {
		to_gp11(&info, objectInfo);
	}
	return res;
}

TEE_Result __GP11_TEE_OpenPersistentObject(uint32_t storageID, const void *objectID,
					   uint32_t objectIDLen, uint32_t flags,
					   TEE_ObjectHandle *object)
{
	return TEE_OpenPersistentObject(storageID, objectID, objectIDLen, flags, object);
}

TEE_Result __GP11_TEE_CreatePersistentObject(uint32_t storageID, const void *objectID,
					     uint32_t objectIDLen, uint32_t flags,
					     TEE_ObjectHandle attributes, const void *initialData,
					     uint32_t initialDataLen, TEE_ObjectHandle *object)
{
	/* GP 1.1 requires an object handle pointer. */
	if (!object) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	return TEE_CreatePersistentObject(storageID, objectID, objectIDLen, flags, attributes,
					  initialData, initialDataLen, object);
}

TEE_Result __GP11_TEE_RenamePersistentObject(TEE_ObjectHandle object, const void *newObjectID,
					     uint32_t newObjectIDLen)
{
	return TEE_RenamePersistentObject(object, newObjectID, newObjectIDLen);
}

TEE_Result __GP11_TEE_GetNextPersistentObject(TEE_ObjectEnumHandle objectEnumerator,
					      __GP11_TEE_ObjectInfo *objectInfo, void *objectID,
					      uint32_t *objectIDLen)
{
	TEE_ObjectInfo info;
	size_t len = 0;
	TEE_Result res = TEE_SUCCESS;

	if (!objectIDLen) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	res = TEE_GetNextPersistentObject(objectEnumerator, &info, objectID, &len);
	if (res == TEE_SUCCESS) {
		*objectIDLen = (uint32_t)len;
		if (objectInfo) {
			to_gp11(&info, objectInfo);
		}
	}
	return res;
}

TEE_Result __GP11_TEE_ReadObjectData(TEE_ObjectHandle object, void *buffer, uint32_t size,
				     uint32_t *count)
{
	size_t n = 0;
	TEE_Result res = TEE_SUCCESS;

	if (!count) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	res = TEE_ReadObjectData(object, buffer, size, &n);
	*count = (uint32_t)n; /* n <= size */
	return res;
}

TEE_Result __GP11_TEE_WriteObjectData(TEE_ObjectHandle object, const void *buffer, uint32_t size)
{
	return TEE_WriteObjectData(object, buffer, size);
}

TEE_Result __GP11_TEE_TruncateObjectData(TEE_ObjectHandle object, uint32_t size)
{
	return TEE_TruncateObjectData(object, size);
}

TEE_Result __GP11_TEE_SeekObjectData(TEE_ObjectHandle object, int32_t offset, TEE_Whence whence)
{
	return TEE_SeekObjectData(object, offset, whence);
}
