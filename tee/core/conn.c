/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Requests from clients — libteec contexts, and TA instances acting as clients for
 * TA-to-TA sessions: open/invoke/close session, shared memory registration, cancellation.
 * Each request is copied out of the datagram, validated as a whole (parameter types,
 * shared memory ownership and bounds), and only then acted upon.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <tee_client_api.h> /* TEEC_LOGIN_*, as the client sends them */
#include <unistd.h>

#include "sha256.h"
#include "teed.h"
#include "uuid.h"

struct shm *core_shm_find(struct core *core, uint64_t id)
{
	for (struct shm *s = core->shms; s; s = s->next) {
		if (s->id == id) {
			return s;
		}
	}
	return NULL;
}

static struct session *session_find(struct core *core, struct conn *c, uint32_t id)
{
	for (struct session *s = core->sessions; s; s = s->next) {
		if (s->id == id && s->owner == c) {
			return s;
		}
	}
	return NULL;
}

static void reply_err(struct core *core, struct conn *c, const struct tzm__msg *m, TEE_Result res,
		      uint32_t origin)
{
	core_send_reply(core, c, m->hdr.cmd, m->hdr.seq, res, origin, NULL, 0);
}

/* Size of a memfd that cannot shrink any more, or -errno. */
static int64_t sealed_size(int fd)
{
	struct stat st;
	int seals = fcntl(fd, F_GET_SEALS);

	if (seals < 0 || !(seals & F_SEAL_SHRINK)) {
		return -EPERM;
	}
	if (fstat(fd, &st) || st.st_size < 0) {
		return -EINVAL;
	}
	return st.st_size;
}

static bool range_ok(uint64_t off, uint64_t size, uint64_t limit)
{
	uint64_t end;

	return !__builtin_add_overflow(off, size, &end) && end <= limit;
}

/*
 * Validates a request op: types agree with param_types and are known; memrefs name
 * memory the requester may use, within bounds. op_fd_size < 0 means no op fd was sent.
 */
static bool validate_op(struct core *core, const struct conn *c, const struct tee_msg_op *op,
			int64_t op_fd_size)
{
	for (int i = 0; i < TEE_MSG_NUM_PARAMS; i++) {
		const struct tee_msg_param *p = &op->params[i];
		uint32_t t = (op->param_types >> (4 * i)) & 0xf;

		if (p->type != t || (op->param_types >> 16) != 0) {
			return false;
		}
		switch (t) {
		case TEE_PARAM_TYPE_NONE:
			break;
		case TEE_PARAM_TYPE_VALUE_INPUT:
		case TEE_PARAM_TYPE_VALUE_OUTPUT:
		case TEE_PARAM_TYPE_VALUE_INOUT:
			if (p->a > UINT32_MAX || p->b > UINT32_MAX) {
				return false;
			}
			break;
		case TEE_PARAM_TYPE_MEMREF_INPUT:
		case TEE_PARAM_TYPE_MEMREF_OUTPUT:
		case TEE_PARAM_TYPE_MEMREF_INOUT:
			if (p->c > SIZE_MAX) {
				return false;
			}
			if (p->a == TEE_MSG_SHM_NULL) {
				if (p->b != 0) {
					return false;
				}
			} else if (p->a == TEE_MSG_SHM_OP_FD) {
				if (op_fd_size < 0 || !range_ok(p->b, p->c, (uint64_t)op_fd_size)) {
					return false;
				}
			} else {
				const struct shm *s = core_shm_find(core, p->a);
				if (!s || s->owner != c || !range_ok(p->b, p->c, s->size)) {
					return false;
				}
			}
			break;
		default:
			return false;
		}
	}
	return true;
}

/* Name-based UUID (RFC 9562 version 8) for login identities: SHA-256 of a label. */
static void identity_uuid(const char *label, uint8_t out[16])
{
	uint8_t d[32];

	tzm__sha256(label, strlen(label), d);
	memcpy(out, d, 16);
	out[6] = (uint8_t)((out[6] & 0x0f) | 0x80);
	out[8] = (uint8_t)((out[8] & 0x3f) | 0x80);
}

static bool in_group(pid_t pid, gid_t primary, uint32_t gid)
{
	char path[64], line[4096];
	bool found = gid == primary;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f) {
		return found;
	}
	while (!found && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "Groups:", 7) == 0) {
			char *p = line + 7, *end;
			for (;;) {
				unsigned long g = strtoul(p, &end, 10);
				if (end == p) {
					break;
				}
				found = found || g == gid;
				p = end;
			}
		}
	}
	fclose(f);
	return found;
}

static TEE_Result client_identity(struct core *core, const struct conn *c, uint32_t login,
				  uint32_t gid, struct session *s)
{
	char label[4200], exe[4096], path[64];
	ssize_t n = 0;

	memset(s->client_uuid, 0, sizeof(s->client_uuid));
	s->login = login;
	if (c->kind == CONN_HOST) {
		s->login = TEE_LOGIN_TRUSTED_APP;
		memcpy(s->client_uuid, c->inst->uuid, 16);
		return TEE_SUCCESS;
	}
	if (login == TEEC_LOGIN_APPLICATION || login == TEEC_LOGIN_USER_APPLICATION ||
	    login == TEEC_LOGIN_GROUP_APPLICATION) {
		snprintf(path, sizeof(path), "/proc/%d/exe", (int)c->pid);
		n = readlink(path, exe, sizeof(exe) - 1);
		if (n <= 0) {
			return TEE_ERROR_ACCESS_DENIED;
		}
		exe[n] = '\0';
	}
	if ((login == TEEC_LOGIN_GROUP || login == TEEC_LOGIN_GROUP_APPLICATION) &&
	    !in_group(c->pid, c->gid, gid)) {
		core_log(core, 'E', "client %llu: login to group %u refused: not a member",
			 (unsigned long long)c->id, gid);
		return TEE_ERROR_ACCESS_DENIED;
	}
	switch (login) {
	case TEEC_LOGIN_PUBLIC:
		return TEE_SUCCESS;
	case TEEC_LOGIN_USER:
		snprintf(label, sizeof(label), "tzmediator:uid=%u", (unsigned)c->uid);
		break;
	case TEEC_LOGIN_GROUP:
		snprintf(label, sizeof(label), "tzmediator:gid=%u", gid);
		break;
	case TEEC_LOGIN_APPLICATION:
		snprintf(label, sizeof(label), "tzmediator:app=%s", exe);
		break;
	case TEEC_LOGIN_USER_APPLICATION:
		snprintf(label, sizeof(label), "tzmediator:uid=%u:app=%s", (unsigned)c->uid, exe);
		break;
	case TEEC_LOGIN_GROUP_APPLICATION:
		snprintf(label, sizeof(label), "tzmediator:gid=%u:app=%s", gid, exe);
		break;
	default:
		return TEE_ERROR_BAD_PARAMETERS;
	}
	identity_uuid(label, s->client_uuid);
	return TEE_SUCCESS;
}

static struct op *new_op(enum op_kind kind, struct conn *c, const struct tzm__msg *m,
			 struct session *s, const struct tee_msg_op *wop, int *op_fd)
{
	struct op *op = calloc(1, sizeof(*op));

	if (!op) {
		return NULL;
	}
	op->kind = kind;
	op->from = c;
	op->from_seq = m->hdr.seq;
	op->sess = s;
	op->op_fd = -1;
	if (wop) {
		op->wop = *wop;
		op->op_id = wop->op_id;
	}
	if (op_fd && *op_fd >= 0) {
		op->op_fd = *op_fd;
		*op_fd = -1; /* ownership moves to the op */
	}
	return op;
}

/* Takes the optional op fd out of the message; returns its size or -1 if none. */
static int64_t take_op_fd(struct tzm__msg *m, int *fd)
{
	int64_t size;

	*fd = -1;
	if (m->nfds == 0) {
		return -1;
	}
	if (m->nfds != 1) {
		return -2;
	}
	size = sealed_size(m->fds[0]);
	if (size < 0) {
		return -2;
	}
	*fd = m->fds[0];
	m->fds[0] = -1;
	m->nfds = 0;
	return size;
}

/* The path libteec sent after the request (printable, no NUL), into buf. */
static bool take_image_path(const struct tzm__msg *m, const struct tee_msg_open_req *req, char *buf,
			    size_t cap)
{
	const uint8_t *p = m->body + sizeof(*req);

	if (m->hdr.len != sizeof(*req) + req->image_path_len || req->image_path_len >= cap ||
	    req->image_path_len > TEE_MSG_OPEN_MAX_PATH) {
		return false;
	}
	for (size_t i = 0; i < req->image_path_len; i++) {
		if (p[i] < 0x20 || p[i] == 0x7f) {
			return false;
		}
	}
	memcpy(buf, p, req->image_path_len);
	buf[req->image_path_len] = '\0';
	return true;
}

static void handle_open(struct core *core, struct conn *c, struct tzm__msg *m)
{
	struct tee_msg_open_req req;
	struct instance *inst = NULL;
	struct session *s = NULL;
	struct op *op = NULL;
	struct ta_image img;
	char path[TEE_MSG_OPEN_MAX_PATH + 1] = "";
	TEE_Result res;
	int64_t fd_size = -1;
	int op_fd = -1, image_fd = -1;
	bool has_image;

	img.memfd = -1;
	if (tzm__msg_take(m, &req, sizeof(req)) ||
	    (req.flags & ~(TEE_MSG_OPEN_F_IMAGE | TEE_MSG_OPEN_F_NOT_FOUND)) ||
	    (req.flags == (TEE_MSG_OPEN_F_IMAGE | TEE_MSG_OPEN_F_NOT_FOUND)) ||
	    (req.flags && !take_image_path(m, &req, path, sizeof(path))) ||
	    (!req.flags && m->hdr.len != sizeof(req)) || (req.flags && c->kind != CONN_CLIENT)) {
		reply_err(core, c, m, TEE_ERROR_BAD_PARAMETERS, TEE_ORIGIN_TEE);
		goto out;
	}
	has_image = req.flags & TEE_MSG_OPEN_F_IMAGE;
	if (has_image) {
		/* the image is the last fd; an op fd, if any, comes first */
		if (m->nfds < 1 || m->fds[m->nfds - 1] < 0) {
			reply_err(core, c, m, TEE_ERROR_BAD_PARAMETERS, TEE_ORIGIN_TEE);
			goto out;
		}
		image_fd = m->fds[--m->nfds];
		m->fds[m->nfds] = -1;
	}
	fd_size = take_op_fd(m, &op_fd);
	if (fd_size < -1 || !validate_op(core, c, &req.op, fd_size)) {
		reply_err(core, c, m, TEE_ERROR_BAD_PARAMETERS, TEE_ORIGIN_TEE);
		goto out;
	}
	res = core_limit_session(core, c);
	if (res != TEE_SUCCESS) {
		reply_err(core, c, m, res, TEE_ORIGIN_TEE);
		goto out;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		reply_err(core, c, m, TEE_ERROR_OUT_OF_MEMORY, TEE_ORIGIN_TEE);
		goto out;
	}
	res = client_identity(core, c, req.login, req.login_data, s);
	if (res != TEE_SUCCESS) {
		reply_err(core, c, m, res, TEE_ORIGIN_TEE);
		goto out;
	}
	if (req.flags & TEE_MSG_OPEN_F_NOT_FOUND) {
		char name[TZM_UUID_STR_LEN + 1];

		tzm__uuid_bytes_to_str(req.uuid, name);
		core_log(core, 'E', "TA %s: cannot open %s: %s (looked up by client %llu)", name,
			 path, strerror(req.image_errno ? req.image_errno : ENOENT),
			 (unsigned long long)c->id);
		reply_err(core, c, m,
			  req.image_errno && req.image_errno != ENOENT ? TEE_ERROR_ACCESS_DENIED
								       : TEE_ERROR_ITEM_NOT_FOUND,
			  TEE_ORIGIN_TEE);
		goto out;
	}
	if (has_image && core_ta_load_memfd(core, req.uuid, image_fd, path, &img, &res)) {
		reply_err(core, c, m, res, TEE_ORIGIN_TEE);
		goto out;
	}
	res = core_instance_get(core, c, req.uuid, has_image ? &img : NULL, &inst);
	if (res != TEE_SUCCESS) {
		reply_err(core, c, m, res, TEE_ORIGIN_TEE);
		goto out;
	}
	if (c->kind == CONN_HOST && inst == c->inst) {
		/* The instance is busy running the caller: it could never serve this. */
		reply_err(core, c, m, TEE_ERROR_BUSY, TEE_ORIGIN_TEE);
		core_instance_maybe_release(core, inst);
		goto out;
	}
	s->id = core->next_session_id++;
	s->owner = c;
	s->inst = inst;
	op = new_op(OP_OPEN, c, m, s, &req.op, &op_fd);
	if (!op) {
		reply_err(core, c, m, TEE_ERROR_OUT_OF_MEMORY, TEE_ORIGIN_TEE);
		core_instance_maybe_release(core, inst);
		goto out;
	}
	s->next = core->sessions;
	core->sessions = s;
	inst->nsessions++;
	s = NULL;
	core_instance_queue(core, inst, op);
out:
	free(s);
	if (op_fd >= 0) {
		close(op_fd);
	}
	if (image_fd >= 0) {
		close(image_fd);
	}
	if (img.memfd >= 0) {
		close(img.memfd);
	}
}

static void handle_invoke(struct core *core, struct conn *c, struct tzm__msg *m)
{
	struct tee_msg_invoke_req req;
	struct session *s;
	struct op *op;
	TEE_Result res;
	int64_t fd_size;
	int op_fd = -1;

	if (tzm__msg_take(m, &req, sizeof(req)) || m->hdr.len != sizeof(req)) {
		reply_err(core, c, m, TEE_ERROR_BAD_PARAMETERS, TEE_ORIGIN_TEE);
		return;
	}
	s = session_find(core, c, req.session_id);
	fd_size = take_op_fd(m, &op_fd);
	if (!s || s->closing || !s->opened) {
		reply_err(core, c, m, TEE_ERROR_BAD_PARAMETERS, TEE_ORIGIN_TEE);
	} else if (s->dead) {
		reply_err(core, c, m, TEE_ERROR_TARGET_DEAD, TEE_ORIGIN_TEE);
	} else if (fd_size < -1 || !validate_op(core, c, &req.op, fd_size)) {
		reply_err(core, c, m, TEE_ERROR_BAD_PARAMETERS, TEE_ORIGIN_TEE);
	} else if ((res = core_limit_request(core, c)) != TEE_SUCCESS) {
		reply_err(core, c, m, res, TEE_ORIGIN_TEE);
	} else if (!(op = new_op(OP_INVOKE, c, m, s, &req.op, &op_fd))) {
		reply_err(core, c, m, TEE_ERROR_OUT_OF_MEMORY, TEE_ORIGIN_TEE);
	} else {
		op->cmd_id = req.cmd_id;
		core_instance_queue(core, s->inst, op);
	}
	if (op_fd >= 0) {
		close(op_fd);
	}
}

void core_session_remove(struct core *core, struct session *s)
{
	struct session **pp;

	for (pp = &core->sessions; *pp; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	}
	if (s->inst) {
		s->inst->nsessions--;
		core_instance_maybe_release(core, s->inst);
	}
	free(s);
}

/* Queues the TA-side close of a session (or drops it at once if the TA never saw it). */
static void session_close(struct core *core, struct session *s, struct conn *from, uint32_t seq)
{
	struct op *op;

	s->closing = true;
	if (s->dead || !s->opened || !(op = calloc(1, sizeof(*op)))) {
		if (from) {
			core_send_reply(core, from, TEE_MSG_CLOSE_SESSION, seq, TEE_SUCCESS,
					TEE_ORIGIN_TEE, NULL, 0);
		}
		/* an OPEN still queued or in flight owns the session until it completes */
		if (s->dead || s->opened) {
			core_session_remove(core, s);
		}
		return;
	}
	op->kind = OP_CLOSE;
	op->from = from;
	op->from_seq = seq;
	op->sess = s;
	op->op_fd = -1;
	core_instance_queue(core, s->inst, op);
}

static void handle_close(struct core *core, struct conn *c, struct tzm__msg *m)
{
	struct tee_msg_close_req req;
	struct session *s;

	if (tzm__msg_take(m, &req, sizeof(req)) || !(s = session_find(core, c, req.session_id)) ||
	    s->closing) {
		reply_err(core, c, m, TEE_ERROR_BAD_PARAMETERS, TEE_ORIGIN_TEE);
		return;
	}
	session_close(core, s, c, m->hdr.seq);
}

static void handle_shm_register(struct core *core, struct conn *c, struct tzm__msg *m)
{
	struct tee_msg_shm_register_req req;
	struct tee_msg_shm_register_rsp rsp;
	struct shm *s;
	TEE_Result res;
	int64_t size;

	if (tzm__msg_take(m, &req, sizeof(req)) || m->nfds != 1 ||
	    (size = sealed_size(m->fds[0])) < 0 || req.size > (uint64_t)size) {
		core_log(core, 'E',
			 "client %llu: shared memory registration refused (need a memfd "
			 "sealed against shrinking, at least as large as declared)",
			 (unsigned long long)c->id);
		reply_err(core, c, m, TEE_ERROR_BAD_PARAMETERS, TEE_ORIGIN_TEE);
		return;
	}
	res = core_limit_shm(core, c, (uint64_t)size);
	if (res != TEE_SUCCESS) {
		reply_err(core, c, m, res, TEE_ORIGIN_TEE);
		return;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		reply_err(core, c, m, TEE_ERROR_OUT_OF_MEMORY, TEE_ORIGIN_TEE);
		return;
	}
	s->id = TEE_MSG_SHM_FIRST_ID + ++core->next_id;
	s->fd = m->fds[0];
	m->fds[0] = -1;
	m->nfds = 0;
	s->size = req.size;
	s->held = (uint64_t)size;
	s->owner = c;
	s->next = core->shms;
	core->shms = s;
	rsp.shm_id = s->id;
	core_send_reply(core, c, m->hdr.cmd, m->hdr.seq, TEE_SUCCESS, TEE_ORIGIN_TEE, &rsp,
			sizeof(rsp));
}

static void shm_release(struct core *core, struct shm *s)
{
	struct shm **pp;

	for (pp = &core->shms; *pp; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	}
	core_instance_shm_released(core, s->id);
	close(s->fd);
	free(s);
}

static void handle_shm_release(struct core *core, struct conn *c, struct tzm__msg *m)
{
	struct tee_msg_shm_release_req req;
	struct shm *s;

	if (tzm__msg_take(m, &req, sizeof(req)) || !(s = core_shm_find(core, req.shm_id)) ||
	    s->owner != c) {
		reply_err(core, c, m, TEE_ERROR_BAD_PARAMETERS, TEE_ORIGIN_TEE);
		return;
	}
	shm_release(core, s);
	core_send_reply(core, c, m->hdr.cmd, m->hdr.seq, TEE_SUCCESS, TEE_ORIGIN_TEE, NULL, 0);
}

static void handle_hello(struct core *core, struct conn *c, struct tzm__msg *m)
{
	struct tee_msg_hello_req req;
	struct tee_msg_hello_rsp rsp;

	if (tzm__msg_take(m, &req, sizeof(req))) {
		reply_err(core, c, m, TEE_ERROR_BAD_PARAMETERS, TEE_ORIGIN_TEE);
		return;
	}
	req.version[sizeof(req.version) - 1] = '\0';
	if (req.protocol != TEE_MSG_PROTOCOL || strcmp(req.version, TZM_VERSION) != 0) {
		core_log(core, 'E',
			 "client %llu (pid %d): tzmediator %s, protocol %u; this core is %s, "
			 "protocol %u (the client will refuse it)",
			 (unsigned long long)c->id, (int)c->pid, req.version, req.protocol,
			 TZM_VERSION, TEE_MSG_PROTOCOL);
	}
	memset(&rsp, 0, sizeof(rsp));
	rsp.protocol = TEE_MSG_PROTOCOL;
	rsp.pid = (int32_t)getpid();
	snprintf(rsp.version, sizeof(rsp.version), "%s", TZM_VERSION);
	snprintf(rsp.teed_path, sizeof(rsp.teed_path), "%s", core->self_path);
	core_send_reply(core, c, m->hdr.cmd, m->hdr.seq, TEE_SUCCESS, TEE_ORIGIN_TEE, &rsp,
			sizeof(rsp));
}

void core_conn_handle(struct core *core, struct conn *c, struct tzm__msg *m)
{
	if (m->hdr.cmd & TEE_MSG_F_REPLY) {
		/* The only request clients get from us is a TA's plugin call. */
		if (m->hdr.cmd == (TEE_MSG_PLUGIN_CALL | TEE_MSG_F_REPLY) &&
		    c->kind == CONN_CLIENT) {
			core_instance_plugin_reply(core, c, m);
		}
		return;
	}
	switch (m->hdr.cmd) {
	case TEE_MSG_OPEN_SESSION:
		handle_open(core, c, m);
		break;
	case TEE_MSG_INVOKE:
		handle_invoke(core, c, m);
		break;
	case TEE_MSG_CLOSE_SESSION:
		handle_close(core, c, m);
		break;
	case TEE_MSG_SHM_REGISTER:
		if (c->kind == CONN_CLIENT) {
			handle_shm_register(core, c, m);
		} else {
			reply_err(core, c, m, TEE_ERROR_NOT_SUPPORTED, TEE_ORIGIN_TEE);
		}
		break;
	case TEE_MSG_SHM_RELEASE:
		handle_shm_release(core, c, m);
		break;
	case TEE_MSG_HELLO:
		handle_hello(core, c, m);
		break;
	case TEE_MSG_CANCEL: {
		struct tee_msg_cancel_req req;
		if (tzm__msg_take(m, &req, sizeof(req)) == 0 && req.op_id) {
			core_instance_cancel(core, c, req.op_id);
		}
		break;
	}
	default:
		reply_err(core, c, m, TEE_ERROR_NOT_SUPPORTED, TEE_ORIGIN_TEE);
		break;
	}
}

/* The requester is gone: close its sessions and release its shared memory. */
void core_conn_gone(struct core *core, struct conn *c)
{
	struct session *s, *next;

	core_instance_conn_gone(core, c);
	core_instance_creator_gone(core, c);
	for (s = core->sessions; s; s = next) {
		next = s->next;
		if (s->owner == c) {
			s->owner = NULL;
			if (!s->closing) {
				session_close(core, s, NULL, 0);
			}
		}
	}
	for (struct shm *sh = core->shms, *n2; sh; sh = n2) {
		n2 = sh->next;
		if (sh->owner == c) {
			shm_release(core, sh);
		}
	}
}
