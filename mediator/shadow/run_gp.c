/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * GP TEE transport, normal-world side: the channel is GP shared memory
 * (TEEC_AllocateSharedMemory: a zero-copy memfd in the emulated TEE) passed as a MEMREF
 * to a long-running TEEC_InvokeCommand(TZM_TA_CMD_RUN_MAIN), which runs the TA's main.
 * Ctrl-C/SIGTERM become TEEC_RequestCancellation on that operation.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tee_client_api.h>

#include "run.h"
#include "uuid.h"
#ifdef TZM_RUN_OPTEE
#include "run_watchdog.h"
#endif

struct gp_state {
	TEEC_Context ctx;
	TEEC_Session sess;
	TEEC_SharedMemory shm;
	TEEC_Operation op;
};

/* A TEEC_UUID has struct tzm__uuid's layout (tee/common/uuid.h). */
static int parse_uuid(const char *s, TEEC_UUID *u)
{
	return tzm__uuid_from_str(s, (struct tzm__uuid *)u) == 0 ? 0 : -EINVAL;
}

/* "<dir>/<uuid>.ta": point the TEE at dir, return the uuid part. */
static int target_uuid(const char *target, TEEC_UUID *u)
{
	size_t n = strlen(target);
	char path[PATH_MAX], name[64];
	char *dir = NULL, *base = NULL;

	if (n < 3 || strcmp(target + n - 3, ".ta") != 0) {
		return parse_uuid(target, u);
	}
	if (!realpath(target, path)) {
		fprintf(stderr, "tzm-run: %s: %s\n", target, strerror(errno));
		return -ENOENT;
	}
	base = strrchr(path, '/') + 1;
	if (strlen(base) != 39) {
		fprintf(stderr, "tzm-run: %s: a TA file must be named <uuid>.ta\n", target);
		return -EINVAL;
	}
	memcpy(name, base, 36);
	name[36] = '\0';
	if (parse_uuid(name, u) != 0) {
		fprintf(stderr, "tzm-run: %s: a TA file must be named <uuid>.ta\n", target);
		return -EINVAL;
	}
	base[-1] = '\0';
	dir = path[0] ? path : "/";
	setenv("TZM_TA_DIR", dir, 1);
	return 0;
}

static void gp_cancel(struct tzm_run *r)
{
	struct gp_state *g = r->gp;

	TEEC_RequestCancellation(&g->op);
}

int tzm__run_gp(struct tzm_run *r)
{
	static struct gp_state g;
	TEEC_UUID uuid;
	TEEC_Result res = 0;
	uint32_t origin = 0;
	int rc = 70, dead_of = 0;
#ifdef TZM_RUN_OPTEE
	int held_sig = 0;
#endif

	if (target_uuid(r->target, &uuid) != 0) {
		if (!strstr(r->target, ".ta")) {
			fprintf(stderr,
				"tzm-run: %s: not a UUID or <uuid>.ta file (use --local for "
				"a native program)\n",
				r->target);
		}
		return 64;
	}
	res = TEEC_InitializeContext(NULL, &g.ctx);
	if (res != TEEC_SUCCESS) {
		fprintf(stderr, "tzm-run: cannot reach the TEE (0x%08x)\n", res);
		return 70;
	}
	g.shm.size = r->chan_size;
	g.shm.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
	res = TEEC_AllocateSharedMemory(&g.ctx, &g.shm);
	if (res != TEEC_SUCCESS) {
		fprintf(stderr, "tzm-run: cannot allocate shared memory (0x%08x)\n", res);
		goto out_ctx;
	}
	tzm__run_test_stop("open");
#ifdef TZM_RUN_OPTEE
	tzm__sig_hold_begin(r);
#endif
	res = TEEC_OpenSession(&g.ctx, &g.sess, &uuid, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
#ifdef TZM_RUN_OPTEE
	held_sig = tzm__sig_hold_end(r);
	if (held_sig != 0) {
		/* a signal came during the open (run.h): close what we opened, die of it */
		if (res == TEEC_SUCCESS) {
			TEEC_CloseSession(&g.sess);
		}
		TEEC_ReleaseSharedMemory(&g.shm);
		TEEC_FinalizeContext(&g.ctx);
		tzm__sig_reraise(held_sig);
	}
#endif
	if (res != TEEC_SUCCESS) {
#ifndef TZM_RUN_OPTEE
		if (res == TEEC_ERROR_ITEM_NOT_FOUND && origin != TEEC_ORIGIN_TRUSTED_APP) {
			/* a stranger's first run with a bare UUID: say where it was looked for */
			const char *dir = getenv("TZM_TA_DIR");

			fprintf(stderr,
				"tzm-run: cannot open the TA %s: no such TA (0x%08x): looked for "
				"<uuid>.ta in $TZM_TA_DIR (%s) and this installation's TA "
				"directory (tee.log in the TEE's runtime directory lists the "
				"files); give the path of the .ta file or set TZM_TA_DIR\n",
				r->target, res, dir && *dir ? dir : "unset");
			goto out_shm;
		}
#endif
		fprintf(stderr, "tzm-run: cannot open the TA %s (0x%08x, origin %u)\n", r->target,
			res, origin);
		goto out_shm;
	}
	tzm__run_test_stop("opened");
	r->mem = g.shm.buffer;
	r->gp = &g;
	r->cancel_fn = gp_cancel;
	memset(&g.op, 0, sizeof(g.op));
	g.op.paramTypes =
		TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE);
	g.op.params[0].memref.parent = &g.shm;
#ifdef TZM_RUN_OPTEE
	/* real OP-TEE: a killed tzm-run could not leave the invoke (run_watchdog.c) */
	if (tzm__watchdog_start(g.ctx.imp.fd, g.sess.imp.session_id) != 0) {
		fprintf(stderr, "tzm-run: cannot start the watchdog process\n");
		goto out_sess;
	}
#endif
	if (tzm__run_begin(r) != 0) {
		goto out_sess;
	}
	tzm__run_test_stop("invoke");
	res = TEEC_InvokeCommand(&g.sess, TZM_TA_CMD_RUN_MAIN, &g.op, &origin);
#ifdef TZM_RUN_OPTEE
	tzm__watchdog_done();
#endif
	tzm__run_end(r);
	dead_of = r->stp.ops->exit_signal(&r->stp);
	if (res == TEEC_SUCCESS && (g.op.params[1].value.b & TZM_RUN_F_SIGNALED)) {
		uint32_t sig = g.op.params[1].value.a;

		if (tzm__sig_deadly(sig)) {
			r->term_sig = (int)sig;
			rc = 128 + (int)sig;
		} else {
			fprintf(stderr,
				"tzm-run: the TA reported an impossible death (signal %u)\n", sig);
			rc = 70;
		}
	} else if (res == TEEC_SUCCESS) {
		rc = (int)(g.op.params[1].value.a & 0xff);
		if (r->cancel_sig && rc == 0) {
			rc = 128 + r->cancel_sig;
		}
	} else if (res == TEEC_ERROR_TARGET_DEAD && tzm__sig_deadly((uint32_t)dead_of)) {
		/* a thread other than main's called abort(): the TA ended itself at once */
		r->term_sig = dead_of;
		rc = 128 + dead_of;
	} else if (res == TEEC_ERROR_TARGET_DEAD) {
		fprintf(stderr, "tzm-run: the TA panicked; everything it held has been closed\n");
		rc = 134;
	} else if (res == TEEC_ERROR_CANCEL && r->cancel_sig) {
		rc = 128 + r->cancel_sig;
	} else {
		fprintf(stderr, "tzm-run: running the TA failed (0x%08x, origin %u)\n", res,
			origin);
		rc = 70;
	}
	rc = tzm__run_status(r, rc);
out_sess:
	TEEC_CloseSession(&g.sess);
out_shm:
	TEEC_ReleaseSharedMemory(&g.shm);
out_ctx:
	TEEC_FinalizeContext(&g.ctx);
	return rc;
}
