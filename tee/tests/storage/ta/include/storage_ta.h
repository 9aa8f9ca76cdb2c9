/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Secure storage test TA interface (OP-TEE secure_storage example style). One source,
 * built twice: for GP 1.3.1 and for GP 1.1 (__OPTEE_CORE_API_COMPAT_1_1).
 */
#ifndef STORAGE_TA_H
#define STORAGE_TA_H

#define TA_STORAGE_UUID_STR "914e9049-a8f9-4362-96bf-f263c6eb8112"
#define TA_STORAGE11_UUID_STR "7b4d4b43-024a-4f2c-bb0c-6cfc6b519fdf"

/* [in] p0 memref: object id; [in] p1 memref: data. Creates/overwrites the object. */
#define TA_STORAGE_CMD_WRITE 0
/* [in] p0 memref: object id; [out] p1 memref: data (SHORT_BUFFER + needed size). */
#define TA_STORAGE_CMD_READ 1
/* [in] p0 memref: object id. */
#define TA_STORAGE_CMD_DELETE 2
/* [in] p0 memref: object id; [in] p1 memref: new id. */
#define TA_STORAGE_CMD_RENAME 3
/* [out] p0 value: a = objects of this TA, b = their total data size. */
#define TA_STORAGE_CMD_COUNT 4
/* [out] p0 value: a = line of the first failed check inside the TA (0: all passed). */
#define TA_STORAGE_CMD_SELFTEST 5
/* No parameters: reads through a forged object handle, which must panic. */
#define TA_STORAGE_CMD_BAD_HANDLE 6
/* [in] p0 memref: object id; [in] p1 value: a = TEE_DATA_FLAG_* to open with. Keeps the
 * handle open in the session (until CMD_RELEASE or session close). */
#define TA_STORAGE_CMD_HOLD 7
/* Closes the handle kept by CMD_HOLD. */
#define TA_STORAGE_CMD_RELEASE 8

#endif
