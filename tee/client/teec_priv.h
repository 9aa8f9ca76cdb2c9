/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libteec internals: the per-context connection to tzm-teed (transport.c) and the GP API
 * on top of it (teec.c, shm.c).
 */
#ifndef TZM_TEEC_PRIV_H
#define TZM_TEEC_PRIV_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <tee_client_api.h>

#include "msgio.h"

struct tzm__teec_waiter;

struct tzm__teec_ctx {
	int sock;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool reader_active; /* one thread reads the socket for everyone (leader/follower) */
	bool dead;          /* connection lost: every call fails with COMMUNICATION */
	uint32_t next_seq;
	uint32_t next_op_id;
	struct tzm__teec_waiter *waiters;
};

/* Connects to (starting if needed) tzm-teed. Returns a socket fd or -errno. */
/* Client API misuse that GP answers with TEEC_ERROR_BAD_PARAMETERS (origin API): the TEE
 * never sees such a call, so libteec says on stderr which check failed, then returns
 * TEEC_ERROR_BAD_PARAMETERS. */
TEEC_Result tzm__teec_bad_param(const char *fn, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

int tzm__teec_connect(void);

/*
 * Sends a request and waits for its reply (any thread may call concurrently).
 * reply must be a caller-owned buffer; its fds belong to the caller afterwards.
 * Returns 0 (reply->hdr.ret/origin hold the GP result) or -errno on transport failure.
 */
int tzm__teec_call(struct tzm__teec_ctx *c, uint16_t cmd, const void *req, size_t req_len,
		   const int *fds, int nfds, struct tzm__msg *reply);
/*
 * tzm__teec_call for an operation TEEC_RequestCancellation may cancel: op_id is stored
 * into *id_slot only once the request is on the socket, so that a cancellation (sent after
 * reading the id) always reaches the core after the operation it names; a cancellation
 * that came earlier (*cancel set, id not yet visible) is sent here, right after the request.
 */
int tzm__teec_call_op(struct tzm__teec_ctx *c, uint16_t cmd, const void *req, size_t req_len,
		      const int *fds, int nfds, struct tzm__msg *reply, uint32_t *id_slot,
		      uint32_t op_id, uint32_t *cancel);

/* Runs the plugin a TA asked for (TEE_MSG_PLUGIN_CALL from the core, plugin.c) and sends
 * the answer. Called by the thread reading the socket, without c->lock. 0 or -errno (the
 * answer could not be sent). */
int tzm__teec_plugin_call(struct tzm__teec_ctx *c, const struct tzm__msg *m);

/* Fire-and-forget message (CANCEL). */
int tzm__teec_post(struct tzm__teec_ctx *c, uint16_t cmd, const void *req, size_t req_len);

#define TZM_SHM_F_ALLOCATED 0x1u /* TEEC_AllocateSharedMemory: we own the mapping */
#define TZM_SHM_F_ZEROCOPY 0x2u  /* registered buffer remapped onto the memfd */
#define TZM_SHM_F_STAGED 0x4u    /* registered buffer staged through shadow_buffer */
#define TZM_SHM_F_FD 0x8u        /* TEEC_RegisterSharedMemoryFileDescriptor */

#endif
