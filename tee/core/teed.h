/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tzm-teed internals. One thread, one epoll loop over: the listening socket, client
 * connections (libteec), TA host channels (one per instance) and a signalfd. Nothing
 * blocks: sockets are non-blocking and a peer whose socket is full is dropped.
 *
 * Objects:
 *   conn      a peer that owns sessions and shared memory: a libteec context, or a TA
 *             instance acting as a client for TA-to-TA sessions (embedded in the instance)
 *   shm       a registered memfd (owner conn, size)
 *   instance  one tzm-ta-host process; a FIFO of pending ops (OPEN/INVOKE/CLOSE) of which
 *             at most one is in flight: entry points of an instance are serialized
 *   session   (owner conn, instance)
 *   op        a request waiting for or being executed by an instance
 */
#ifndef TZM_TEED_H
#define TZM_TEED_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <tee_api_types.h>

#include "core_services.h"
#include "msgio.h"
#include "system.h"

struct instance;
struct session;

enum conn_kind {
	CONN_CLIENT,
	CONN_HOST
};

struct conn {
	enum conn_kind kind;
	int fd;
	uint64_t id;
	pid_t pid;
	uid_t uid;
	gid_t gid;
	struct instance *inst;  /* CONN_HOST: the instance whose channel this is */
	unsigned limits_logged; /* kinds of limit refusals already logged (guard.c) */
	bool fds_refused_logged;
	struct conn *next;
};

struct shm {
	uint64_t id;
	int fd;
	uint64_t size;
	uint64_t held; /* bytes of the memfd (>= size): what the limits count */
	struct conn *owner;
	struct shm *next;
};

enum op_kind {
	OP_INIT,
	OP_OPEN,
	OP_INVOKE,
	OP_CLOSE
};

struct op {
	enum op_kind kind;
	struct conn *from; /* requester; NULL once it is gone (reply dropped) */
	uint32_t from_seq; /* requester's seq, echoed in the reply */
	uint32_t op_id;    /* requester's op id for CANCEL */
	struct session *sess;
	uint32_t cmd_id;
	struct tee_msg_op wop; /* validated request params (shm ids as the requester sent) */
	int op_fd;             /* temporary-memref bounce memfd or -1 */
	uint32_t host_seq;     /* seq of the request to the host while in flight */
	/* A tee_invoke_supp_plugin() call of the TA relayed to the client: the host's
	 * HOST_CALL seq to answer and the data capacity the TA gave. */
	bool plugin_pending;
	uint32_t plugin_host_seq;
	uint32_t plugin_len;
	bool cancelled;
	bool forced; /* killed after ignoring cancellation */
	uint64_t cancel_deadline_ms;
	struct op *next;
};

enum inst_state {
	INST_STARTING,
	INST_READY,
	INST_DEAD
};

struct instance {
	uint64_t id;
	uint8_t uuid[16];
	char uuid_str[37];
	uint32_t flags;
	uint8_t sha256[32];
	uint32_t module_kind; /* of its image (struct ta_image) */
	uint8_t module_sha256[32];
	enum inst_state state;
	pid_t pid;
	int fd;
	int ctl_fd;
	volatile uint32_t *ctl_cancel; /* control page cancel_seq */
	void *ctl_map;
	struct conn as_client; /* TA-to-TA requests from this instance */
	struct conn *creator;  /* whose session started it (NULL once gone): limits */
	char *ta_dir;          /* directory of its image, if known: its TA-to-TA lookups */
	struct op *queue;      /* head is in flight when busy */
	bool busy;
	int nsessions;
	uint64_t *mapped; /* shm ids already sent to the host */
	size_t nmapped, capmapped;
	uint32_t next_seq;
	uint64_t cancel_deadline_ms; /* DEAD: SIGKILL the host if it has not exited by then */
	struct instance *next;
};

struct session {
	uint32_t id;
	struct conn *owner;
	struct instance *inst;
	bool opened; /* TA_OpenSessionEntryPoint succeeded */
	bool dead;   /* instance died */
	bool closing;
	uint32_t login;
	uint8_t client_uuid[16];
	struct session *next;
};

/* guard.c: what peers may hold (read from the environment at start-up) */
struct core_limits {
	uint64_t client_sessions, client_instances, client_shm, client_shm_bytes, client_requests;
	uint64_t clients, instances, shm, shm_bytes, requests;
	uint64_t fd_limit;
};

/*
 * The core's whole state. main() owns the one instance and passes it to everything: tee/core
 * keeps no other mutable state at file scope (signals arrive through sig_fd, so no handler
 * needs a global either).
 */
struct core {
	int ep;
	int listen_fd;
	int sig_fd;
	char runtime_dir[4096];
	char state_dir[4096];
	char ta_dir[4096];
	char host_path[4096];
	char self_path[4096];
	char **wrapper; /* NULL-terminated words of TZM_EXEC_WRAPPER, or NULL */
	bool insecure;
	uint64_t idle_exit_ms;
	uint64_t cancel_grace_ms;
	uint64_t idle_since_ms;
	bool listen_paused; /* out of fds: not watching listen_fd until resume */
	uint64_t listen_resume_ms;
	unsigned emfile_logged, clients_cap_logged, enobufs_logged;
	uint64_t dir_check_ms; /* how often tee.sock is checked to still be ours */
	uint64_t next_dir_check_ms;
	dev_t sock_dev; /* tee.sock as we bound it (ino 0: not listening) */
	ino_t sock_ino;
	dev_t dir_dev; /* the runtime directory as we found it */
	ino_t dir_ino;
	struct conn *conns;
	struct instance *instances;
	struct session *sessions;
	struct shm *shms;
	uint64_t next_id;
	uint32_t next_session_id;
	bool stop;
	struct tzm__msg *msg;                      /* receive buffer */
	uint8_t service_resp[TEE_MSG_MAX_PAYLOAD]; /* a storage/attest answer being built */
	char tag_listen, tag_signal; /* their addresses: epoll tags of listen_fd and sig_fd */
	int log_fd;                  /* tee.log (stderr before core_log_open) */
	struct core_limits limits;
	int reserve_fd;          /* given up to accept a client when out of fds (guard.c) */
	int closer_pipe[2];      /* to the descriptor closer thread (guard.c) */
	unsigned closer_backlog; /* queued, not yet closed (atomic: shared with that thread) */
	struct core_system sys;
	struct core_storage *storage; /* secure storage service (storage.c) */
	struct core_attest *attest;   /* attestation service (attest.c) */
};

/* Zero state, no descriptor open (log to stderr): before anything else in main(). */
void core_state_init(struct core *core);

/* log.c */
/* Sanitizer builds (TZM_SANITIZE=ON): reports of the core and of TA hosts go to tee.log
 * (see instance.c and main.c), where a test run can look for them. */
#if defined(__SANITIZE_ADDRESS__)
#define CORE_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CORE_SANITIZER 1
#endif
#endif

int core_log_open(struct core *core, const char *path);
int core_log_fd(const struct core *core); /* tee.log (stderr before core_log_open) */
/* core NULL: stderr (services used without a core, as in their unit tests) */
void core_log(const struct core *core, char level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void core_log_ta(const struct core *core, const struct instance *inst, uint32_t level,
		 const char *text, size_t len);

/* teed.c */
uint64_t core_now_ms(void);
int core_ep_add(struct core *core, int fd, void *ptr);
void core_ep_del(struct core *core, int fd);
/* Binds and listens on <dir>/tee.sock (replacing a stale one); fd or -errno. */
int core_listen_socket(struct core *core, const char *dir);
int core_send_reply(struct core *core, struct conn *c, uint16_t cmd, uint32_t seq, TEE_Result res,
		    uint32_t origin, const void *body, size_t len);
void core_conn_drop(struct core *core, struct conn *c);
int core_loop(struct core *core);

/* conn.c: requests from clients (and from TA hosts acting as clients) */
void core_conn_handle(struct core *core, struct conn *c, struct tzm__msg *m);
void core_conn_gone(struct core *core, struct conn *c);
struct shm *core_shm_find(struct core *core, uint64_t id);
void core_session_remove(struct core *core, struct session *s);

/* guard.c: foreign descriptors and per-client / global limits */
int core_guard_init(struct core *core);
bool core_fd_is_memfd(int fd);
/* Closes a peer's fd without ever blocking the event loop (see guard.c). */
void core_fd_discard(struct core *core, int fd);
/* The same as a tzm__msg_recv_ex() callback (ctx: the struct core). */
void core_fd_discard_cb(void *ctx, int fd);
/* Replaces every fd of m that is not a memfd by -1 (discarded); returns how many. */
unsigned core_fd_vet(struct core *core, struct tzm__msg *m);
/* accept() failed with EMFILE: accept one client with the reserve fd, tell it BUSY. */
int core_accept_emfile(struct core *core, int listen_fd);
bool core_limit_client(struct core *core);
TEE_Result core_limit_session(struct core *core, struct conn *c);
TEE_Result core_limit_instance(struct core *core, struct conn *c);
TEE_Result core_limit_request(struct core *core, struct conn *c);
TEE_Result core_limit_shm(struct core *core, struct conn *c, uint64_t size);

/* ta_load.c */
struct ta_image {
	int memfd; /* sealed copy for the TA host */
	uint64_t size;
	uint32_t flags;            /* TA_FLAGS of the header */
	uint8_t sha256[32];        /* measurement */
	uint32_t module_kind;      /* TA_IMAGE_MODULE_* of the header */
	uint8_t module_sha256[32]; /* TA_IMAGE_MODULE_WASM: the module's SHA-256 */
	char dir[4096];            /* directory it came from ("" unknown): TA-to-TA lookups */
};
/* <uuid>.ta from the first of dirs (NULL-terminated) that has one. */
int core_ta_load(struct core *core, const uint8_t uuid[16], const char *const *dirs,
		 struct ta_image *img, TEE_Result *res);
/* The image a client sent (a sealed memfd; path: where the client read it). */
int core_ta_load_memfd(struct core *core, const uint8_t uuid[16], int fd, const char *path,
		       struct ta_image *img, TEE_Result *res);

/* instance.c */
/* The instance for a new session of c: a running single instance of the same image,
 * or a new one (within c's limits). img: the image (consumed), or NULL to look the TA
 * up in the core's directories. */
TEE_Result core_instance_get(struct core *core, struct conn *c, const uint8_t uuid[16],
			     struct ta_image *img, struct instance **out);
void core_instance_queue(struct core *core, struct instance *inst, struct op *op);
void core_instance_handle(struct core *core, struct instance *inst, struct tzm__msg *m);
void core_instance_channel_gone(struct core *core, struct instance *inst);
void core_instance_reaped(struct core *core, pid_t pid, int status);
void core_instance_tick(struct core *core, uint64_t now, uint64_t *next_deadline);
void core_instance_cancel(struct core *core, struct conn *from, uint32_t op_id);
void core_instance_conn_gone(struct core *core, struct conn *c);
void core_instance_plugin_reply(struct core *core, struct conn *c, const struct tzm__msg *m);
void core_instance_creator_gone(struct core *core, struct conn *c);
void core_instance_shm_released(struct core *core, uint64_t shm_id);
void core_instance_maybe_release(struct core *core, struct instance *inst);
void core_op_free(struct op *op);

#endif
