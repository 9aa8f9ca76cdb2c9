/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tzm-ta-host: runs one TA instance for tzm-teed.
 *
 * Start-up (before any TA code runs): keep only fds 0-2 (/dev/null) and the channel (3);
 * receive HOST_INIT with the .ta image and the control page; re-verify the image; map
 * the TEE_Malloc arena; load the ELF with dlopen from a memfd (the image was checked to
 * have no initializers, so nothing of the TA runs yet); check __tzm_ta_head against the
 * verified header; load libgcc_s (glibc's unwinder, for cancelled TA threads); start the
 * TA thread; lock down (sandbox.c); then TA_CreateEntryPoint.
 *
 * Then the main thread receives requests and hands each to the TA thread, which runs the
 * entry point and replies. Channel EOF means "instance ends": TA_DestroyEntryPoint, exit.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "host.h"
#include "sha256.h"
#include "ta_image.h"
#include "uuid.h"

/*
 * How long an entry point still running when the channel closes may take to end by itself.
 * The core closes the channel of an idle instance only (one it ends with a running call
 * it kills), so EOF under a running call means the core died: the call's result can no
 * longer be delivered, and a POSIX TA's main() waits for a shadow that is gone too. Without
 * this bound the host would outlive its core for good (fault_kill found it).
 */
#define HOST_ORPHAN_GRACE_MS 2000

struct host_state g_host = {
	.chan = HOST_CHANNEL_FD,
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.cond = PTHREAD_COND_INITIALIZER,
	.job_fd = -1,
	.lockdown_rc = 1,
};

typedef TEE_Result (*open_fn)(uint32_t, TEE_Param *, void **);
typedef TEE_Result (*open11_fn)(uint32_t, __GP11_TEE_Param *, void **);
typedef TEE_Result (*invoke_fn)(void *, uint32_t, uint32_t, TEE_Param *);
typedef TEE_Result (*invoke11_fn)(void *, uint32_t, uint32_t, __GP11_TEE_Param *);

static void reply(uint16_t cmd, uint32_t seq, TEE_Result res, uint32_t origin, const void *body,
		  size_t len)
{
	if (tzm__msg_send(g_host.chan, cmd | TEE_MSG_F_REPLY, seq, res, origin, body, len, NULL, 0,
			  NULL, 0)) {
		_exit(HOST_EXIT_PROTOCOL); /* core gone */
	}
}

/* fstat as the system call itself: glibc's fstat() is newfstatat(fd, "", AT_EMPTY_PATH),
 * which the sandbox has to trap and serve in a signal handler (sandbox.c); the host's
 * per-request calls need not pay for that. struct stat is the kernel's on x86-64 and
 * aarch64. */
static int host_fstat(int fd, struct stat *st)
{
	return (int)syscall(SYS_fstat, fd, st);
}

/* ---- loading ---- */

static void device_id_init(void)
{
	char buf[128];
	uint8_t d[32];
	ssize_t n = -1;
	int fd = open("/etc/machine-id", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf));
		close(fd);
	}
	if (n <= 0) {
		n = snprintf(buf, sizeof(buf), "unknown-machine");
	}
	tzm__sha256(buf, (size_t)n, d);
	d[6] = (uint8_t)((d[6] & 0x0f) | 0x80);
	d[8] = (uint8_t)((d[8] & 0x3f) | 0x80);
	tzm__uuid_from_bytes(d, (struct tzm__uuid *)&g_host.device_id);
}

static TEE_Result load_ta(int image_fd, uint64_t image_size, const uint8_t uuid[16])
{
	struct ta_image_hdr hdr;
	const char *why = NULL;
	const struct tzm_ta_head *head;
	uint8_t *img = MAP_FAILED;
	char path[64];
	void *dl;
	int efd = -1, rc;
	TEE_Result res = TEE_ERROR_BAD_FORMAT;
	struct stat st;

	if (fstat(image_fd, &st) || st.st_size < 0 || (uint64_t)st.st_size != image_size ||
	    image_size < TA_IMAGE_HDR_SIZE) {
		host_log(TRACE_ERROR, "TA image: size mismatch");
		goto out;
	}
	img = mmap(NULL, (size_t)image_size, PROT_READ, MAP_PRIVATE, image_fd, 0);
	if (img == MAP_FAILED) {
		res = TEE_ERROR_OUT_OF_MEMORY;
		goto out;
	}
	rc = tzm__ta_image_verify(img, (size_t)image_size, uuid, tzm__host_e_machine(), &hdr, &why);
	if (rc) {
		host_log(TRACE_ERROR, "TA image rejected: %s", why);
		res = (rc == -EKEYREJECTED || rc == -EPERM) ? TEE_ERROR_SECURITY
							    : TEE_ERROR_BAD_FORMAT;
		goto out;
	}
	g_host.flags = hdr.flags;
	g_host.stack_size = hdr.stack_size;
	g_host.data_size = hdr.data_size;
	if (heap_init(hdr.data_size)) {
		res = TEE_ERROR_OUT_OF_MEMORY;
		goto out;
	}
	efd = memfd_create("ta-elf", MFD_CLOEXEC);
	if (efd < 0 ||
	    write(efd, img + TA_IMAGE_HDR_SIZE, (size_t)hdr.elf_size) != (ssize_t)hdr.elf_size) {
		res = TEE_ERROR_OUT_OF_MEMORY;
		goto out;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", efd);
	dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!dl) {
		host_log(TRACE_ERROR, "TA cannot be loaded: %s", dlerror());
		goto out;
	}
	head = dlsym(dl, "__tzm_ta_head");
	g_host.props = dlsym(dl, "__tzm_ta_props");
	if (!head || !g_host.props || head->magic != TZM_TA_HEAD_MAGIC ||
	    head->version != TZM_TA_HEAD_VERSION ||
	    memcmp(&head->uuid, &g_host.uuid, sizeof(TEE_UUID)) != 0 || head->flags != hdr.flags ||
	    head->stack_size != hdr.stack_size || head->data_size != hdr.data_size) {
		host_log(TRACE_ERROR,
			 "TA metadata (__tzm_ta_head) does not match the image header");
		res = TEE_ERROR_SECURITY;
		goto out;
	}
	g_host.create = (TEE_Result(*)(void))dlsym(dl, "TA_CreateEntryPoint");
	g_host.destroy = (void (*)(void))dlsym(dl, "TA_DestroyEntryPoint");
	g_host.close = (void (*)(void *))dlsym(dl, "TA_CloseSessionEntryPoint");
	g_host.open = dlsym(dl, "TA_OpenSessionEntryPoint");
	g_host.invoke = dlsym(dl, "TA_InvokeCommandEntryPoint");
	if (!g_host.open && !g_host.invoke) {
		g_host.open = dlsym(dl, "__GP11_TA_OpenSessionEntryPoint");
		g_host.invoke = dlsym(dl, "__GP11_TA_InvokeCommandEntryPoint");
		g_host.gp11 = true;
	}
	/* optional: libtzm's hook that shows sandbox refusals on tzm-run's stderr */
	g_host.ta_notice = (void (*)(const char *))dlsym(dl, "tzm_ta_sandbox_notice");
	g_host.ta_open = (int (*)(const char *, int))dlsym(dl, "tzm_ta_sandbox_open");
	g_host.ta_stat =
		(int (*)(const char *, struct stat *, int))dlsym(dl, "tzm_ta_sandbox_stat");
	if (!g_host.create || !g_host.destroy || !g_host.close || !g_host.open || !g_host.invoke) {
		host_log(TRACE_ERROR, "TA lacks one of the five GP entry points");
		goto out;
	}
	res = TEE_SUCCESS;
out:
	if (efd >= 0) {
		close(efd);
	}
	if (img != MAP_FAILED) {
		munmap(img, (size_t)image_size);
	}
	return res;
}

/* ---- parameters ---- */

static uint8_t *shm_addr(uint64_t id, uint64_t off, uint64_t size, bool *ok)
{
	uint64_t end;

	*ok = false;
	if (__builtin_add_overflow(off, size, &end)) {
		return NULL;
	}
	if (id == TEE_MSG_SHM_NULL) {
		*ok = off == 0;
		return NULL;
	}
	if (id == TEE_MSG_SHM_OP_FD) {
		*ok = g_host.op_map && end <= g_host.op_map_len;
		return *ok ? g_host.op_map + off : NULL;
	}
	for (struct host_shm *s = g_host.shms; s; s = s->next) {
		if (s->id == id && !s->released) {
			*ok = end <= s->size;
			return *ok ? s->addr + off : NULL;
		}
	}
	return NULL;
}

/* Wire op → TEE_Param (copy, validate); the TA sees GP 1.3.1 params from here on. */
static bool params_in(const struct tee_msg_op *op)
{
	pthread_mutex_lock(&g_host.lock);
	g_host.cur_types = op->param_types;
	memset(g_host.cur_params, 0, sizeof(g_host.cur_params));
	for (int i = 0; i < TEE_NUM_PARAMS; i++) {
		const struct tee_msg_param *p = &op->params[i];
		uint32_t t = TEE_PARAM_TYPE_GET(op->param_types, i);
		bool ok = true;

		if (p->type != t) {
			ok = false;
		} else if (t >= TEE_PARAM_TYPE_VALUE_INPUT && t <= TEE_PARAM_TYPE_VALUE_INOUT) {
			g_host.cur_params[i].value.a = (uint32_t)p->a;
			g_host.cur_params[i].value.b = (uint32_t)p->b;
		} else if (t >= TEE_PARAM_TYPE_MEMREF_INPUT && t <= TEE_PARAM_TYPE_MEMREF_INOUT) {
			g_host.cur_params[i].memref.buffer = shm_addr(p->a, p->b, p->c, &ok);
			g_host.cur_params[i].memref.size = (size_t)p->c;
		} else if (t != TEE_PARAM_TYPE_NONE) {
			ok = false;
		}
		if (!ok) {
			pthread_mutex_unlock(&g_host.lock);
			return false;
		}
	}
	pthread_mutex_unlock(&g_host.lock);
	return true;
}

static void params_out(struct tee_msg_op *op)
{
	for (int i = 0; i < TEE_NUM_PARAMS; i++) {
		uint32_t t = TEE_PARAM_TYPE_GET(op->param_types, i);

		if (t == TEE_PARAM_TYPE_VALUE_OUTPUT || t == TEE_PARAM_TYPE_VALUE_INOUT) {
			op->params[i].a = g_host.cur_params[i].value.a;
			op->params[i].b = g_host.cur_params[i].value.b;
		} else if (t == TEE_PARAM_TYPE_MEMREF_OUTPUT || t == TEE_PARAM_TYPE_MEMREF_INOUT) {
			op->params[i].c = g_host.cur_params[i].memref.size;
		}
	}
}

/*
 * A GP 1.1 TA's entry points take __GP11_TEE_Param (32-bit memref sizes): the current
 * parameters converted for the call, and its values and sizes converted back after it.
 */
static void gp11_params_in(__GP11_TEE_Param p[TEE_NUM_PARAMS])
{
	memset(p, 0, sizeof(__GP11_TEE_Param) * TEE_NUM_PARAMS);
	for (int i = 0; i < TEE_NUM_PARAMS; i++) {
		if (TEE_PARAM_TYPE_GET(g_host.cur_types, i) < TEE_PARAM_TYPE_MEMREF_INPUT) {
			p[i].value.a = g_host.cur_params[i].value.a;
			p[i].value.b = g_host.cur_params[i].value.b;
		} else {
			p[i].memref.buffer = g_host.cur_params[i].memref.buffer;
			p[i].memref.size = (uint32_t)g_host.cur_params[i].memref.size;
		}
	}
}

static void gp11_params_out(const __GP11_TEE_Param p[TEE_NUM_PARAMS])
{
	for (int i = 0; i < TEE_NUM_PARAMS; i++) {
		if (TEE_PARAM_TYPE_GET(g_host.cur_types, i) < TEE_PARAM_TYPE_MEMREF_INPUT) {
			g_host.cur_params[i].value.a = p[i].value.a;
			g_host.cur_params[i].value.b = p[i].value.b;
		} else {
			g_host.cur_params[i].memref.size = p[i].memref.size;
		}
	}
}

static TEE_Result call_open(void **ctx)
{
	if (!g_host.gp11) {
		return ((open_fn)g_host.open)(g_host.cur_types, g_host.cur_params, ctx);
	}
	__GP11_TEE_Param p[TEE_NUM_PARAMS];
	TEE_Result res;

	gp11_params_in(p);
	res = ((open11_fn)g_host.open)(g_host.cur_types, p, ctx);
	gp11_params_out(p);
	return res;
}

static TEE_Result call_invoke(void *ctx, uint32_t cmd)
{
	if (!g_host.gp11) {
		return ((invoke_fn)g_host.invoke)(ctx, cmd, g_host.cur_types, g_host.cur_params);
	}
	__GP11_TEE_Param p[TEE_NUM_PARAMS];
	TEE_Result res;

	gp11_params_in(p);
	res = ((invoke11_fn)g_host.invoke)(ctx, cmd, g_host.cur_types, p);
	gp11_params_out(p);
	return res;
}

static bool sizes_fit_gp11(void)
{
	for (int i = 0; i < TEE_NUM_PARAMS; i++) {
		if (TEE_PARAM_TYPE_GET(g_host.cur_types, i) >= TEE_PARAM_TYPE_MEMREF_INPUT &&
		    g_host.cur_params[i].memref.size > UINT32_MAX) {
			return false;
		}
	}
	return true;
}

static struct host_session *find_session(uint32_t id)
{
	for (struct host_session *s = g_host.sessions; s; s = s->next) {
		if (s->id == id) {
			return s;
		}
	}
	return NULL;
}

static void remove_session(struct host_session *s)
{
	for (struct host_session **pp = &g_host.sessions; *pp; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	}
	free(s);
}

/* ---- jobs on the TA thread ---- */

static void job_open(struct tzm__msg *m)
{
	struct tee_msg_host_open_req req;
	struct tee_msg_open_rsp rsp;
	struct host_session *s;
	TEE_Result res;
	uint32_t origin = TEE_ORIGIN_TRUSTED_APP;

	memset(&rsp, 0, sizeof(rsp));
	if (tzm__msg_take(m, &req, sizeof(req)) || m->hdr.len != sizeof(req) ||
	    find_session(req.session_id) || !(s = calloc(1, sizeof(*s)))) {
		reply(m->hdr.cmd, m->hdr.seq, TEE_ERROR_BAD_PARAMETERS, TEE_ORIGIN_TEE, NULL, 0);
		return;
	}
	rsp.session_id = req.session_id;
	rsp.op = req.op;
	s->id = req.session_id;
	s->login = req.client_login;
	s->cancel_masked = true;
	tzm__uuid_from_bytes(req.client_uuid, (struct tzm__uuid *)&s->client_uuid);
	g_host.cur_sess = s;
	if (!params_in(&req.op) || (g_host.gp11 && !sizes_fit_gp11())) {
		res = TEE_ERROR_BAD_PARAMETERS;
		origin = TEE_ORIGIN_TEE;
	} else {
		res = call_open(&s->ctx);
		params_out(&rsp.op);
	}
	g_host.cur_sess = NULL;
	if (res == TEE_SUCCESS) {
		s->next = g_host.sessions;
		g_host.sessions = s;
	} else {
		free(s);
	}
	reply(m->hdr.cmd, m->hdr.seq, res, origin, &rsp, sizeof(rsp));
}

static void job_invoke(struct tzm__msg *m)
{
	struct tee_msg_host_invoke_req req;
	struct tee_msg_invoke_rsp rsp;
	struct host_session *s;
	TEE_Result res;
	uint32_t origin = TEE_ORIGIN_TRUSTED_APP;

	if (tzm__msg_take(m, &req, sizeof(req)) || m->hdr.len != sizeof(req) ||
	    !(s = find_session(req.session_id))) {
		reply(m->hdr.cmd, m->hdr.seq, TEE_ERROR_BAD_PARAMETERS, TEE_ORIGIN_TEE, NULL, 0);
		return;
	}
	rsp.op = req.op;
	g_host.cur_sess = s;
	if (!params_in(&req.op) || (g_host.gp11 && !sizes_fit_gp11())) {
		res = TEE_ERROR_BAD_PARAMETERS;
		origin = TEE_ORIGIN_TEE;
	} else {
		res = call_invoke(s->ctx, req.cmd_id);
		params_out(&rsp.op);
	}
	g_host.cur_sess = NULL;
	reply(m->hdr.cmd, m->hdr.seq, res, origin, &rsp, sizeof(rsp));
}

static void job_close(struct tzm__msg *m)
{
	struct tee_msg_close_req req;
	struct host_session *s;

	if (tzm__msg_take(m, &req, sizeof(req)) == 0 && (s = find_session(req.session_id))) {
		g_host.cur_sess = s;
		g_host.close(s->ctx);
		g_host.cur_sess = NULL;
		remove_session(s);
	}
	reply(m->hdr.cmd, m->hdr.seq, TEE_SUCCESS, TEE_ORIGIN_TEE, NULL, 0);
}

/* Unmaps the op region and shared memory released while the job ran. */
static void job_cleanup(void)
{
	pthread_mutex_lock(&g_host.lock);
	if (g_host.op_map) {
		munmap(g_host.op_map, g_host.op_map_len);
		g_host.op_map = NULL;
		g_host.op_map_len = 0;
	}
	for (struct host_shm **pp = &g_host.shms; *pp;) {
		struct host_shm *s = *pp;
		if (s->released) {
			*pp = s->next;
			munmap(s->addr, s->size ? s->size : 1);
			free(s);
		} else {
			pp = &s->next;
		}
	}
	memset(g_host.cur_params, 0, sizeof(g_host.cur_params));
	g_host.cur_types = 0;
	g_host.job = NULL;
	pthread_cond_broadcast(&g_host.cond);
	pthread_mutex_unlock(&g_host.lock);
}

static void *ta_thread(void *arg)
{
	uint8_t marker;

	(void)arg;
	/* The TA thread's own stack range, for TEE_CheckMemoryAccessRights. */
	{
		pthread_attr_t a;
		void *lo = NULL;
		size_t sz = 0;

		if (pthread_getattr_np(pthread_self(), &a) == 0) {
			pthread_attr_getstack(&a, &lo, &sz);
			pthread_attr_destroy(&a);
		}
		g_host.ta_tid = gettid();
		g_host.stack_lo = lo;
		g_host.stack_hi = (uint8_t *)lo + sz;
		(void)marker;
	}
#ifdef HOST_SANITIZER
	{
		int rc = sandbox_lockdown(g_host.data_size);

		pthread_mutex_lock(&g_host.lock);
		g_host.lockdown_rc = rc;
		pthread_cond_broadcast(&g_host.cond);
		pthread_mutex_unlock(&g_host.lock);
		if (rc) {
			return NULL;
		}
	}
#endif
	for (;;) {
		struct tzm__msg *m;

		pthread_mutex_lock(&g_host.lock);
		while (!g_host.job && !g_host.quit) {
			pthread_cond_wait(&g_host.cond, &g_host.lock);
		}
		if (!g_host.job) {
			pthread_mutex_unlock(&g_host.lock);
			break;
		}
		m = g_host.job;
		g_host.cur_seq = m->hdr.seq;
		pthread_mutex_unlock(&g_host.lock);
		switch (m->hdr.cmd) {
		case TEE_MSG_HOST_INIT: {
			TEE_Result res = g_host.create();
			reply(m->hdr.cmd, m->hdr.seq, res,
			      res == TEE_SUCCESS ? TEE_ORIGIN_TEE : TEE_ORIGIN_TRUSTED_APP, NULL,
			      0);
			break;
		}
		case TEE_MSG_HOST_OPEN:
			job_open(m);
			break;
		case TEE_MSG_HOST_INVOKE:
			job_invoke(m);
			break;
		case TEE_MSG_HOST_CLOSE:
			job_close(m);
			break;
		default:
			break;
		}
		job_cleanup();
	}
	/* Instance ends: GP says close sessions first is the core's job; destroy the TA. */
	g_host.destroy();
#ifdef HOST_SANITIZER
	return NULL; /* the unfiltered main thread exits, so LeakSanitizer can check */
#else
	_exit(0);
#endif
}

/* ---- main thread ---- */

static void handle_shm_map(struct tzm__msg *m)
{
	struct tee_msg_host_shm_map_req req;
	struct host_shm *s;
	struct stat st;
	void *p;

	if (tzm__msg_take(m, &req, sizeof(req)) || m->nfds != 1 || host_fstat(m->fds[0], &st) ||
	    st.st_size < 0 || req.size > (uint64_t)st.st_size || req.size > SIZE_MAX) {
		_exit(HOST_EXIT_PROTOCOL);
	}
	p = mmap(NULL, req.size ? (size_t)req.size : 1, PROT_READ | PROT_WRITE, MAP_SHARED,
		 m->fds[0], 0);
	s = calloc(1, sizeof(*s));
	if (p == MAP_FAILED || !s) {
		host_log(TRACE_ERROR, "cannot map shared memory %llu",
			 (unsigned long long)req.shm_id);
		free(s);
		return; /* params referring to it will be refused */
	}
	s->id = req.shm_id;
	s->addr = p;
	s->size = (size_t)req.size;
	pthread_mutex_lock(&g_host.lock);
	s->next = g_host.shms;
	g_host.shms = s;
	pthread_mutex_unlock(&g_host.lock);
}

static void handle_shm_unmap(struct tzm__msg *m)
{
	struct tee_msg_shm_release_req req;

	if (tzm__msg_take(m, &req, sizeof(req))) {
		return;
	}
	pthread_mutex_lock(&g_host.lock);
	for (struct host_shm **pp = &g_host.shms; *pp; pp = &(*pp)->next) {
		struct host_shm *s = *pp;
		if (s->id != req.shm_id) {
			continue;
		}
		if (g_host.job) {
			s->released = true; /* maybe in use by the running entry point */
		} else {
			*pp = s->next;
			munmap(s->addr, s->size ? s->size : 1);
			free(s);
		}
		break;
	}
	pthread_mutex_unlock(&g_host.lock);
}

static void start_job(struct tzm__msg *m, struct tzm__msg *slot)
{
	pthread_mutex_lock(&g_host.lock);
	/* The core sends the next request as soon as it has our reply; the TA thread may
	 * still be cleaning up after the previous one. */
	while (g_host.job) {
		pthread_cond_wait(&g_host.cond, &g_host.lock);
	}
	if (m->nfds == 1) {
		struct stat st;
		void *p = MAP_FAILED;

		if (host_fstat(m->fds[0], &st) == 0 && st.st_size > 0) {
			p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED,
				 m->fds[0], 0);
		}
		if (p != MAP_FAILED) {
			g_host.op_map = p;
			g_host.op_map_len = (size_t)st.st_size;
		}
	}
	tzm__msg_close_fds(m);
	slot->hdr = m->hdr;
	memcpy(slot->body, m->body, m->hdr.len);
	slot->nfds = 0;
	g_host.job = slot;
	pthread_cond_broadcast(&g_host.cond);
	pthread_mutex_unlock(&g_host.lock);
}

static int init_from_core(struct tzm__msg *m)
{
	struct tee_msg_host_init_req req;
	struct tee_ctl_page *ctl;
	TEE_Result res;

	if (tzm__msg_recv(g_host.chan, m) || m->hdr.cmd != TEE_MSG_HOST_INIT ||
	    tzm__msg_take(m, &req, sizeof(req)) || m->nfds != 2) {
		return -EPROTO;
	}
	tzm__uuid_from_bytes(req.uuid, (struct tzm__uuid *)&g_host.uuid);
	tzm__uuid_bytes_to_str(req.uuid, g_host.uuid_str);
	g_host.instance_id = req.instance_id;
	g_host.insecure = req.insecure == 1;
	ctl = mmap(NULL, TEE_CTL_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, m->fds[1], 0);
	if (ctl == MAP_FAILED || ctl->magic != TEE_CTL_MAGIC) {
		reply(m->hdr.cmd, m->hdr.seq, TEE_ERROR_GENERIC, TEE_ORIGIN_TEE, NULL, 0);
		return -EPROTO;
	}
	g_host.ctl_cancel = &ctl->cancel_seq;
	device_id_init();
	res = load_ta(m->fds[0], req.image_size, req.uuid);
	tzm__msg_close_fds(m);
	if (res != TEE_SUCCESS) {
		reply(m->hdr.cmd, m->hdr.seq, res, TEE_ORIGIN_TEE, NULL, 0);
		return -EINVAL;
	}
	return 0;
}

/* Joins th, waiting at most ms; -ETIMEDOUT if it is still running. */
static int join_bounded(pthread_t th, unsigned ms)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000u;
	until.tv_nsec += (long)(ms % 1000u) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	return -pthread_timedjoin_np(th, NULL, &until);
}

int main(void)
{
	static struct tzm__msg in, job_slot;
	pthread_attr_t attr;
	pthread_t th;
	size_t stack;
	int rc;

	/* Nothing but stdio (/dev/null) and the channel survives into the TA's process. */
	close_range(HOST_CHANNEL_FD + 1, ~0u, 0);
	if (init_from_core(&in)) {
		return HOST_EXIT_PROTOCOL;
	}
	host_props_init();
	host_crypto_init();
	/*
	 * glibc's unwinder (pthread_cancel, pthread_exit of a POSIX TA's thread) opens libgcc_s
	 * on first use, an open the sandbox refuses (the TA panicked): loaded now, before the
	 * lock-down, glibc finds it loaded then. Without it those calls fail as before.
	 */
	(void)dlopen("libgcc_s.so.1", RTLD_NOW | RTLD_NODELETE);
	/* Headroom on top of TA_STACK_SIZE for the Internal Core API code using that stack. */
	stack = (size_t)g_host.stack_size + 256u * 1024u;
	pthread_attr_init(&attr);
	if (pthread_attr_setstacksize(&attr, stack) ||
	    pthread_create(&th, &attr, ta_thread, NULL)) {
		reply(in.hdr.cmd, in.hdr.seq, TEE_ERROR_OUT_OF_MEMORY, TEE_ORIGIN_TEE, NULL, 0);
		return HOST_EXIT_PROTOCOL;
	}
	pthread_attr_destroy(&attr);
#ifdef HOST_SANITIZER
	pthread_mutex_lock(&g_host.lock);
	while (g_host.lockdown_rc > 0) {
		pthread_cond_wait(&g_host.cond, &g_host.lock);
	}
	rc = g_host.lockdown_rc;
	pthread_mutex_unlock(&g_host.lock);
#else
	rc = sandbox_lockdown(g_host.data_size);
#endif
	if (rc) {
		reply(in.hdr.cmd, in.hdr.seq, TEE_ERROR_NOT_SUPPORTED, TEE_ORIGIN_TEE, NULL, 0);
		return HOST_EXIT_PROTOCOL;
	}
	start_job(&in, &job_slot); /* TA_CreateEntryPoint */
	for (;;) {
		rc = tzm__msg_recv(g_host.chan, &in);
		if (rc == -EBADMSG) {
			continue;
		}
		if (rc) {
			break; /* core closed the channel: the instance ends */
		}
		if (in.hdr.cmd & TEE_MSG_F_REPLY) {
			host_rpc_deliver(&in);
		} else {
			switch (in.hdr.cmd) {
			case TEE_MSG_HOST_OPEN:
			case TEE_MSG_HOST_INVOKE:
			case TEE_MSG_HOST_CLOSE:
				start_job(&in, &job_slot);
				break;
			case TEE_MSG_HOST_SHM_MAP:
				handle_shm_map(&in);
				break;
			case TEE_MSG_HOST_SHM_UNMAP:
				handle_shm_unmap(&in);
				break;
			default:
				break;
			}
		}
		tzm__msg_close_fds(&in);
	}
	/* Let a running entry point finish its core call with an error, then destroy. */
	host_rpc_fail();
	if (join_bounded(th, HOST_ORPHAN_GRACE_MS) != 0) {
		_exit(HOST_EXIT_PROTOCOL); /* an entry point outlived its core */
	}
	return 0;
}
