/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Supplicant plugins, as OP-TEE's tee-supplicant loads them: a normal-world shared object
 * <uuid>.plugin in $PREFIX/lib/tee-supplicant/plugins/ exporting `plugin_method`. A TA
 * reaches it with tee_invoke_supp_plugin(); in tzmediator the client whose call is running
 * in that TA (libteec) loads and runs it — never the TEE core or a TA host.
 */
#ifndef TEE_PLUGIN_METHOD_H
#define TEE_PLUGIN_METHOD_H

#include <stddef.h>
#include <tee_client_api.h>

struct plugin_method {
	const char *name; /* for messages */
	TEEC_UUID uuid;   /* must be the UUID the file is named after */
	/* Called once, before the first invoke; may be NULL. */
	TEEC_Result (*init)(void);
	/* data: the TA's buffer of in_len bytes, in and out; *out_len: bytes of output
	 * (at most in_len). */
	TEEC_Result (*invoke)(unsigned int cmd, unsigned int sub_cmd, void *data, size_t in_len,
			      size_t *out_len);
};

#endif
