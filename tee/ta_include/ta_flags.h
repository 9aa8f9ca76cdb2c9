/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TA_FLAGS bits (OP-TEE values): the one definition, for TAs (through user_ta_header.h)
 * and for the .ta format (tee/abi/ta_image.h, which also says which of them a .ta may
 * carry). No other include: tzm-ta-pack is built with none of the TEE's include paths.
 */
#ifndef TZM_TA_FLAGS_H
#define TZM_TA_FLAGS_H

#define TA_FLAG_USER_MODE 0
#define TA_FLAG_EXEC_DDR 0
#define TA_FLAG_SINGLE_INSTANCE (1u << 2)
#define TA_FLAG_MULTI_SESSION (1u << 3)
#define TA_FLAG_INSTANCE_KEEP_ALIVE (1u << 4)
#define TA_FLAG_SECURE_DATA_PATH (1u << 5)
#define TA_FLAG_REMAP_SUPPORT (1u << 6)
#define TA_FLAG_CACHE_MAINTENANCE (1u << 7)
#define TA_FLAG_CONCURRENT (1u << 8)
#define TA_FLAG_DEVICE_ENUM (1u << 9)
#define TA_FLAG_DEVICE_ENUM_SUPP (1u << 10)
#define TA_FLAG_DONT_CLOSE_HANDLE_ON_CORRUPT_OBJECT (1u << 11)
#define TA_FLAG_DEVICE_ENUM_TEE_STORAGE_PRIVATE (1u << 12)
#define TA_FLAG_INSTANCE_KEEP_CRASHED (1u << 13)

#endif
