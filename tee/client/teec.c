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
#include <assert.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ta_image.h"
#include "teec_priv.h"
#include "uuid.h"

#define EXPORT __attribute__((visibility("default")))

/* The one TEE name OP-TEE's libteec accepts besides NULL (OP-TEE on TrustZone). */
#define TZM_TEEC_TEE_NAME "optee-tz"

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

	if (!ctx) {
		return tzm__teec_bad_param(__func__, "context is NULL");
	}
	/* As OP-TEE's libteec: NULL selects the default TEE, "optee-tz" asks for OP-TEE on
	 * TrustZone (which this TEE stands in for); any other name is a TEE we do not have. */
	if (name && strcmp(name, TZM_TEEC_TEE_NAME) != 0) {
		fprintf(stderr,
			"libteec: TEEC_InitializeContext: no TEE named \"%.64s\" (known: NULL, "
			"\"" TZM_TEEC_TEE_NAME "\")\n",
			name);
		return TEEC_ERROR_ITEM_NOT_FOUND;
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
		return s == -EBUSY ? TEEC_ERROR_BUSY : TEEC_ERROR_COMMUNICATION;
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
				return tzm__teec_bad_param(fn,
							   "parameter %d: temporary memrefs too "
							   "large",
							   i);
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
				return tzm__teec_bad_param(
					fn, "parameter %d: memref parent is %s", i,
					!shm              ? "NULL"
					: shm->imp.id < 0 ? "not registered"
							  : "of another context");
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
				return tzm__teec_bad_param(fn,
							   "parameter %d: direction not allowed "
							   "by the shared memory's flags",
							   i);
			}
			if (__builtin_add_overflow(p->memref.offset, p->memref.size, &end) ||
			    end > shm->size) {
				return tzm__teec_bad_param(fn,
							   "parameter %d: partial memref runs past "
							   "the shared memory",
							   i);
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
			memcpy((uint8_t *)shm->imp.shadow_buffer + off,
			       (uint8_t *)shm->buffer + off, sz);
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

/*
 * An operation starts: a cancellation left from its previous use is dropped before
 * `started` says it may be cancelled (TEEC_RequestCancellation records one only then).
 */
static void start_op(TEEC_Operation *op, TEEC_Session *session)
{
	__atomic_store_n(&op->imp.cancel, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&op->imp.session, session, __ATOMIC_RELEASE);
	__atomic_store_n(&op->started, 1, __ATOMIC_SEQ_CST);
}

/* extra_fd (or -1): sent after the operation's bounce memfd (the TA image of an open) */
static TEEC_Result do_call(TEEC_Context *ctx, uint16_t cmd, void *req, size_t req_len,
			   struct tee_msg_op *wop, TEEC_Operation *op, void *rsp, size_t rsp_len,
			   size_t rsp_op_off, int extra_fd, uint32_t *origin)
{
	struct tzm__teec_ctx *c = ctx_of(ctx);
	struct op_stage st;
	struct tzm__msg *reply = NULL;
	TEEC_Result res;
	int rc, fds[2], nfds = 0;

	*origin = TEEC_ORIGIN_API;
	res = encode_op(cmd == TEE_MSG_OPEN_SESSION ? "TEEC_OpenSession" : "TEEC_InvokeCommand",
			ctx, op, wop, &st);
	if (res != TEEC_SUCCESS) {
		goto out;
	}
	if (op) {
		/* published (op->imp.op_id) by tzm__teec_call_op once the request is sent */
		wop->op_id = __atomic_add_fetch(&c->next_op_id, 1, __ATOMIC_RELAXED);
	}
	reply = malloc(sizeof(*reply));
	if (!reply) {
		res = TEEC_ERROR_OUT_OF_MEMORY;
		goto out;
	}
	if (st.fd >= 0) {
		fds[nfds++] = st.fd;
	}
	if (extra_fd >= 0) {
		fds[nfds++] = extra_fd;
	}
	rc = tzm__teec_call_op(c, cmd, req, req_len, nfds ? fds : NULL, nfds, reply,
			       op ? &op->imp.op_id : NULL, op ? wop->op_id : 0,
			       op ? &op->imp.cancel : NULL);
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
		/* done: a later TEEC_RequestCancellation finds nothing, and a reused operation
		 * does not start cancelled */
		__atomic_store_n(&op->imp.op_id, 0, __ATOMIC_SEQ_CST);
		__atomic_store_n(&op->imp.cancel, 0, __ATOMIC_SEQ_CST);
	}
	stage_free(&st);
	free(reply);
	return res;
}

/* A sealed memfd holding the len bytes of fd (none: empty); -1 on failure. */
static int image_memfd(int fd, size_t len)
{
	int mfd = memfd_create("teec-ta-image", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	char buf[65536];
	size_t done = 0;

	if (mfd < 0) {
		return -1;
	}
	while (fd >= 0 && done < len) {
		size_t want = len - done < sizeof(buf) ? len - done : sizeof(buf);
		ssize_t n = pread(fd, buf, want, (off_t)done);

		if (n <= 0 || write(mfd, buf, (size_t)n) != n) {
			close(mfd);
			return -1;
		}
		done += (size_t)n;
	}
	if (fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL)) {
		close(mfd);
		return -1;
	}
	return mfd;
}

/*
 * The TA to open is looked up here, in the caller's directories — $TZM_TA_DIR of this
 * process, then the TA directory of this installation (beside libteec, then the
 * configured one) — and its contents go to the core with the request (tee_msg.h), so
 * that the TA that runs is the file this client names, whatever directory the running
 * core was started with. Returns the image memfd (req->flags TEE_MSG_OPEN_F_IMAGE) or -1
 * with TEE_MSG_OPEN_F_NOT_FOUND; path receives the file (or where we looked).
 */
static int find_ta(struct tee_msg_open_req *req, char *path, size_t cap)
{
	char name[TZM_UUID_STR_LEN + 1], libdir[PATH_MAX] = "", rel1[PATH_MAX + 32] = "",
					 rel2[PATH_MAX + 32] = "";
	const char *env = getenv("TZM_TA_DIR");
	const char *dirs[5];
	size_t ndirs = 0, used = 0;
	Dl_info info;
	int err = ENOENT;

	tzm__uuid_bytes_to_str(req->uuid, name);
	if (env && *env) {
		dirs[ndirs++] = env;
	}
	if (dladdr((void *)&find_ta, &info) && info.dli_fname && realpath(info.dli_fname, libdir)) {
		char *slash = strrchr(libdir, '/');

		if (slash) {
			*slash = '\0';
			snprintf(rel1, sizeof(rel1), "%s/optee_armtz", libdir);        /* lib/ */
			snprintf(rel2, sizeof(rel2), "%s/../lib/optee_armtz", libdir); /* bin/ */
			dirs[ndirs++] = rel1;
			dirs[ndirs++] = rel2;
		}
	}
	dirs[ndirs++] = TZM_INSTALL_TA_DIR;
	path[0] = '\0';
	for (size_t i = 0; i < ndirs; i++) {
		char file[PATH_MAX + 128];
		struct stat st;
		int fd, mfd;

		snprintf(file, sizeof(file), "%s/%s.ta", dirs[i], name);
		fd = open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0 && errno == ENOENT) {
			int n = snprintf(path + used, cap - used, "%s%s", used ? ", " : "", file);

			if (n > 0 && (size_t)n < cap - used) {
				used += (size_t)n;
			}
			continue;
		}
		snprintf(path, cap, "%s", file);
		if (fd < 0) {
			err = errno;
			break;
		}
		/* not a file of a plausible size: an empty image, refused by the core */
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= TA_IMAGE_HDR_SIZE &&
		    (uint64_t)st.st_size <= TA_IMAGE_MAX_ELF_SIZE + TA_IMAGE_HDR_SIZE) {
			mfd = image_memfd(fd, (size_t)st.st_size);
		} else {
			mfd = image_memfd(-1, 0);
		}
		err = mfd < 0 ? errno : 0;
		close(fd);
		if (mfd >= 0) {
			req->flags = TEE_MSG_OPEN_F_IMAGE;
			req->image_path_len = (uint16_t)strlen(path);
			return mfd;
		}
		break;
	}
	req->flags = TEE_MSG_OPEN_F_NOT_FOUND;
	req->image_errno = (uint16_t)err;
	req->image_path_len = (uint16_t)strlen(path);
	return -1;
}

EXPORT TEEC_Result TEEC_OpenSession(TEEC_Context *ctx, TEEC_Session *session, const TEEC_UUID *dest,
				    uint32_t method, const void *data, TEEC_Operation *op,
				    uint32_t *ret_origin)
{
	/* the request, then the TA file's path (contiguous: the request is 8-byte sized) */
	struct {
		struct tee_msg_open_req req;
		char path[TEE_MSG_OPEN_MAX_PATH];
	} msg;
	struct tee_msg_open_req req;
	struct tee_msg_open_rsp rsp;
	uint32_t origin = TEEC_ORIGIN_API;
	TEEC_Result res = TEEC_ERROR_BAD_PARAMETERS;
	int image_fd = -1;

	static_assert(offsetof(__typeof__(msg), path) == sizeof(struct tee_msg_open_req),
		      "path follows the request");
	memset(&req, 0, sizeof(req));
	memset(&rsp, 0, sizeof(rsp));
	if (!ctx_of(ctx) || !session || !dest) {
		res = tzm__teec_bad_param(__func__, "%s is NULL",
					  !ctx_of(ctx) ? "context"
					  : !session   ? "session"
						       : "UUID");
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
		start_op(op, session);
	}
	session->imp.ctx = ctx;
	image_fd = find_ta(&req, msg.path, sizeof(msg.path));
	msg.req = req;
	res = do_call(ctx, TEE_MSG_OPEN_SESSION, &msg, sizeof(req) + req.image_path_len,
		      &msg.req.op, op, &rsp, sizeof(rsp), offsetof(struct tee_msg_open_rsp, op),
		      image_fd, &origin);
	if (res == TEEC_SUCCESS) {
		session->imp.session_id = rsp.session_id;
	} else {
		session->imp.ctx = NULL;
	}
	if (image_fd >= 0) {
		close(image_fd);
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
		if (tzm__teec_call(c, TEE_MSG_CLOSE_SESSION, &req, sizeof(req), NULL, 0, reply) ==
		    0) {
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
			start_op(op, session);
		}
		res = do_call(session->imp.ctx, TEE_MSG_INVOKE, &req, sizeof(req), &req.op, op,
			      &rsp, sizeof(rsp), 0, -1, &origin);
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
	/* The operation may be between TEEC_InvokeCommand's start and its request reaching
	 * the socket: then the flag makes the invoking thread send the cancellation itself
	 * (tzm__teec_call_op), and nothing is lost. */
	if (__atomic_load_n(&op->started, __ATOMIC_SEQ_CST)) {
		__atomic_store_n(&op->imp.cancel, 1, __ATOMIC_SEQ_CST);
	}
	s = __atomic_load_n(&op->imp.session, __ATOMIC_ACQUIRE);
	memset(&req, 0, sizeof(req));
	req.op_id = __atomic_load_n(&op->imp.op_id, __ATOMIC_SEQ_CST);
	if (!s || !req.op_id || !ctx_of(s->imp.ctx)) {
		return;
	}
	tzm__teec_post(ctx_of(s->imp.ctx), TEE_MSG_CANCEL, &req, sizeof(req));
}
