/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * GlobalPlatform TEE Client API: contexts, sessions, commands and cancellation, on top of
 * the tzm-teed connection (transport.c) and shared memory (shm.c).
 *
 * Operation marshalling: values travel inline; temporary memrefs are staged through a
 * per-operation bounce memfd sent with the request (TEE_MSG_SHM_OP_FD); registered
 * memrefs travel as (shm id, offset, size), with staged registrations copied to/from
 * their shadow around the call. Output sizes are written back for SUCCESS and
 * SHORT_BUFFER; output data only when it fits the caller's buffer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "teec_priv.h"
#include "uuid.h"

#define EXPORT __attribute__((visibility("default")))

TEEC_Result tzm__teec_bad_param(const char *fn, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	fprintf(stderr, "libteec: %s: %s: TEEC_ERROR_BAD_PARAMETERS\n", fn, why);
	return TEEC_ERROR_BAD_PARAMETERS;
}

static struct tzm__teec_ctx *ctx_of(TEEC_Context *ctx)
{
	return ctx ? ctx->imp.priv : NULL;
}

EXPORT TEEC_Result TEEC_InitializeContext(const char *name, TEEC_Context *ctx)
{
	struct tzm__teec_ctx *c;
	int s;

	(void)name; /* one emulated TEE: any name selects it */
	if (!ctx) {
		return tzm__teec_bad_param(__func__, "context is NULL");
	}
	memset(ctx, 0, sizeof(*ctx));
	ctx->imp.fd = -1;
	c = calloc(1, sizeof(*c));
	if (!c) {
		return TEEC_ERROR_OUT_OF_MEMORY;
	}
	s = tzm__teec_connect();
	if (s < 0) {
		free(c);
		return TEEC_ERROR_COMMUNICATION;
	}
	c->sock = s;
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->cond, NULL);
	ctx->imp.fd = s;
	ctx->imp.priv = c;
	ctx->imp.reg_mem = true;
	ctx->imp.memref_null = true;
	return TEEC_SUCCESS;
}

EXPORT void TEEC_FinalizeContext(TEEC_Context *ctx)
{
	struct tzm__teec_ctx *c = ctx_of(ctx);

	if (!c) {
		return;
	}
	/* Closing the socket makes tzm-teed close our sessions and release our memory. */
	close(c->sock);
	pthread_cond_destroy(&c->cond);
	pthread_mutex_destroy(&c->lock);
	free(c);
	ctx->imp.priv = NULL;
	ctx->imp.fd = -1;
}

struct op_stage {
	int fd;
	uint8_t *map;
	size_t len;
	size_t off[TEEC_CONFIG_PAYLOAD_REF_COUNT];
};

static bool is_tmp(uint32_t t)
{
	return t >= TEEC_MEMREF_TEMP_INPUT && t <= TEEC_MEMREF_TEMP_INOUT;
}

static bool is_reg(uint32_t t)
{
	return t >= TEEC_MEMREF_WHOLE && t <= TEEC_MEMREF_PARTIAL_INOUT;
}

/* TEE-side direction (TEE_PARAM_TYPE_MEMREF_*) of a registered memref parameter. */
static uint32_t reg_dir(uint32_t t, const TEEC_SharedMemory *shm)
{
	if (t == TEEC_MEMREF_WHOLE) {
		uint32_t f = shm->flags & (TEEC_MEM_INPUT | TEEC_MEM_OUTPUT);
		return f == TEEC_MEM_INPUT ? 5 : f == TEEC_MEM_OUTPUT ? 6 : 7;
	}
	return t - 8; /* PARTIAL_INPUT 0xD → 5, OUTPUT → 6, INOUT → 7 */
}

/* fn: the API function, for the message on a bad parameter. */
static TEEC_Result encode_op(const char *fn, TEEC_Context *ctx, TEEC_Operation *op,
			     struct tee_msg_op *w, struct op_stage *st)
{
	size_t total = 0;

	memset(w, 0, sizeof(*w));
	st->fd = -1;
	st->map = NULL;
	st->len = 0;
	if (!op) {
		return TEEC_SUCCESS;
	}
	for (int i = 0; i < TEEC_CONFIG_PAYLOAD_REF_COUNT; i++) {
		uint32_t t = TEEC_PARAM_TYPE_GET(op->paramTypes, i);
		TEEC_Parameter *p = &op->params[i];
		struct tee_msg_param *wp = &w->params[i];

		switch (t) {
		case TEEC_NONE:
			break;
		case TEEC_VALUE_INPUT:
		case TEEC_VALUE_OUTPUT:
		case TEEC_VALUE_INOUT:
			wp->type = t;
			wp->a = p->value.a;
			wp->b = p->value.b;
			break;
		case TEEC_MEMREF_TEMP_INPUT:
		case TEEC_MEMREF_TEMP_OUTPUT:
		case TEEC_MEMREF_TEMP_INOUT:
			wp->type = t;
			wp->c = p->tmpref.size;
			if (!p->tmpref.buffer) {
				wp->a = TEE_MSG_SHM_NULL;
				break;
			}
			total = (total + 7) & ~(size_t)7;
			st->off[i] = total;
			/* An empty buffer still gets a byte of the staging area: the TA must see
			 * a non-NULL buffer of size 0, as on OP-TEE (which allocates 8 bytes). */
			if (__builtin_add_overflow(total, p->tmpref.size ? p->tmpref.size : 1,
						   &total)) {
				return tzm__teec_bad_param(fn, "parameter %d: temporary memrefs too "
							   "large", i);
			}
			wp->a = TEE_MSG_SHM_OP_FD;
			wp->b = st->off[i];
			break;
		case TEEC_MEMREF_WHOLE:
		case TEEC_MEMREF_PARTIAL_INPUT:
		case TEEC_MEMREF_PARTIAL_OUTPUT:
		case TEEC_MEMREF_PARTIAL_INOUT: {
			TEEC_SharedMemory *shm = p->memref.parent;
			size_t end;

			if (!shm || shm->imp.id < 0 || shm->imp.ctx != ctx) {
				return tzm__teec_bad_param(fn, "parameter %d: memref parent is %s", i,
							   !shm ? "NULL" :
							   shm->imp.id < 0 ? "not registered" :
									     "of another context");
			}
			wp->type = reg_dir(t, shm);
			wp->a = (uint64_t)shm->imp.id;
			if (t == TEEC_MEMREF_WHOLE) {
				wp->b = 0;
				wp->c = shm->size;
				break;
			}
			if (((wp->type & 1) && !(shm->flags & TEEC_MEM_INPUT)) ||
			    ((wp->type & 2) && !(shm->flags & TEEC_MEM_OUTPUT))) {
				return tzm__teec_bad_param(fn, "parameter %d: direction not allowed "
							   "by the shared memory's flags", i);
			}
			if (__builtin_add_overflow(p->memref.offset, p->memref.size, &end) ||
			    end > shm->size) {
				return tzm__teec_bad_param(fn, "parameter %d: partial memref runs past "
							   "the shared memory", i);
			}
			wp->b = p->memref.offset;
			wp->c = p->memref.size;
			break;
		}
		default:
			return tzm__teec_bad_param(fn, "parameter %d: undefined type 0x%x", i, t);
		}
	}
	w->param_types = 0;
	for (int i = 0; i < TEEC_CONFIG_PAYLOAD_REF_COUNT; i++) {
		w->param_types |= w->params[i].type << (4 * i);
	}
	if (total) {
		long ps = sysconf(_SC_PAGESIZE);
		size_t len = (total + (size_t)ps - 1) & ~((size_t)ps - 1);

		if (len < total) {
			return TEEC_ERROR_OUT_OF_MEMORY;
		}
		st->fd = memfd_create("teec-tmpref", MFD_CLOEXEC | MFD_ALLOW_SEALING);
		if (st->fd < 0 || ftruncate(st->fd, (off_t)len) ||
		    fcntl(st->fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)) {
			return TEEC_ERROR_OUT_OF_MEMORY;
		}
		st->map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, st->fd, 0);
		if (st->map == MAP_FAILED) {
			st->map = NULL;
			return TEEC_ERROR_OUT_OF_MEMORY;
		}
		st->len = len;
	}
	/* Stage inputs. */
	for (int i = 0; i < TEEC_CONFIG_PAYLOAD_REF_COUNT; i++) {
		uint32_t t = TEEC_PARAM_TYPE_GET(op->paramTypes, i);
		TEEC_Parameter *p = &op->params[i];

		if (is_tmp(t) && p->tmpref.buffer && t != TEEC_MEMREF_TEMP_OUTPUT) {
			memcpy(st->map + st->off[i], p->tmpref.buffer, p->tmpref.size);
		} else if (is_reg(t) && (p->memref.parent->imp.flags & TZM_SHM_F_STAGED)) {
			TEEC_SharedMemory *shm = p->memref.parent;
			size_t off = t == TEEC_MEMREF_WHOLE ? 0 : p->memref.offset;
			size_t sz = w->params[i].c;

			/* outputs are staged too: the TA may read what it is about to overwrite */
			memcpy((uint8_t *)shm->imp.shadow_buffer + off, (uint8_t *)shm->buffer + off,
			       sz);
		}
	}
	return TEEC_SUCCESS;
}

static void stage_free(struct op_stage *st)
{
	if (st->map) {
		munmap(st->map, st->len);
	}
	if (st->fd >= 0) {
		close(st->fd);
	}
	st->map = NULL;
	st->fd = -1;
}

static void decode_op(TEEC_Operation *op, const struct tee_msg_op *w, const struct op_stage *st,
		      TEEC_Result res)
{
	if (!op) {
		return;
	}
	for (int i = 0; i < TEEC_CONFIG_PAYLOAD_REF_COUNT; i++) {
		uint32_t t = TEEC_PARAM_TYPE_GET(op->paramTypes, i);
		TEEC_Parameter *p = &op->params[i];
		const struct tee_msg_param *wp = &w->params[i];

		if (t == TEEC_VALUE_OUTPUT || t == TEEC_VALUE_INOUT) {
			p->value.a = (uint32_t)wp->a;
			p->value.b = (uint32_t)wp->b;
		} else if (is_tmp(t) && t != TEEC_MEMREF_TEMP_INPUT) {
			if (res == TEEC_SUCCESS && p->tmpref.buffer && wp->c <= p->tmpref.size) {
				memcpy(p->tmpref.buffer, st->map + st->off[i], wp->c);
			}
			if (res == TEEC_SUCCESS || res == TEEC_ERROR_SHORT_BUFFER) {
				p->tmpref.size = wp->c;
			}
		} else if (is_reg(t)) {
			TEEC_SharedMemory *shm = p->memref.parent;
			size_t off = t == TEEC_MEMREF_WHOLE ? 0 : p->memref.offset;
			size_t orig = t == TEEC_MEMREF_WHOLE ? shm->size : p->memref.size;
			uint32_t dir = reg_dir(t, shm);

			if (dir == 5) {
				continue;
			}
			if (res == TEEC_SUCCESS && (shm->imp.flags & TZM_SHM_F_STAGED) &&
			    wp->c <= orig) {
				memcpy((uint8_t *)shm->buffer + off,
				       (uint8_t *)shm->imp.shadow_buffer + off, wp->c);
			}
			if (res == TEEC_SUCCESS || res == TEEC_ERROR_SHORT_BUFFER) {
				p->memref.size = wp->c;
			}
		}
	}
}

/* Validates the reply's op against what we sent: same types, sane sizes. */
static bool reply_op_ok(const struct tee_msg_op *sent, const struct tee_msg_op *got)
{
	for (int i = 0; i < TEEC_CONFIG_PAYLOAD_REF_COUNT; i++) {
		if (got->params[i].type != sent->params[i].type) {
			return false;
		}
	}
	return true;
}

static TEEC_Result do_call(TEEC_Context *ctx, uint16_t cmd, void *req, size_t req_len,
			   struct tee_msg_op *wop, TEEC_Operation *op, void *rsp, size_t rsp_len,
			   size_t rsp_op_off, uint32_t *origin)
{
	struct tzm__teec_ctx *c = ctx_of(ctx);
	struct op_stage st;
	struct tzm__msg *reply = NULL;
	TEEC_Result res;
	int rc;

	*origin = TEEC_ORIGIN_API;
	res = encode_op(cmd == TEE_MSG_OPEN_SESSION ? "TEEC_OpenSession" : "TEEC_InvokeCommand", ctx, op,
			wop, &st);
	if (res != TEEC_SUCCESS) {
		goto out;
	}
	if (op) {
		wop->op_id = __atomic_add_fetch(&c->next_op_id, 1, __ATOMIC_RELAXED);
		__atomic_store_n(&op->imp.op_id, wop->op_id, __ATOMIC_RELEASE);
	}
	reply = malloc(sizeof(*reply));
	if (!reply) {
		res = TEEC_ERROR_OUT_OF_MEMORY;
		goto out;
	}
	rc = tzm__teec_call(c, cmd, req, req_len, st.fd >= 0 ? &st.fd : NULL, st.fd >= 0 ? 1 : 0,
			    reply);
	*origin = TEEC_ORIGIN_COMMS;
	if (rc) {
		res = TEEC_ERROR_COMMUNICATION;
		goto out;
	}
	tzm__msg_close_fds(reply);
	res = reply->hdr.ret;
	*origin = reply->hdr.origin;
	if (reply->hdr.len == rsp_len) {
		struct tee_msg_op got;

		memcpy(rsp, reply->body, rsp_len);
		memcpy(&got, (uint8_t *)rsp + rsp_op_off, sizeof(got));
		if (!reply_op_ok(wop, &got)) {
			res = TEEC_ERROR_COMMUNICATION;
			*origin = TEEC_ORIGIN_COMMS;
			goto out;
		}
		decode_op(op, &got, &st, res);
	} else if (res == TEEC_SUCCESS) {
		res = TEEC_ERROR_COMMUNICATION;
		*origin = TEEC_ORIGIN_COMMS;
	}
out:
	if (op) {
		__atomic_store_n(&op->imp.op_id, 0, __ATOMIC_RELEASE);
	}
	stage_free(&st);
	free(reply);
	return res;
}

EXPORT TEEC_Result TEEC_OpenSession(TEEC_Context *ctx, TEEC_Session *session,
				    const TEEC_UUID *dest, uint32_t method, const void *data,
				    TEEC_Operation *op, uint32_t *ret_origin)
{
	struct tee_msg_open_req req;
	struct tee_msg_open_rsp rsp;
	uint32_t origin = TEEC_ORIGIN_API;
	TEEC_Result res = TEEC_ERROR_BAD_PARAMETERS;

	memset(&req, 0, sizeof(req));
	memset(&rsp, 0, sizeof(rsp));
	if (!ctx_of(ctx) || !session || !dest) {
		res = tzm__teec_bad_param(__func__, "%s is NULL",
					  !ctx_of(ctx) ? "context" : !session ? "session" : "UUID");
		goto out;
	}
	switch (method) {
	case TEEC_LOGIN_PUBLIC:
	case TEEC_LOGIN_USER:
	case TEEC_LOGIN_APPLICATION:
	case TEEC_LOGIN_USER_APPLICATION:
		break;
	case TEEC_LOGIN_GROUP:
	case TEEC_LOGIN_GROUP_APPLICATION:
		if (!data) {
			res = tzm__teec_bad_param(__func__, "group login without a group");
			goto out;
		}
		memcpy(&req.login_data, data, sizeof(uint32_t)); /* gid_t */
		break;
	default:
		res = tzm__teec_bad_param(__func__, "undefined login method 0x%x", method);
		goto out;
	}
	req.login = method;
	tzm__uuid_to_bytes((const struct tzm__uuid *)dest, req.uuid);
	if (op) {
		op->started = 1;
		op->imp.session = session;
	}
	session->imp.ctx = ctx;
	res = do_call(ctx, TEE_MSG_OPEN_SESSION, &req, sizeof(req), &req.op, op, &rsp,
		      sizeof(rsp), offsetof(struct tee_msg_open_rsp, op), &origin);
	if (res == TEEC_SUCCESS) {
		session->imp.session_id = rsp.session_id;
	} else {
		session->imp.ctx = NULL;
	}
out:
	if (ret_origin) {
		*ret_origin = origin;
	}
	return res;
}

EXPORT void TEEC_CloseSession(TEEC_Session *session)
{
	struct tee_msg_close_req req;
	struct tzm__msg *reply;
	struct tzm__teec_ctx *c;

	if (!session || !(c = ctx_of(session->imp.ctx))) {
		return;
	}
	memset(&req, 0, sizeof(req));
	req.session_id = session->imp.session_id;
	reply = malloc(sizeof(*reply));
	if (reply) {
		if (tzm__teec_call(c, TEE_MSG_CLOSE_SESSION, &req, sizeof(req), NULL, 0, reply) == 0) {
			tzm__msg_close_fds(reply);
		}
		free(reply);
	}
	session->imp.ctx = NULL;
}

EXPORT TEEC_Result TEEC_InvokeCommand(TEEC_Session *session, uint32_t cmd, TEEC_Operation *op,
				      uint32_t *ret_origin)
{
	struct tee_msg_invoke_req req;
	struct tee_msg_invoke_rsp rsp;
	uint32_t origin = TEEC_ORIGIN_API;
	TEEC_Result res = TEEC_ERROR_BAD_PARAMETERS;

	memset(&req, 0, sizeof(req));
	if (session && ctx_of(session->imp.ctx)) {
		req.session_id = session->imp.session_id;
		req.cmd_id = cmd;
		if (op) {
			op->started = 1;
			op->imp.session = session;
		}
		res = do_call(session->imp.ctx, TEE_MSG_INVOKE, &req, sizeof(req), &req.op, op, &rsp,
			      sizeof(rsp), 0, &origin);
	} else {
		res = tzm__teec_bad_param(__func__, "session is %s", session ? "not open" : "NULL");
	}
	if (ret_origin) {
		*ret_origin = origin;
	}
	return res;
}

EXPORT void TEEC_RequestCancellation(TEEC_Operation *op)
{
	TEEC_Session *s;
	struct tee_msg_cancel_req req;

	if (!op) {
		return;
	}
	s = __atomic_load_n(&op->imp.session, __ATOMIC_ACQUIRE);
	memset(&req, 0, sizeof(req));
	req.op_id = __atomic_load_n(&op->imp.op_id, __ATOMIC_ACQUIRE);
	if (!s || !req.op_id || !ctx_of(s->imp.ctx)) {
		return;
	}
	tzm__teec_post(ctx_of(s->imp.ctx), TEE_MSG_CANCEL, &req, sizeof(req));
}
