/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Supplicant plugins on the client side. A TA's tee_invoke_supp_plugin() reaches the core,
 * which relays it to the client whose open/invoke is running in that TA
 * (TEE_MSG_PLUGIN_CALL, tee_msg.h); libteec loads <uuid>.plugin — from $TZM_PLUGIN_DIR,
 * then tee-supplicant/plugins beside libteec, then the configured install directory — and
 * runs its plugin_method. Plugins are normal-world code: they run here, in the process
 * that asked for the TA's service, never in the core or in a TA host.
 *
 * The request is untrusted (a TA's bytes, relayed by the core): its sizes are checked
 * against the datagram before use, and the plugin's output length against the buffer.
 */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tee_plugin_method.h>

#include "teec_priv.h"
#include "uuid.h"

#define MAX_PLUGINS 32

struct loaded_plugin {
	uint8_t uuid[16];
	struct plugin_method *method;
};

static pthread_mutex_t g_plugins_lock = PTHREAD_MUTEX_INITIALIZER;
static struct loaded_plugin g_plugins[MAX_PLUGINS];
static size_t g_nplugins;

static void uuid_bytes(const TEEC_UUID *u, uint8_t out[16])
{
	struct tzm__uuid t;

	t.time_low = u->timeLow;
	t.time_mid = u->timeMid;
	t.time_hi = u->timeHiAndVersion;
	memcpy(t.clock_seq_node, u->clockSeqAndNode, 8);
	tzm__uuid_to_bytes(&t, out);
}

/* dlopen()s <dir>/<uuid>.plugin from the first directory that has it. */
static void *open_plugin(const char *name, char *path, size_t cap)
{
	char libdir[PATH_MAX] = "", rel[PATH_MAX + 64] = "";
	const char *env = getenv("TZM_PLUGIN_DIR");
	const char *dirs[3];
	size_t ndirs = 0;
	Dl_info info;

	if (env && *env) {
		dirs[ndirs++] = env;
	}
	if (dladdr((void *)&open_plugin, &info) && info.dli_fname &&
	    realpath(info.dli_fname, libdir)) {
		char *slash = strrchr(libdir, '/');

		if (slash) {
			*slash = '\0';
			snprintf(rel, sizeof(rel), "%s/tee-supplicant/plugins", libdir);
			dirs[ndirs++] = rel;
		}
	}
	dirs[ndirs++] = TZM_INSTALL_PLUGIN_DIR;
	for (size_t i = 0; i < ndirs; i++) {
		void *h;

		snprintf(path, cap, "%s/%s.plugin", dirs[i], name);
		h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
		if (h) {
			return h;
		}
		if (access(path, F_OK) == 0) {
			fprintf(stderr, "libteec: plugin %s: %s\n", path, dlerror());
			return NULL;
		}
	}
	fprintf(stderr,
		"libteec: a TA called plugin %s: no %s.plugin in $TZM_PLUGIN_DIR, %s or %s: "
		"TEEC_ERROR_ITEM_NOT_FOUND\n",
		name, name, rel[0] ? rel : "(beside libteec)", TZM_INSTALL_PLUGIN_DIR);
	return NULL;
}

/* The plugin for uuid, loaded and initialised once per process. */
static TEEC_Result find_plugin(const uint8_t uuid[16], struct plugin_method **out)
{
	char name[TZM_UUID_STR_LEN + 1], path[PATH_MAX + 128];
	struct plugin_method *pm;
	uint8_t declared[16];
	TEEC_Result res = TEEC_ERROR_ITEM_NOT_FOUND;
	void *h;

	pthread_mutex_lock(&g_plugins_lock);
	for (size_t i = 0; i < g_nplugins; i++) {
		if (memcmp(g_plugins[i].uuid, uuid, 16) == 0) {
			*out = g_plugins[i].method;
			pthread_mutex_unlock(&g_plugins_lock);
			return TEEC_SUCCESS;
		}
	}
	tzm__uuid_bytes_to_str(uuid, name);
	h = open_plugin(name, path, sizeof(path));
	if (!h) {
		goto out;
	}
	pm = dlsym(h, "plugin_method");
	if (!pm || !pm->invoke) {
		fprintf(stderr, "libteec: plugin %s has no plugin_method with an invoke function\n",
			path);
		goto fail;
	}
	uuid_bytes(&pm->uuid, declared);
	if (memcmp(declared, uuid, 16) != 0) {
		fprintf(stderr, "libteec: plugin %s declares another UUID than its file name\n",
			path);
		goto fail;
	}
	if (g_nplugins == MAX_PLUGINS) {
		fprintf(stderr, "libteec: more than %d plugins in one process\n", MAX_PLUGINS);
		res = TEEC_ERROR_OUT_OF_MEMORY;
		goto fail;
	}
	if (pm->init) {
		res = pm->init();
		if (res != TEEC_SUCCESS) {
			fprintf(stderr, "libteec: plugin %s: init failed (0x%08x)\n", path, res);
			goto fail;
		}
	}
	memcpy(g_plugins[g_nplugins].uuid, uuid, 16);
	g_plugins[g_nplugins].method = pm;
	g_nplugins++;
	*out = pm;
	res = TEEC_SUCCESS;
	goto out;
fail:
	dlclose(h);
out:
	pthread_mutex_unlock(&g_plugins_lock);
	return res;
}

int tzm__teec_plugin_call(struct tzm__teec_ctx *c, const struct tzm__msg *m)
{
	struct tee_msg_plugin_req req;
	struct tee_msg_plugin_rsp rsp;
	struct plugin_method *pm = NULL;
	uint8_t *data = NULL;
	size_t out_len = 0;
	TEEC_Result res;
	int rc;

	memset(&rsp, 0, sizeof(rsp));
	if (m->hdr.len < sizeof(req)) {
		res = TEEC_ERROR_BAD_PARAMETERS;
		goto reply;
	}
	memcpy(&req, m->body, sizeof(req));
	if (req.len > TEE_MSG_PLUGIN_MAX_DATA || m->hdr.len - sizeof(req) != req.len) {
		res = TEEC_ERROR_BAD_PARAMETERS;
		goto reply;
	}
	res = find_plugin(req.uuid, &pm);
	if (res != TEEC_SUCCESS) {
		goto reply;
	}
	data = malloc(req.len ? req.len : 1);
	if (!data) {
		res = TEEC_ERROR_OUT_OF_MEMORY;
		goto reply;
	}
	memcpy(data, m->body + sizeof(req), req.len);
	res = pm->invoke(req.cmd, req.sub_cmd, data, req.len, &out_len);
	if (out_len > req.len) {
		fprintf(stderr,
			"libteec: plugin %s: output of %zu bytes for a buffer of %u: "
			"TEEC_ERROR_SHORT_BUFFER\n",
			pm->name ? pm->name : "(unnamed)", out_len, req.len);
		res = TEEC_ERROR_SHORT_BUFFER;
		out_len = 0;
	}
	rsp.out_len = (uint32_t)out_len;
reply:
	rc = tzm__msg_send(c->sock, TEE_MSG_PLUGIN_CALL | TEE_MSG_F_REPLY, m->hdr.seq, res,
			   TEEC_ORIGIN_COMMS, &rsp, sizeof(rsp), data, rsp.out_len, NULL, 0);
	free(data);
	return rc;
}
