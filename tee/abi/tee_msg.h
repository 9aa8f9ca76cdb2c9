/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private ABI between libteec, tzm-teed (the TEE core) and tzm-ta-host. Every message on
 * the UNIX SOCK_SEQPACKET sockets is one datagram: a tee_msg_hdr followed by a command
 * payload of hdr.len bytes (at most TEE_MSG_MAX_PAYLOAD + TEE_MSG_MAX_FIXED), optionally
 * carrying file descriptors (SCM_RIGHTS). Requests carry a sequence number that the reply
 * echoes; replies have TEE_MSG_F_REPLY set in cmd and a GP result + origin.
 *
 *   +---------+---------+-------+-----+-------+--------+-----+--------------+
 *   | magic 4 | version | cmd 2 | seq | ret 4 | origin | len | payload len  |
 *   |         |   2     |       |  4  |       |   4    |  4  |              |
 *   +---------+---------+-------+-----+-------+--------+-----+--------------+
 *
 * Links:  libteec ──(tee.sock)──► tzm-teed ◄──(socketpair)──► tzm-ta-host
 *         A TA host also talks "client" commands (OPEN/INVOKE/CLOSE) to the core for
 *         TA-to-TA sessions, and HOST_LOG / HOST_CALL for traces and core services.
 *
 * Memory references never carry pointers: (shm_id, offset, size). shm_id 0 = NULL buffer,
 * TEE_MSG_SHM_OP_FD = the single fd attached to this message (the per-operation bounce
 * region used for temporary memrefs), other ids name shared memory registered earlier
 * with SHM_REGISTER (client → core) or HOST_SHM_MAP (core → host). Receivers validate
 * ownership and offset + size <= shm size.
 */
#ifndef TZM_TEE_MSG_H
#define TZM_TEE_MSG_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#define TEE_MSG_MAGIC 0x4d5a5454u /* "TTZM" */
#define TEE_MSG_VERSION 1u
/* Largest variable payload (core-call request/response, log line, ...). */
#define TEE_MSG_MAX_PAYLOAD (64u * 1024u)
/* Largest fixed command struct; a datagram is at most hdr + fixed + payload. */
#define TEE_MSG_MAX_FIXED 256u
#define TEE_MSG_MAX_DATAGRAM (sizeof(struct tee_msg_hdr) + TEE_MSG_MAX_FIXED + TEE_MSG_MAX_PAYLOAD)
#define TEE_MSG_MAX_FDS 2

#define TEE_MSG_NUM_PARAMS 4
#define TEE_MSG_SHM_NULL 0u
#define TEE_MSG_SHM_OP_FD 1u
#define TEE_MSG_SHM_FIRST_ID 16u

#define TEE_MSG_F_REPLY 0x8000u

/* Commands. [C→T] client (or TA host acting as client) to core, [T→H] core to TA host,
 * [H→T] TA host to core. */
enum tee_msg_cmd {
	/* [C→T] in: open_req (+ op fd). out: open_rsp. */
	TEE_MSG_OPEN_SESSION = 1,
	/* [C→T] in: invoke_req (+ op fd). out: invoke_rsp. */
	TEE_MSG_INVOKE = 2,
	/* [C→T] in: close_req. out: empty. */
	TEE_MSG_CLOSE_SESSION = 3,
	/* [C→T] in: shm_register_req + memfd. out: shm_register_rsp. */
	TEE_MSG_SHM_REGISTER = 4,
	/* [C→T] in: shm_release_req. out: empty. */
	TEE_MSG_SHM_RELEASE = 5,
	/* [C→T] in: cancel_req. no reply. */
	TEE_MSG_CANCEL = 6,
	/* [C→T] in: hello_req. out: hello_rsp. libteec's first message on a connection (the
	 * core also sends an unsolicited HELLO reply with ret TEE_ERROR_BUSY, seq 0, to a
	 * client it cannot take, then closes). */
	TEE_MSG_HELLO = 7,
	/* [T→C] in: plugin_req + data, seq = the seq of the client's OPEN/INVOKE that is
	 * running the TA which called tee_invoke_supp_plugin(). out (C→T, with
	 * TEE_MSG_F_REPLY, same seq): plugin_rsp + data; ret = the plugin's result. Only
	 * the client runs normal-world plugin code, never the core or a TA host. */
	TEE_MSG_PLUGIN_CALL = 8,

	/* [T→H] in: host_init_req + fds {image memfd, control page memfd}. out: empty. */
	TEE_MSG_HOST_INIT = 0x20,
	/* [T→H] in: host_open_req (+ op fd). out: open_rsp. */
	TEE_MSG_HOST_OPEN = 0x21,
	/* [T→H] in: host_invoke_req (+ op fd). out: invoke_rsp. */
	TEE_MSG_HOST_INVOKE = 0x22,
	/* [T→H] in: close_req. out: empty. */
	TEE_MSG_HOST_CLOSE = 0x23,
	/* [T→H] in: host_shm_map_req + memfd. no reply. */
	TEE_MSG_HOST_SHM_MAP = 0x24,
	/* [T→H] in: shm_release_req. no reply. */
	TEE_MSG_HOST_SHM_UNMAP = 0x25,

	/* [H→T] in: host_log_req + text. no reply. */
	TEE_MSG_HOST_LOG = 0x40,
	/* [H→T] in: host_call_req + request bytes. out: response bytes. */
	TEE_MSG_HOST_CALL = 0x41,
};

struct tee_msg_hdr {
	uint32_t magic;
	uint16_t version;
	uint16_t cmd;
	uint32_t seq;
	uint32_t ret;    /* replies: TEE_Result */
	uint32_t origin; /* replies: TEE_ORIGIN_* */
	uint32_t len;    /* payload bytes following the header */
};
static_assert(sizeof(struct tee_msg_hdr) == 24, "tee_msg_hdr size");

/* type: TEE_PARAM_TYPE_*. value: a, b. memref: a = shm id, b = offset, c = size. */
struct tee_msg_param {
	uint32_t type;
	uint32_t reserved;
	uint64_t a;
	uint64_t b;
	uint64_t c;
};
static_assert(sizeof(struct tee_msg_param) == 32, "tee_msg_param size");

struct tee_msg_op {
	uint32_t param_types; /* TEE_PARAM_TYPES(...) — must agree with params[i].type */
	uint32_t op_id;       /* client-chosen, names the operation for CANCEL; 0 = none */
	struct tee_msg_param params[TEE_MSG_NUM_PARAMS];
};
static_assert(sizeof(struct tee_msg_op) == 136, "tee_msg_op size");

/*
 * The TA image travels with the request (flags TEE_MSG_OPEN_F_IMAGE): libteec looks
 * <uuid>.ta up in the client's directories and sends its contents as a memfd sealed
 * against writing, shrinking and growing — the last fd of the message — followed in the
 * body by the file's path (image_path_len bytes, no NUL; for the log and for the TA's
 * own TA-to-TA lookups). The core verifies and measures the image as it would a file.
 * TEE_MSG_OPEN_F_NOT_FOUND: libteec found no file; the body's path lists where it looked
 * (image_errno: the error of the last attempt). Without either flag (TA-to-TA, raw
 * clients) the core looks the TA up itself.
 */
#define TEE_MSG_OPEN_F_IMAGE 0x1u
#define TEE_MSG_OPEN_F_NOT_FOUND 0x2u
#define TEE_MSG_OPEN_MAX_PATH 4096u

struct tee_msg_open_req {
	uint8_t uuid[16];
	uint32_t login;      /* TEEC_LOGIN_* requested (core derives the identity itself) */
	uint32_t login_data; /* group id for GROUP logins */
	uint32_t flags;      /* TEE_MSG_OPEN_F_* */
	uint16_t image_path_len;
	uint16_t image_errno;
	struct tee_msg_op op;
};
static_assert(sizeof(struct tee_msg_open_req) == 168, "open_req size");

struct tee_msg_open_rsp {
	uint32_t session_id;
	uint32_t reserved;
	struct tee_msg_op op;
};
static_assert(sizeof(struct tee_msg_open_rsp) == 144, "open_rsp size");

struct tee_msg_invoke_req {
	uint32_t session_id;
	uint32_t cmd_id;
	struct tee_msg_op op;
};
static_assert(sizeof(struct tee_msg_invoke_req) == 144, "invoke_req size");

struct tee_msg_invoke_rsp {
	struct tee_msg_op op;
};

struct tee_msg_close_req {
	uint32_t session_id;
	uint32_t reserved;
};

struct tee_msg_shm_register_req {
	uint64_t size;
	uint32_t flags; /* TEEC_MEM_INPUT | TEEC_MEM_OUTPUT */
	uint32_t reserved;
};

struct tee_msg_shm_register_rsp {
	uint64_t shm_id;
};

struct tee_msg_shm_release_req {
	uint64_t shm_id;
};

/*
 * Version handshake: a core of another version or install is never used silently.
 * protocol: TEE_MSG_PROTOCOL of each side; version: the tzmediator version string;
 * teed_path: the client's idea of which tzm-teed it would start (empty: no opinion) and
 * the core's own executable. libteec refuses a core whose protocol, version or executable
 * differs from its own and says which, and where.
 */
#define TEE_MSG_PROTOCOL 2u
struct tee_msg_hello_req {
	uint32_t protocol;
	uint32_t reserved;
	char version[32];
};

struct tee_msg_hello_rsp {
	uint32_t protocol;
	int32_t pid;
	char version[32];
	char teed_path[4096];
};

struct tee_msg_cancel_req {
	uint32_t op_id;
	uint32_t reserved;
};

struct tee_msg_host_init_req {
	uint8_t uuid[16];
	uint64_t instance_id;
	uint64_t image_size; /* bytes in the image memfd (whole .ta file) */
	uint32_t insecure;   /* 1: TZM_INSECURE_NO_SANDBOX set */
	uint32_t reserved;
};
static_assert(sizeof(struct tee_msg_host_init_req) == 40, "host_init_req size");

struct tee_msg_host_open_req {
	uint32_t session_id;
	uint32_t client_login; /* TEE_LOGIN_* of the client identity */
	uint8_t client_uuid[16];
	struct tee_msg_op op;
};
static_assert(sizeof(struct tee_msg_host_open_req) == 160, "host_open_req size");

struct tee_msg_host_invoke_req {
	uint32_t session_id;
	uint32_t cmd_id;
	struct tee_msg_op op;
};

struct tee_msg_host_shm_map_req {
	uint64_t shm_id;
	uint64_t size;
};

struct tee_msg_host_log_req {
	uint32_t level;
	uint32_t reserved;
	/* followed by the text, not NUL-terminated, at most TEE_MSG_MAX_LOG_LINE bytes */
};
#define TEE_MSG_MAX_LOG_LINE 1024u

struct tee_msg_host_call_req {
	uint32_t cmd; /* 0x0100-0x01FF storage, 0x0200-0x02FF attestation, 0x0300 plugin */
	uint32_t reserved;
	/* followed by the request bytes (<= TEE_MSG_MAX_PAYLOAD) */
};

/* tee_invoke_supp_plugin(): the TA's request, relayed by the core to the client. */
struct tee_msg_plugin_req {
	uint8_t uuid[16]; /* plugin UUID, RFC 4122 byte order */
	uint32_t cmd;
	uint32_t sub_cmd;
	uint32_t len; /* bytes of data that follow; also the capacity for the output */
	uint32_t reserved;
};
struct tee_msg_plugin_rsp {
	uint32_t out_len; /* bytes of output that follow, <= the request's len */
	uint32_t reserved;
};
#define TEE_MSG_PLUGIN_MAX_DATA (60u * 1024u)

/*
 * Control page shared by tzm-teed (writer) and one tzm-ta-host (reader), a memfd of
 * TEE_CTL_PAGE_SIZE bytes. cancel_seq is also a futex word: the core stores the seq of the
 * host request being cancelled and FUTEX_WAKEs it; TEE_Wait sleeps on it.
 */
#define TEE_CTL_MAGIC 0x4c54435au
#define TEE_CTL_PAGE_SIZE 4096u
struct tee_ctl_page {
	uint32_t magic;
	uint32_t version;
	uint32_t cancel_seq;
	uint32_t reserved;
};

#endif
