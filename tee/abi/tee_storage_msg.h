/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Secure storage requests from the TA-side Internal Core API (tee/ta_host/objects*.c) to
 * the storage service in tzm-teed (tee/core/storage*.c), carried as HOST_CALL payloads
 * by ta_host__core_call(). The TA host is untrusted from the core's point of view: the
 * core decodes every request in one place (storage.c, decode_req()) and never trusts a
 * handle, length or offset it did not check.
 *
 * Every request starts with a tsm_hdr; the command-specific fixed struct follows, then
 * (for CREATE/WRITE/STAGE) the data bytes, exactly hdr.data_len of them:
 *
 *   +-----------+---------+-----------+---------------------+------------------+
 *   | version 2 | rsvd 2  | handle 4  | data_len 4 | rsvd 4 | fixed part | data |
 *   +-----------+---------+-----------+---------------------+------------------+
 *
 * Responses are the command's fixed response struct, then (READ) the data bytes, (OPEN)
 * the object's attribute blob.
 *
 * Key objects (version 2): a persistent object created from a key object carries its
 * attributes as an opaque blob that the TA host serializes (crypto_obj.c) and decodes
 * again on OPEN; the core stores it in front of the data, encrypted with it, bounded by
 * TSM_MAX_ATTR_LEN, and never looks inside. CREATE sends blob || initial data as one
 * byte stream (staged like any data) with attr_len saying where the data starts; the
 * object's type, usage and sizes travel as plain fields, which the core keeps so that
 * INFO and enumerators can answer without the TA host.
 * All integers are host-endian (both ends run on the same machine).
 *
 * Data larger than one message (TEE_MSG_MAX_PAYLOAD) is sent as STAGE chunks that the
 * core accumulates per TA instance, then a final CREATE/WRITE with TSM_F_STAGED which
 * applies staged + inline bytes as one atomic update. Reads are chunked by the TA side.
 */
#ifndef TZM_TEE_STORAGE_MSG_H
#define TZM_TEE_STORAGE_MSG_H

#include <assert.h>
#include <stdint.h>

#define TSM_VERSION 2u
#define TSM_ID_MAX 64u /* == TEE_OBJECT_ID_MAX_LEN */
/* Largest object data size (documented in tee/core/STORAGE.md). */
#define TSM_MAX_OBJECT_SIZE (16u * 1024u * 1024u)
/* Largest data chunk in one request or response (fits TEE_MSG_MAX_PAYLOAD with headers). */
#define TSM_MAX_CHUNK (60u * 1024u)
/* Largest attribute blob of a key object (an RSA-4096 key pair needs about 2.4 KiB). */
#define TSM_MAX_ATTR_LEN (16u * 1024u)

/* Commands (inside the 0x0100-0x01FF storage range of core_services.h). */
enum tsm_cmd {
	TSM_CMD_OPEN = 0x0101,       /* [in] tsm_open_req            [out] tsm_obj_rsp */
	TSM_CMD_CREATE = 0x0102,     /* [in] tsm_create_req + data   [out] tsm_obj_rsp */
	TSM_CMD_CLOSE = 0x0103,      /* [in] hdr.handle              [out] nothing */
	TSM_CMD_READ = 0x0104,       /* [in] tsm_read_req            [out] tsm_read_rsp + data */
	TSM_CMD_WRITE = 0x0105,      /* [in] hdr + data              [out] nothing */
	TSM_CMD_SEEK = 0x0106,       /* [in] tsm_seek_req            [out] tsm_seek_rsp */
	TSM_CMD_TRUNCATE = 0x0107,   /* [in] tsm_trunc_req           [out] nothing */
	TSM_CMD_RENAME = 0x0108,     /* [in] tsm_id                  [out] nothing */
	TSM_CMD_DELETE = 0x0109,     /* [in] hdr.handle (closes it)  [out] nothing */
	TSM_CMD_INFO = 0x010A,       /* [in] hdr.handle              [out] tsm_obj_rsp */
	TSM_CMD_STAGE = 0x010B,      /* [in] hdr + data              [out] nothing */
	TSM_CMD_ENUM_ALLOC = 0x010C, /* [in] hdr                     [out] tsm_obj_rsp (handle) */
	TSM_CMD_ENUM_FREE = 0x010D,  /* [in] hdr.handle              [out] nothing */
	TSM_CMD_ENUM_RESET = 0x010E, /* [in] hdr.handle              [out] nothing */
	TSM_CMD_ENUM_START = 0x010F, /* [in] tsm_enum_start_req      [out] nothing */
	TSM_CMD_ENUM_NEXT = 0x0110,  /* [in] hdr.handle              [out] tsm_enum_next_rsp */
};
#define TSM_CMD_FIRST TSM_CMD_OPEN
#define TSM_CMD_LAST TSM_CMD_ENUM_NEXT

/* hdr.flags for CREATE/WRITE: prepend the instance's staged bytes. */
#define TSM_F_STAGED 0x0001u

struct tsm_hdr {
	uint16_t version;  /* TSM_VERSION */
	uint16_t flags;    /* TSM_F_* */
	uint32_t handle;   /* object or enumerator handle (core-issued), else 0 */
	uint32_t data_len; /* trailing data bytes after the fixed part */
	uint32_t reserved; /* 0 */
};
static_assert(sizeof(struct tsm_hdr) == 16, "tsm_hdr layout");

struct tsm_id {
	uint32_t len; /* <= TSM_ID_MAX */
	uint8_t bytes[TSM_ID_MAX];
};
static_assert(sizeof(struct tsm_id) == 68, "tsm_id layout");

struct tsm_open_req {
	struct tsm_hdr hdr;
	uint32_t storage_id;
	uint32_t flags; /* TEE_DATA_FLAG_* */
	struct tsm_id id;
};
static_assert(sizeof(struct tsm_open_req) == 92, "tsm_open_req layout");

/* What a key object is, besides its data (TEE_ObjectInfo's fields the core keeps). A data
 * object has attr_len 0; in a CREATE its other fields (and object_type) are then 0 too, in
 * answers its usage is TEE_USAGE_DEFAULT. */
struct tsm_key_info {
	uint32_t object_usage;    /* TEE_USAGE_* */
	uint32_t object_size;     /* key size in bits */
	uint32_t max_object_size; /* as allocated */
	uint32_t attr_len;        /* attribute blob bytes, <= TSM_MAX_ATTR_LEN; 0: data object */
};
static_assert(sizeof(struct tsm_key_info) == 16, "tsm_key_info layout");

struct tsm_create_req {
	struct tsm_hdr hdr;
	uint32_t storage_id;
	uint32_t flags;       /* TEE_DATA_FLAG_* */
	uint32_t object_type; /* of a key object; 0 for a data object */
	uint32_t reserved;    /* 0 */
	/* The first key.attr_len bytes of the (staged + inline) data are the blob. */
	struct tsm_key_info key;
	struct tsm_id id;
};
static_assert(sizeof(struct tsm_create_req) == 116, "tsm_create_req layout");

struct tsm_read_req {
	struct tsm_hdr hdr;
	uint32_t size; /* <= TSM_MAX_CHUNK */
	uint32_t reserved;
};
static_assert(sizeof(struct tsm_read_req) == 24, "tsm_read_req layout");

struct tsm_read_rsp {
	uint32_t count; /* data bytes that follow */
	uint32_t reserved;
};
static_assert(sizeof(struct tsm_read_rsp) == 8, "tsm_read_rsp layout");

struct tsm_seek_req {
	struct tsm_hdr hdr;
	int64_t offset;
	uint32_t whence; /* TEE_DATA_SEEK_* */
	uint32_t reserved;
};
static_assert(sizeof(struct tsm_seek_req) == 32, "tsm_seek_req layout");

struct tsm_seek_rsp {
	uint64_t position;
};
static_assert(sizeof(struct tsm_seek_rsp) == 8, "tsm_seek_rsp layout");

struct tsm_trunc_req {
	struct tsm_hdr hdr;
	uint64_t size;
};
static_assert(sizeof(struct tsm_trunc_req) == 24, "tsm_trunc_req layout");

struct tsm_rename_req {
	struct tsm_hdr hdr;
	struct tsm_id id;
};
static_assert(sizeof(struct tsm_rename_req) == 84, "tsm_rename_req layout");

struct tsm_enum_start_req {
	struct tsm_hdr hdr;
	uint32_t storage_id;
	uint32_t reserved;
};
static_assert(sizeof(struct tsm_enum_start_req) == 24, "tsm_enum_start_req layout");

/* Object description: answer to OPEN/CREATE/INFO (and ENUM_ALLOC: only handle). OPEN
 * appends the attribute blob (key.attr_len bytes). */
struct tsm_obj_rsp {
	uint32_t handle;
	uint32_t object_type;
	uint32_t handle_flags; /* TEE_HANDLE_FLAG_* | TEE_DATA_FLAG_* */
	uint32_t reserved;
	uint64_t data_size;
	uint64_t position;
	struct tsm_key_info key;
};
static_assert(sizeof(struct tsm_obj_rsp) == 48, "tsm_obj_rsp layout");

struct tsm_enum_next_rsp {
	struct tsm_obj_rsp info; /* handle = 0 */
	struct tsm_id id;
	uint32_t reserved;
};
static_assert(sizeof(struct tsm_enum_next_rsp) == 120, "tsm_enum_next_rsp layout");

#endif
