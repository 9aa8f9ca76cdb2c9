/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TA-to-TA sessions: the calling TA host acts as a client of tzm-teed on its own channel.
 * Memref parameters are copied into a sealed per-call memfd (TEE_MSG_SHM_OP_FD), exactly
 * like a client's temporary memrefs, and copied back afterwards; the core identifies the
 * caller as TEE_LOGIN_TRUSTED_APP with this TA's UUID. cancellationRequestTimeout is
 * accepted but calls are not cancelled on a timeout.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "host.h"
#include "uuid.h"

struct __TEE_TASessionHandle {
	uint32_t magic;
	uint32_t session_id;
};
#define SESS_MAGIC 0x54415353u

struct stage {
	int fd;
	uint8_t *map;
	size_t len;
	size_t off[TEE_NUM_PARAMS];
};

static struct tzm__msg g_reply; /* TA thread only */

static TEE_Result encode(uint32_t types, TEE_Param *params, struct tee_msg_op *op, struct stage *st)
{
	size_t total = 0;

	memset(op, 0, sizeof(*op));
	st->fd = -1;
	st->map = NULL;
	st->len = 0;
	op->param_types = types & 0xffff;
	for (int i = 0; i < TEE_NUM_PARAMS; i++) {
		uint32_t t = TEE_PARAM_TYPE_GET(types, i);

		op->params[i].type = t;
		switch (t) {
		case TEE_PARAM_TYPE_NONE:
			break;
		case TEE_PARAM_TYPE_VALUE_INPUT:
		case TEE_PARAM_TYPE_VALUE_OUTPUT:
		case TEE_PARAM_TYPE_VALUE_INOUT:
			op->params[i].a = params[i].value.a;
			op->params[i].b = params[i].value.b;
			break;
		case TEE_PARAM_TYPE_MEMREF_INPUT:
		case TEE_PARAM_TYPE_MEMREF_OUTPUT:
		case TEE_PARAM_TYPE_MEMREF_INOUT:
			op->params[i].c = params[i].memref.size;
			if (!params[i].memref.buffer) {
				op->params[i].a = TEE_MSG_SHM_NULL;
				break;
			}
			total = (total + 7) & ~(size_t)7;
			st->off[i] = total;
			/* an empty buffer still gets a byte: the callee sees non-NULL, size 0 */
			if (__builtin_add_overflow(
				    total, params[i].memref.size ? params[i].memref.size : 1,
				    &total)) {
				return TEE_ERROR_BAD_PARAMETERS;
			}
			op->params[i].a = TEE_MSG_SHM_OP_FD;
			op->params[i].b = st->off[i];
			break;
		default:
			return TEE_ERROR_BAD_PARAMETERS;
		}
	}
	if (total) {
		size_t len = (total + 4095) & ~(size_t)4095;

		st->fd = memfd_create("ta2ta", MFD_CLOEXEC | MFD_ALLOW_SEALING);
		if (st->fd < 0 || ftruncate(st->fd, (off_t)len) ||
		    fcntl(st->fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)) {
			return TEE_ERROR_OUT_OF_MEMORY;
		}
		st->map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, st->fd, 0);
		if (st->map == MAP_FAILED) {
			st->map = NULL;
			return TEE_ERROR_OUT_OF_MEMORY;
		}
		st->len = len;
		for (int i = 0; i < TEE_NUM_PARAMS; i++) {
			uint32_t t = TEE_PARAM_TYPE_GET(types, i);
			if (t >= TEE_PARAM_TYPE_MEMREF_INPUT && params[i].memref.buffer &&
			    t != TEE_PARAM_TYPE_MEMREF_OUTPUT) {
				memcpy(st->map + st->off[i], params[i].memref.buffer,
				       params[i].memref.size);
			}
		}
	}
	return TEE_SUCCESS;
}

static void decode(uint32_t types, TEE_Param *params, const struct tee_msg_op *op,
		   const struct stage *st, TEE_Result res)
{
	for (int i = 0; i < TEE_NUM_PARAMS; i++) {
		uint32_t t = TEE_PARAM_TYPE_GET(types, i);

		if (op->params[i].type != t) {
			continue;
		}
		if (t == TEE_PARAM_TYPE_VALUE_OUTPUT || t == TEE_PARAM_TYPE_VALUE_INOUT) {
			params[i].value.a = (uint32_t)op->params[i].a;
			params[i].value.b = (uint32_t)op->params[i].b;
		} else if (t == TEE_PARAM_TYPE_MEMREF_OUTPUT || t == TEE_PARAM_TYPE_MEMREF_INOUT) {
			uint64_t n = op->params[i].c;

			if (res == TEE_SUCCESS && params[i].memref.buffer &&
			    n <= params[i].memref.size) {
				memcpy(params[i].memref.buffer, st->map + st->off[i], (size_t)n);
			}
			if (res == TEE_SUCCESS || res == TEE_ERROR_SHORT_BUFFER) {
				params[i].memref.size = (size_t)n;
			}
		}
	}
}

static void stage_free(struct stage *st)
{
	if (st->map) {
		munmap(st->map, st->len);
	}
	if (st->fd >= 0) {
		close(st->fd);
	}
}

static TEE_Result call(uint16_t cmd, const void *req, size_t req_len, size_t op_off, uint32_t types,
		       TEE_Param *params, void *rsp, size_t rsp_len, size_t rsp_op_off,
		       uint32_t *origin)
{
	struct tee_msg_op op;
	struct stage st;
	uint8_t buf[sizeof(struct tee_msg_open_req)];
	TEE_Result res;

	*origin = TEE_ORIGIN_API;
	res = encode(types, params, &op, &st);
	if (res == TEE_SUCCESS) {
		memcpy(buf, req, req_len);
		memcpy(buf + op_off, &op, sizeof(op));
		*origin = TEE_ORIGIN_COMMS;
		if (host_rpc(cmd, buf, req_len, NULL, 0, st.fd >= 0 ? &st.fd : NULL,
			     st.fd >= 0 ? 1 : 0, &g_reply)) {
			res = TEE_ERROR_COMMUNICATION;
		} else {
			tzm__msg_close_fds(&g_reply);
			res = g_reply.hdr.ret;
			*origin = g_reply.hdr.origin;
			if (g_reply.hdr.len == rsp_len) {
				struct tee_msg_op got;

				memcpy(rsp, g_reply.body, rsp_len);
				memcpy(&got, (uint8_t *)rsp + rsp_op_off, sizeof(got));
				decode(types, params, &got, &st, res);
			} else if (res == TEE_SUCCESS) {
				res = TEE_ERROR_COMMUNICATION;
				*origin = TEE_ORIGIN_COMMS;
			}
		}
	}
	stage_free(&st);
	return res;
}

TEE_Result TEE_OpenTASession(const TEE_UUID *destination, uint32_t cancellationRequestTimeout,
			     uint32_t paramTypes, TEE_Param params[TEE_NUM_PARAMS],
			     TEE_TASessionHandle *session, uint32_t *returnOrigin)
{
	struct tee_msg_open_req req;
	struct tee_msg_open_rsp rsp;
	struct __TEE_TASessionHandle *h;
	uint32_t origin = TEE_ORIGIN_API;
	TEE_Result res;

	(void)cancellationRequestTimeout;
	if (!destination || !session) {
		host_panic(TEE_ERROR_BAD_PARAMETERS, "TEE_OpenTASession: NULL argument");
	}
	*session = TEE_HANDLE_NULL;
	memset(&req, 0, sizeof(req));
	memset(&rsp, 0, sizeof(rsp));
	tzm__uuid_to_bytes((const struct tzm__uuid *)destination, req.uuid);
	req.login = TEE_LOGIN_TRUSTED_APP;
	h = heap_alloc(sizeof(*h), true);
	if (!h) {
		res = TEE_ERROR_OUT_OF_MEMORY;
		goto out;
	}
	res = call(TEE_MSG_OPEN_SESSION, &req, sizeof(req), offsetof(struct tee_msg_open_req, op),
		   paramTypes, params, &rsp, sizeof(rsp), offsetof(struct tee_msg_open_rsp, op),
		   &origin);
	if (res == TEE_SUCCESS) {
		h->magic = SESS_MAGIC;
		h->session_id = rsp.session_id;
		*session = h;
		h = NULL;
	}
	heap_free(h);
out:
	if (returnOrigin) {
		*returnOrigin = origin;
	}
	return res;
}

static struct __TEE_TASessionHandle *handle_of(TEE_TASessionHandle s)
{
	if (!s || !heap_contains(s, sizeof(*s)) || s->magic != SESS_MAGIC) {
		host_panic(TEE_ERROR_BAD_PARAMETERS, "invalid TA session handle");
	}
	return s;
}

TEE_Result TEE_InvokeTACommand(TEE_TASessionHandle session, uint32_t cancellationRequestTimeout,
			       uint32_t commandID, uint32_t paramTypes,
			       TEE_Param params[TEE_NUM_PARAMS], uint32_t *returnOrigin)
{
	struct tee_msg_invoke_req req;
	struct tee_msg_invoke_rsp rsp;
	uint32_t origin = TEE_ORIGIN_API;
	TEE_Result res;

	(void)cancellationRequestTimeout;
	memset(&req, 0, sizeof(req));
	req.session_id = handle_of(session)->session_id;
	req.cmd_id = commandID;
	res = call(TEE_MSG_INVOKE, &req, sizeof(req), offsetof(struct tee_msg_invoke_req, op),
		   paramTypes, params, &rsp, sizeof(rsp), 0, &origin);
	if (returnOrigin) {
		*returnOrigin = origin;
	}
	return res;
}

void TEE_CloseTASession(TEE_TASessionHandle session)
{
	struct tee_msg_close_req req;
	struct __TEE_TASessionHandle *h;

	if (!session) {
		return;
	}
	h = handle_of(session);
	memset(&req, 0, sizeof(req));
	req.session_id = h->session_id;
	if (host_rpc(TEE_MSG_CLOSE_SESSION, &req, sizeof(req), NULL, 0, NULL, 0, &g_reply) == 0) {
		tzm__msg_close_fds(&g_reply);
	}
	h->magic = 0;
	heap_free(h);
}

/* GP 1.1 twins: uint32_t memref sizes. */
static bool to13(uint32_t types, const __GP11_TEE_Param *in, TEE_Param *out)
{
	for (int i = 0; i < TEE_NUM_PARAMS; i++) {
		if (TEE_PARAM_TYPE_GET(types, i) >= TEE_PARAM_TYPE_MEMREF_INPUT) {
			out[i].memref.buffer = in[i].memref.buffer;
			out[i].memref.size = in[i].memref.size;
		} else {
			out[i].value.a = in[i].value.a;
			out[i].value.b = in[i].value.b;
		}
	}
	return true;
}

static void to11(uint32_t types, const TEE_Param *in, __GP11_TEE_Param *out)
{
	for (int i = 0; i < TEE_NUM_PARAMS; i++) {
		if (TEE_PARAM_TYPE_GET(types, i) >= TEE_PARAM_TYPE_MEMREF_INPUT) {
			out[i].memref.size = (uint32_t)in[i].memref.size;
		} else {
			out[i].value.a = in[i].value.a;
			out[i].value.b = in[i].value.b;
		}
	}
}

TEE_Result __GP11_TEE_OpenTASession(const TEE_UUID *destination,
				    uint32_t cancellationRequestTimeout, uint32_t paramTypes,
				    __GP11_TEE_Param params[TEE_NUM_PARAMS],
				    TEE_TASessionHandle *session, uint32_t *returnOrigin)
{
	TEE_Param p[TEE_NUM_PARAMS];
	TEE_Result res;

	memset(p, 0, sizeof(p));
	if (params) {
		to13(paramTypes, params, p);
	}
	res = TEE_OpenTASession(destination, cancellationRequestTimeout, paramTypes, p, session,
				returnOrigin);
	if (params) {
		to11(paramTypes, p, params);
	}
	return res;
}

TEE_Result __GP11_TEE_InvokeTACommand(TEE_TASessionHandle session,
				      uint32_t cancellationRequestTimeout, uint32_t commandID,
				      uint32_t paramTypes, __GP11_TEE_Param params[TEE_NUM_PARAMS],
				      uint32_t *returnOrigin)
{
	TEE_Param p[TEE_NUM_PARAMS];
	TEE_Result res;

	memset(p, 0, sizeof(p));
	if (params) {
		to13(paramTypes, params, p);
	}
	res = TEE_InvokeTACommand(session, cancellationRequestTimeout, commandID, paramTypes, p,
				  returnOrigin);
	if (params) {
		to11(paramTypes, p, params);
	}
	return res;
}
