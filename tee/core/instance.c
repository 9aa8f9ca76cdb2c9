/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TA instances: one tzm-ta-host process each, started with posix_spawn (a fresh exec'd
 * image: the core holds keys and is never forked without exec). The host gets /dev/null
 * on fds 0-2 and its channel on fd 3 only, and a scrubbed environment; the image and the
 * control page arrive in HOST_INIT. Requests to an instance are queued and sent one at a
 * time (GP: one entry point call at a time per instance). A host that dies fails its
 * pending and future calls with TEE_ERROR_TARGET_DEAD / origin TEE.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <signal.h>
#include <spawn.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ta_image.h"
#include "teed.h"
#include "uuid.h"

#define HOST_EXIT_GRACE_MS 5000

#ifndef TZM_INSTALL_TA_DIR
#define TZM_INSTALL_TA_DIR "/usr/local/lib/optee_armtz"
#endif

void core_op_free(struct op *op)
{
	if (op->op_fd >= 0) {
		close(op->op_fd);
	}
	free(op);
}

static void ctl_wake(struct instance *inst)
{
	syscall(SYS_futex, inst->ctl_cancel, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

static int spawn_host(struct core *core, struct instance *inst, int child_fd)
{
	posix_spawn_file_actions_t fa;
	char *argv[40];
	char *envp[6];
	int argc = 0, envc = 0, rc;

	for (char **w = core->wrapper; w && *w && argc < 36; w++) {
		argv[argc++] = *w;
	}
	argv[argc++] = core->host_path;
	argv[argc] = NULL;
	if (core->insecure) {
		envp[envc++] = "TZM_INSECURE_NO_SANDBOX=1";
	}
#ifdef CORE_SANITIZER
	/* Sanitizer builds only: the host gets the sanitizer settings the test run chose
	 * (e.g. abort_on_error, halt_on_error) and writes its reports to tee.log instead of
	 * /dev/null, so that errors and leaks in TA hosts are seen. */
	{
		static const char *const pass[] = { "ASAN_OPTIONS", "UBSAN_OPTIONS",
						    "LSAN_OPTIONS" };

		for (size_t i = 0; i < sizeof(pass) / sizeof(pass[0]); i++) {
			size_t n = strlen(pass[i]);

			for (char **e = environ; e && *e; e++) {
				if (strncmp(*e, pass[i], n) == 0 && (*e)[n] == '=') {
					envp[envc++] = *e;
					break;
				}
			}
		}
	}
#endif
	envp[envc] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
#ifdef CORE_SANITIZER
	posix_spawn_file_actions_adddup2(&fa, core_log_fd(core), 2);
#else
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
#endif
	posix_spawn_file_actions_adddup2(&fa, child_fd, 3);
	rc = posix_spawnp(&inst->pid, argv[0], &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	if (rc) {
		inst->pid = 0;
		return -rc;
	}
	return 0;
}

static struct instance *instance_new(struct core *core, const uint8_t uuid[16],
				     const struct ta_image *img)
{
	struct instance *inst = calloc(1, sizeof(*inst));
	struct op *init = calloc(1, sizeof(*init));
	struct tee_ctl_page *ctl;
	int sv[2] = { -1, -1 };

	if (!inst || !init) {
		goto fail;
	}
	inst->fd = -1;
	inst->ctl_fd = -1;
	inst->id = ++core->next_id;
	memcpy(inst->uuid, uuid, 16);
	tzm__uuid_bytes_to_str(uuid, inst->uuid_str);
	inst->flags = img->flags;
	memcpy(inst->sha256, img->sha256, 32);
	inst->module_kind = img->module_kind;
	memcpy(inst->module_sha256, img->module_sha256, 32);
	inst->ctl_fd = memfd_create("ta-ctl", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (inst->ctl_fd < 0 || ftruncate(inst->ctl_fd, TEE_CTL_PAGE_SIZE) ||
	    fcntl(inst->ctl_fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)) {
		goto fail;
	}
	inst->ctl_map =
		mmap(NULL, TEE_CTL_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, inst->ctl_fd, 0);
	if (inst->ctl_map == MAP_FAILED) {
		inst->ctl_map = NULL;
		goto fail;
	}
	ctl = inst->ctl_map;
	ctl->magic = TEE_CTL_MAGIC;
	ctl->version = TEE_MSG_VERSION;
	inst->ctl_cancel = &ctl->cancel_seq;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) ||
	    fcntl(sv[0], F_SETFL, O_NONBLOCK)) {
		goto fail;
	}
	if (spawn_host(core, inst, sv[1])) {
		core_log(core, 'E', "cannot start TA host %s: %s", core->host_path,
			 strerror(errno));
		goto fail;
	}
	close(sv[1]);
	sv[1] = -1;
	inst->fd = sv[0];
	inst->as_client.kind = CONN_HOST;
	inst->as_client.fd = sv[0];
	inst->as_client.id = inst->id;
	inst->as_client.inst = inst;
	if (core_ep_add(core, inst->fd, &inst->as_client)) {
		kill(inst->pid, SIGKILL);
		goto fail;
	}
	inst->state = INST_STARTING;
	init->kind = OP_INIT;
	init->op_fd = img->memfd;
	init->wop.params[0].a = img->size;
	inst->queue = init;
	inst->next = core->instances;
	core->instances = inst;
	core_log(core, 'I', "TA %s: instance #%llu started (host pid %d)", inst->uuid_str,
		 (unsigned long long)inst->id, (int)inst->pid);
	return inst;
fail:
	if (sv[1] >= 0) {
		close(sv[1]);
	}
	if (inst && inst->fd < 0 && sv[0] >= 0) {
		close(sv[0]);
	}
	if (inst) {
		if (inst->ctl_map) {
			munmap(inst->ctl_map, TEE_CTL_PAGE_SIZE);
		}
		if (inst->ctl_fd >= 0) {
			close(inst->ctl_fd);
		}
	}
	free(inst);
	free(init);
	return NULL;
}

TEE_Result core_instance_get(struct core *core, struct conn *c, const uint8_t uuid[16],
			     struct ta_image *img, struct instance **out)
{
	struct ta_image looked;
	struct instance *inst;
	TEE_Result res = TEE_ERROR_GENERIC;

	if (!img) {
		/* No image from the requester: a TA calling another looks in its own image's
		 * directory first; then the core's directories. */
		const char *dirs[] = { c->kind == CONN_HOST && c->inst->ta_dir ? c->inst->ta_dir
									       : "",
				       core->ta_dir, TZM_INSTALL_TA_DIR, NULL };

		if (core_ta_load(core, uuid, dirs, &looked, &res)) {
			return res;
		}
		img = &looked;
	}
	/* A single instance serves the sessions of one image: another image of the same
	 * UUID (another directory, another build) is another TA and gets its own. */
	for (inst = core->instances; inst; inst = inst->next) {
		if (inst->state != INST_DEAD && (inst->flags & TA_FLAG_SINGLE_INSTANCE) &&
		    memcmp(inst->uuid, uuid, 16) == 0 &&
		    memcmp(inst->sha256, img->sha256, 32) == 0) {
			close(img->memfd);
			img->memfd = -1;
			if (!(inst->flags & TA_FLAG_MULTI_SESSION) && inst->nsessions > 0) {
				return TEE_ERROR_BUSY;
			}
			*out = inst;
			return TEE_SUCCESS;
		}
	}
	res = core_limit_instance(core, c);
	if (res == TEE_SUCCESS) {
		inst = instance_new(core, uuid, img);
		res = inst ? TEE_SUCCESS : TEE_ERROR_OUT_OF_MEMORY;
	}
	if (res != TEE_SUCCESS) {
		close(img->memfd);
		img->memfd = -1;
		return res;
	}
	img->memfd = -1; /* the instance's INIT op owns it */
	inst->creator = c;
	inst->ta_dir = img->dir[0] ? strdup(img->dir) : NULL;
	*out = inst;
	return TEE_SUCCESS;
}

void core_instance_creator_gone(struct core *core, struct conn *c)
{
	for (struct instance *inst = core->instances; inst; inst = inst->next) {
		if (inst->creator == c) {
			inst->creator = NULL;
		}
	}
}

static bool is_mapped(const struct instance *inst, uint64_t id)
{
	for (size_t i = 0; i < inst->nmapped; i++) {
		if (inst->mapped[i] == id) {
			return true;
		}
	}
	return false;
}

/* Sends HOST_SHM_MAP for the registered memory an op uses that the host lacks. */
static int map_op_shms(struct core *core, struct instance *inst, const struct op *op)
{
	for (int i = 0; i < TEE_MSG_NUM_PARAMS; i++) {
		const struct tee_msg_param *p = &op->wop.params[i];
		struct tee_msg_host_shm_map_req req;
		struct shm *s;
		int rc;

		if (p->type < TEE_PARAM_TYPE_MEMREF_INPUT || p->a < TEE_MSG_SHM_FIRST_ID ||
		    is_mapped(inst, p->a)) {
			continue;
		}
		s = core_shm_find(core, p->a);
		if (!s) {
			return -ENOENT; /* released while the op was queued */
		}
		if (inst->nmapped == inst->capmapped) {
			size_t cap = inst->capmapped ? inst->capmapped * 2 : 8;
			uint64_t *n = realloc(inst->mapped, cap * sizeof(*n));
			if (!n) {
				return -ENOMEM;
			}
			inst->mapped = n;
			inst->capmapped = cap;
		}
		memset(&req, 0, sizeof(req));
		req.shm_id = s->id;
		req.size = s->size;
		rc = tzm__msg_send(inst->fd, TEE_MSG_HOST_SHM_MAP, ++inst->next_seq, 0, 0, &req,
				   sizeof(req), NULL, 0, &s->fd, 1);
		if (rc) {
			return rc;
		}
		inst->mapped[inst->nmapped++] = s->id;
	}
	return 0;
}

static void reply_to(struct core *core, struct op *op, TEE_Result res, uint32_t origin,
		     const void *body, size_t len)
{
	uint16_t cmd = op->kind == OP_OPEN     ? TEE_MSG_OPEN_SESSION
		       : op->kind == OP_INVOKE ? TEE_MSG_INVOKE
					       : TEE_MSG_CLOSE_SESSION;
	if (op->from) {
		core_send_reply(core, op->from, cmd, op->from_seq, res, origin, body, len);
	}
}

static void instance_kill(struct core *core, struct instance *inst, const char *why);

/* Finishes an op that never reached (or never came back from) the TA. */
static void fail_op(struct core *core, struct op *op, TEE_Result res)
{
	struct session *s = op->sess;

	switch (op->kind) {
	case OP_INIT:
		break;
	case OP_OPEN:
		reply_to(core, op, res, TEE_ORIGIN_TEE, NULL, 0);
		core_session_remove(core, s);
		break;
	case OP_INVOKE:
		reply_to(core, op, res, TEE_ORIGIN_TEE, NULL, 0);
		break;
	case OP_CLOSE:
		reply_to(core, op, TEE_SUCCESS, TEE_ORIGIN_TEE, NULL, 0);
		core_session_remove(core, s);
		break;
	}
	core_op_free(op);
}

static void kick(struct core *core, struct instance *inst)
{
	while (!inst->busy && inst->queue && inst->state != INST_DEAD) {
		struct op *op = inst->queue;
		int rc = 0;

		op->host_seq = ++inst->next_seq;
		if (op->kind == OP_INIT) {
			struct tee_msg_host_init_req req;
			int fds[2] = { op->op_fd, inst->ctl_fd };

			memset(&req, 0, sizeof(req));
			memcpy(req.uuid, inst->uuid, 16);
			req.instance_id = inst->id;
			req.image_size = op->wop.params[0].a;
			req.insecure = core->insecure ? 1 : 0;
			rc = tzm__msg_send(inst->fd, TEE_MSG_HOST_INIT, op->host_seq, 0, 0, &req,
					   sizeof(req), NULL, 0, fds, 2);
		} else if (op->kind == OP_CLOSE) {
			struct tee_msg_close_req req = { .session_id = op->sess->id };
			rc = tzm__msg_send(inst->fd, TEE_MSG_HOST_CLOSE, op->host_seq, 0, 0, &req,
					   sizeof(req), NULL, 0, NULL, 0);
		} else {
			rc = map_op_shms(core, inst, op);
			if (rc == -ENOENT) {
				inst->queue = op->next;
				fail_op(core, op, TEE_ERROR_BAD_PARAMETERS);
				continue;
			}
			if (rc == 0 && op->kind == OP_OPEN) {
				struct tee_msg_host_open_req req;

				memset(&req, 0, sizeof(req));
				req.session_id = op->sess->id;
				req.client_login = op->sess->login;
				memcpy(req.client_uuid, op->sess->client_uuid, 16);
				req.op = op->wop;
				rc = tzm__msg_send(inst->fd, TEE_MSG_HOST_OPEN, op->host_seq, 0, 0,
						   &req, sizeof(req), NULL, 0, &op->op_fd,
						   op->op_fd >= 0 ? 1 : 0);
			} else if (rc == 0) {
				struct tee_msg_host_invoke_req req;

				memset(&req, 0, sizeof(req));
				req.session_id = op->sess->id;
				req.cmd_id = op->cmd_id;
				req.op = op->wop;
				rc = tzm__msg_send(inst->fd, TEE_MSG_HOST_INVOKE, op->host_seq, 0,
						   0, &req, sizeof(req), NULL, 0, &op->op_fd,
						   op->op_fd >= 0 ? 1 : 0);
			}
		}
		if (rc) {
			instance_kill(core, inst, "channel to the TA host failed");
			return;
		}
		inst->busy = true;
	}
}

void core_instance_queue(struct core *core, struct instance *inst, struct op *op)
{
	struct op **pp = &inst->queue;

	while (*pp) {
		pp = &(*pp)->next;
	}
	op->next = NULL;
	*pp = op;
	kick(core, inst);
}

/* Builds the reply op from the request (copy), taking only output values/sizes. */
static bool merge_op(const struct tee_msg_op *req, const struct tee_msg_op *got,
		     struct tee_msg_op *out)
{
	*out = *req;
	for (int i = 0; i < TEE_MSG_NUM_PARAMS; i++) {
		uint32_t t = req->params[i].type;

		if (got->params[i].type != t) {
			return false;
		}
		if (t == TEE_PARAM_TYPE_VALUE_OUTPUT || t == TEE_PARAM_TYPE_VALUE_INOUT) {
			out->params[i].a = got->params[i].a & 0xffffffffu;
			out->params[i].b = got->params[i].b & 0xffffffffu;
		} else if (t == TEE_PARAM_TYPE_MEMREF_OUTPUT || t == TEE_PARAM_TYPE_MEMREF_INOUT) {
			out->params[i].c = got->params[i].c;
		}
	}
	return true;
}

static void complete(struct core *core, struct instance *inst, struct tzm__msg *m)
{
	struct op *op = inst->queue;
	struct session *s = op->sess;
	struct tee_msg_op got, out;
	TEE_Result res = m->hdr.ret;
	uint32_t origin = m->hdr.origin;

	if (origin < TEE_ORIGIN_API || origin > TEE_ORIGIN_TRUSTED_APP) {
		origin = TEE_ORIGIN_TEE;
	}
	inst->queue = op->next;
	inst->busy = false;
	switch (op->kind) {
	case OP_INIT:
		if (res != TEE_SUCCESS) {
			core_log(core, 'E', "TA %s#%llu: failed to load (0x%08x)", inst->uuid_str,
				 (unsigned long long)inst->id, res);
			core_op_free(op);
			/* fail the queued opens with the load error, not TARGET_DEAD */
			while (inst->queue) {
				struct op *q = inst->queue;
				inst->queue = q->next;
				fail_op(core, q, res);
			}
			instance_kill(core, inst, "TA failed to load");
			return;
		}
		inst->state = INST_READY;
		break;
	case OP_OPEN:
	case OP_INVOKE: {
		size_t off = op->kind == OP_OPEN ? offsetof(struct tee_msg_open_rsp, op) : 0;
		size_t want = op->kind == OP_OPEN ? sizeof(struct tee_msg_open_rsp)
						  : sizeof(struct tee_msg_invoke_rsp);

		if (m->hdr.len != want) {
			inst->queue = op; /* let instance_kill fail it */
			instance_kill(core, inst, "malformed reply from TA host");
			return;
		}
		memcpy(&got, m->body + off, sizeof(got));
		if (!merge_op(&op->wop, &got, &out)) {
			inst->queue = op;
			instance_kill(core, inst, "malformed reply from TA host");
			return;
		}
		if (op->kind == OP_OPEN) {
			struct tee_msg_open_rsp rsp;

			memset(&rsp, 0, sizeof(rsp));
			rsp.session_id = s->id;
			rsp.op = out;
			reply_to(core, op, res, origin, &rsp, sizeof(rsp));
			if (res == TEE_SUCCESS) {
				s->opened = true;
				if (!s->owner || s->closing) {
					s->closing = false;
					op->kind = OP_CLOSE; /* reuse: close what the gone client
								opened */
					op->from = NULL;
					if (op->op_fd >= 0) {
						close(op->op_fd);
						op->op_fd = -1;
					}
					core_instance_queue(core, inst, op);
					return;
				}
			} else {
				core_op_free(op);
				core_session_remove(core, s);
				kick(core, inst);
				core_instance_maybe_release(core, inst);
				return;
			}
		} else {
			struct tee_msg_invoke_rsp rsp = { .op = out };
			reply_to(core, op, res, origin, &rsp, sizeof(rsp));
		}
		break;
	}
	case OP_CLOSE:
		reply_to(core, op, TEE_SUCCESS, TEE_ORIGIN_TEE, NULL, 0);
		core_op_free(op);
		core_session_remove(core, s);
		kick(core, inst);
		return;
	}
	core_op_free(op);
	kick(core, inst);
	core_instance_maybe_release(core, inst);
}

/*
 * tee_invoke_supp_plugin() from the TA: relayed to the client whose call is running in the
 * instance (plugins are normal-world code: the client loads them, never the core or a TA
 * host). Answered later, by core_instance_plugin_reply() or when that client goes away.
 * Returns TEE_SUCCESS when relayed, else the error to answer now.
 */
static TEE_Result plugin_relay(struct core *core, struct instance *inst, const struct tzm__msg *m,
			       const uint8_t *body, size_t len)
{
	struct op *op = inst->busy ? inst->queue : NULL;
	struct tee_msg_plugin_req req;
	int rc;

	if (len < sizeof(req)) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	memcpy(&req, body, sizeof(req));
	if (req.len > TEE_MSG_PLUGIN_MAX_DATA || len - sizeof(req) != req.len) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	if (!op || op->kind == OP_INIT || op->kind == OP_CLOSE || !op->from ||
	    op->from->kind != CONN_CLIENT || op->cancelled) {
		core_log(core, 'E',
			 "TA %s#%llu: tee_invoke_supp_plugin outside a client's open or invoke "
			 "(e.g. from a TA-to-TA call): not supported",
			 inst->uuid_str, (unsigned long long)inst->id);
		return TEE_ERROR_NOT_SUPPORTED;
	}
	if (op->plugin_pending) {
		return TEE_ERROR_BUSY;
	}
	rc = tzm__msg_send(op->from->fd, TEE_MSG_PLUGIN_CALL, op->from_seq, 0, 0, body, len, NULL,
			   0, NULL, 0);
	if (rc) {
		if (rc == -EAGAIN) {
			shutdown(op->from->fd, SHUT_RDWR);
		}
		return TEE_ERROR_COMMUNICATION;
	}
	op->plugin_pending = true;
	op->plugin_host_seq = m->hdr.seq;
	op->plugin_len = req.len;
	return TEE_SUCCESS;
}

static void plugin_answer(struct core *core, struct instance *inst, struct op *op, TEE_Result res,
			  const void *body, size_t len)
{
	op->plugin_pending = false;
	core_send_reply(core, &inst->as_client, TEE_MSG_HOST_CALL, op->plugin_host_seq, res,
			TEE_ORIGIN_TEE, body, len);
}

/* The client's answer to TEE_MSG_PLUGIN_CALL (untrusted: checked before the TA sees it). */
void core_instance_plugin_reply(struct core *core, struct conn *c, const struct tzm__msg *m)
{
	struct tee_msg_plugin_rsp rsp;

	for (struct instance *inst = core->instances; inst; inst = inst->next) {
		struct op *op = inst->busy ? inst->queue : NULL;

		if (!op || op->from != c || op->from_seq != m->hdr.seq || !op->plugin_pending) {
			continue;
		}
		if (m->hdr.len < sizeof(rsp)) {
			plugin_answer(core, inst, op, TEE_ERROR_COMMUNICATION, NULL, 0);
			return;
		}
		memcpy(&rsp, m->body, sizeof(rsp));
		if (rsp.out_len > op->plugin_len || m->hdr.len - sizeof(rsp) != rsp.out_len) {
			core_log(core, 'E',
				 "client %llu: plugin answer of %u bytes for a buffer of %u: "
				 "refused",
				 (unsigned long long)c->id, rsp.out_len, op->plugin_len);
			plugin_answer(core, inst, op, TEE_ERROR_COMMUNICATION, NULL, 0);
			return;
		}
		plugin_answer(core, inst, op, m->hdr.ret, m->body, m->hdr.len);
		return;
	}
	/* no call waits for it (the instance died, or a stray message): dropped */
}

static void host_call(struct core *core, struct instance *inst, struct tzm__msg *m)
{
	uint8_t *resp = core->service_resp;
	struct tee_msg_host_call_req req;
	struct core_ta_identity id;
	size_t resp_len = 0;
	TEE_Result res = TEE_ERROR_NOT_SUPPORTED;

	if (tzm__msg_take(m, &req, sizeof(req)) || m->hdr.len - sizeof(req) > TEE_MSG_MAX_PAYLOAD) {
		core_send_reply(core, &inst->as_client, m->hdr.cmd, m->hdr.seq,
				TEE_ERROR_BAD_PARAMETERS, TEE_ORIGIN_TEE, NULL, 0);
		return;
	}
	memset(&id, 0, sizeof(id));
	tzm__uuid_from_bytes(inst->uuid, (struct tzm__uuid *)&id.uuid);
	id.instance_id = inst->id;
	memcpy(id.ta_sha256, inst->sha256, 32);
	id.module_kind = inst->module_kind;
	memcpy(id.module_sha256, inst->module_sha256, 32);
	if (req.cmd >= CORE_CMD_STORAGE_FIRST && req.cmd <= CORE_CMD_STORAGE_LAST) {
		res = core__storage_dispatch(core->storage, &id, req.cmd, m->body + sizeof(req),
					     m->hdr.len - sizeof(req), resp,
					     sizeof(core->service_resp), &resp_len);
	} else if (req.cmd >= CORE_CMD_ATTEST_FIRST && req.cmd <= CORE_CMD_ATTEST_LAST) {
		res = core__attest_dispatch(core->attest, &id, req.cmd, m->body + sizeof(req),
					    m->hdr.len - sizeof(req), resp,
					    sizeof(core->service_resp), &resp_len);
	} else if (req.cmd == CORE_CMD_PLUGIN_INVOKE) {
		res = plugin_relay(core, inst, m, m->body + sizeof(req), m->hdr.len - sizeof(req));
		if (res == TEE_SUCCESS) {
			return; /* answered when the client does */
		}
	}
	if (resp_len > sizeof(core->service_resp)) {
		resp_len = 0;
		res = TEE_ERROR_GENERIC;
	}
	core_send_reply(core, &inst->as_client, m->hdr.cmd, m->hdr.seq, res, TEE_ORIGIN_TEE, resp,
			resp_len);
}

void core_instance_handle(struct core *core, struct instance *inst, struct tzm__msg *m)
{
	uint16_t cmd = m->hdr.cmd;

	if (cmd & TEE_MSG_F_REPLY) {
		struct op *op = inst->queue;
		static const uint16_t expect[] = { [OP_INIT] = TEE_MSG_HOST_INIT,
						   [OP_OPEN] = TEE_MSG_HOST_OPEN,
						   [OP_INVOKE] = TEE_MSG_HOST_INVOKE,
						   [OP_CLOSE] = TEE_MSG_HOST_CLOSE };
		if (!inst->busy || !op || m->hdr.seq != op->host_seq ||
		    (cmd & ~TEE_MSG_F_REPLY) != expect[op->kind]) {
			instance_kill(core, inst, "unexpected reply from TA host");
			return;
		}
		complete(core, inst, m);
		return;
	}
	switch (cmd) {
	case TEE_MSG_HOST_LOG: {
		struct tee_msg_host_log_req req;

		if (tzm__msg_take(m, &req, sizeof(req)) == 0 &&
		    m->hdr.len - sizeof(req) <= TEE_MSG_MAX_LOG_LINE) {
			core_log_ta(core, inst, req.level, (const char *)m->body + sizeof(req),
				    m->hdr.len - sizeof(req));
		}
		break;
	}
	case TEE_MSG_HOST_CALL:
		host_call(core, inst, m);
		break;
	case TEE_MSG_OPEN_SESSION:
	case TEE_MSG_INVOKE:
	case TEE_MSG_CLOSE_SESSION:
		if (inst->state == INST_READY) {
			core_conn_handle(core, &inst->as_client, m);
		}
		break;
	default:
		core_send_reply(core, &inst->as_client, cmd, m->hdr.seq, TEE_ERROR_NOT_SUPPORTED,
				TEE_ORIGIN_TEE, NULL, 0);
		break;
	}
}

static void unlink_instance(struct core *core, struct instance *inst)
{
	struct instance **pp;

	for (pp = &core->instances; *pp; pp = &(*pp)->next) {
		if (*pp == inst) {
			*pp = inst->next;
			break;
		}
	}
}

/* The services forget what the instance held (open objects, attestation state). */
static void services_instance_gone(struct core *core, uint64_t instance_id)
{
	core__storage_instance_gone(core->storage, instance_id);
	core__attest_instance_gone(core->attest, instance_id);
}

static void close_channel(struct core *core, struct instance *inst)
{
	if (inst->fd >= 0) {
		core_ep_del(core, inst->fd);
		close(inst->fd);
	}
	inst->fd = -1;
	inst->as_client.fd = -1;
}

static void instance_kill(struct core *core, struct instance *inst, const char *why)
{
	bool forced = inst->busy && inst->queue && inst->queue->forced;

	if (inst->state == INST_DEAD) {
		return;
	}
	core_log(core, 'E', "TA %s#%llu: instance ended: %s", inst->uuid_str,
		 (unsigned long long)inst->id, why);
	inst->state = INST_DEAD;
	close_channel(core, inst);
	if (inst->pid > 0) {
		kill(inst->pid, SIGKILL);
	}
	inst->busy = false;
	while (inst->queue) {
		struct op *op = inst->queue;

		inst->queue = op->next;
		fail_op(core, op, forced ? TEE_ERROR_CANCEL : TEE_ERROR_TARGET_DEAD);
		forced = false;
	}
	core_conn_gone(core, &inst->as_client);
	for (struct session *s = core->sessions, *n; s; s = n) {
		n = s->next;
		if (s->inst == inst) {
			s->dead = true;
			if (!s->owner) {
				core_session_remove(core, s);
			}
		}
	}
	services_instance_gone(core, inst->id);
}

void core_instance_channel_gone(struct core *core, struct instance *inst)
{
	instance_kill(core, inst, "TA host exited (panic, crash or resource limit)");
}

void core_instance_reaped(struct core *core, pid_t pid, int status)
{
	for (struct instance *inst = core->instances; inst; inst = inst->next) {
		if (inst->pid != pid) {
			continue;
		}
		inst->pid = 0;
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS) {
			core_log(core, 'E',
				 "TA %s#%llu: killed by the sandbox (forbidden system call)",
				 inst->uuid_str, (unsigned long long)inst->id);
		} else if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL) {
			core_log(core, 'E', "TA %s#%llu: crashed (signal %d)", inst->uuid_str,
				 (unsigned long long)inst->id, WTERMSIG(status));
		} else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
			core_log(core, 'E', "TA %s#%llu: host exited with status %d",
				 inst->uuid_str, (unsigned long long)inst->id, WEXITSTATUS(status));
		}
		instance_kill(core, inst, "TA host process ended");
		return;
	}
}

void core_instance_maybe_release(struct core *core, struct instance *inst)
{
	if (inst->state == INST_DEAD || inst->nsessions > 0 || inst->queue) {
		return;
	}
	if ((inst->flags & TA_FLAG_INSTANCE_KEEP_ALIVE) &&
	    (inst->flags & TA_FLAG_SINGLE_INSTANCE)) {
		return;
	}
	/* Closing the channel makes the host run TA_DestroyEntryPoint and exit. */
	core_log(core, 'I', "TA %s#%llu: last session closed, ending instance", inst->uuid_str,
		 (unsigned long long)inst->id);
	inst->state = INST_DEAD;
	close_channel(core, inst);
	inst->cancel_deadline_ms = core_now_ms() + HOST_EXIT_GRACE_MS;
	services_instance_gone(core, inst->id);
}

void core_instance_tick(struct core *core, uint64_t now, uint64_t *next)
{
	struct instance *inst, *n;

	for (inst = core->instances; inst; inst = n) {
		n = inst->next;
		if (inst->state == INST_DEAD) {
			if (inst->pid == 0 && inst->nsessions == 0) {
				unlink_instance(core, inst);
				if (inst->ctl_map) {
					munmap(inst->ctl_map, TEE_CTL_PAGE_SIZE);
				}
				close(inst->ctl_fd);
				free(inst->mapped);
				free(inst->ta_dir);
				free(inst);
				continue;
			}
			if (inst->pid > 0 && inst->cancel_deadline_ms) {
				if (now >= inst->cancel_deadline_ms) {
					kill(inst->pid, SIGKILL);
					inst->cancel_deadline_ms = 0;
				} else if (inst->cancel_deadline_ms < *next) {
					*next = inst->cancel_deadline_ms;
				}
			}
			continue;
		}
		if (inst->busy && inst->queue && inst->queue->cancelled) {
			struct op *op = inst->queue;

			if (now >= op->cancel_deadline_ms) {
				core_log(core, 'E',
					 "TA %s#%llu: ignored cancellation for %llu ms; killing it",
					 inst->uuid_str, (unsigned long long)inst->id,
					 (unsigned long long)core->cancel_grace_ms);
				op->forced = true;
				op->cancelled = false;
				instance_kill(core, inst, "cancelled operation did not return");
			} else if (op->cancel_deadline_ms < *next) {
				*next = op->cancel_deadline_ms;
			}
		}
	}
}

static void cancel_op(struct core *core, struct instance *inst, struct op *op, struct op **pp)
{
	if (op == inst->queue && inst->busy) {
		if (!op->cancelled) {
			op->cancelled = true;
			op->cancel_deadline_ms = core_now_ms() + core->cancel_grace_ms;
			__atomic_store_n(inst->ctl_cancel, op->host_seq, __ATOMIC_RELEASE);
			ctl_wake(inst);
		}
		return;
	}
	/* Not started yet: it never reaches the TA. */
	*pp = op->next;
	fail_op(core, op, TEE_ERROR_CANCEL);
}

void core_instance_cancel(struct core *core, struct conn *from, uint32_t op_id)
{
	for (struct instance *inst = core->instances; inst; inst = inst->next) {
		for (struct op **pp = &inst->queue; *pp; pp = &(*pp)->next) {
			struct op *op = *pp;

			if (op->from == from && op->op_id == op_id && op->kind != OP_INIT &&
			    op->kind != OP_CLOSE) {
				cancel_op(core, inst, op, pp);
				return;
			}
		}
	}
}

void core_instance_conn_gone(struct core *core, struct conn *c)
{
	for (struct instance *inst = core->instances; inst; inst = inst->next) {
		struct op **pp = &inst->queue;

		while (*pp) {
			struct op *op = *pp;

			if (op->from != c) {
				pp = &op->next;
				continue;
			}
			op->from = NULL;
			if (op->plugin_pending) {
				plugin_answer(core, inst, op, TEE_ERROR_COMMUNICATION, NULL, 0);
			}
			if (op == inst->queue && inst->busy) {
				/* In the TA right now: ask it to stop; killed after the grace
				 * period. */
				if (op->kind != OP_CLOSE) {
					cancel_op(core, inst, op, pp);
				}
				pp = &op->next;
			} else if (op->kind == OP_INVOKE) {
				*pp = op->next;
				core_op_free(op);
			} else {
				/* queued OPEN/CLOSE stay: the session is closed properly after them
				 */
				pp = &op->next;
			}
		}
	}
}

void core_instance_shm_released(struct core *core, uint64_t shm_id)
{
	for (struct instance *inst = core->instances; inst; inst = inst->next) {
		for (size_t i = 0; i < inst->nmapped; i++) {
			if (inst->mapped[i] != shm_id) {
				continue;
			}
			inst->mapped[i] = inst->mapped[--inst->nmapped];
			if (inst->fd >= 0) {
				struct tee_msg_shm_release_req req = { .shm_id = shm_id };
				tzm__msg_send(inst->fd, TEE_MSG_HOST_SHM_UNMAP, ++inst->next_seq, 0,
					      0, &req, sizeof(req), NULL, 0, NULL, 0);
			}
			break;
		}
	}
}
