/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tee_plugin's supplicant plugin, OP-TEE's plugin interface (tee_plugin_method.h): built
 * as <uuid>.plugin and loaded by libteec in the client process.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <tee_plugin_method.h>
#include <unistd.h>

#include <plugin_test_ta.h>

static unsigned g_inits;

static TEEC_Result test_init(void)
{
	g_inits++;
	return TEEC_SUCCESS;
}

/* Writes "<label>=<value>" into data (in_len bytes). */
static TEEC_Result write_text(char *data, size_t in_len, size_t *out_len, const char *label,
			      unsigned long value)
{
	int n = snprintf(data, in_len, "%s=%lu", label, value);

	if (n < 0 || (size_t)n >= in_len) {
		return TEEC_ERROR_SHORT_BUFFER;
	}
	*out_len = (size_t)n;
	return TEEC_SUCCESS;
}

static TEEC_Result test_invoke(unsigned int cmd, unsigned int sub_cmd, void *data, size_t in_len,
			       size_t *out_len)
{
	char *p = data;

	if (sub_cmd != TEST_PLUGIN_SUB_CMD) {
		return TEEC_ERROR_BAD_PARAMETERS;
	}
	switch (cmd) {
	case TEST_PLUGIN_UPPER:
		for (size_t i = 0; i < in_len; i++) {
			p[i] = (char)toupper((unsigned char)p[i]);
		}
		*out_len = in_len;
		return TEEC_SUCCESS;
	case TEST_PLUGIN_PID:
		return write_text(p, in_len, out_len, "pid", (unsigned long)getpid());
	case TEST_PLUGIN_ERROR:
		return TEST_PLUGIN_ERROR_CODE;
	case TEST_PLUGIN_OVERRUN:
		*out_len = in_len + 1;
		return TEEC_SUCCESS;
	case TEST_PLUGIN_INITS:
		return write_text(p, in_len, out_len, "init", g_inits);
	default:
		return TEEC_ERROR_NOT_SUPPORTED;
	}
}

struct plugin_method plugin_method = {
	"tzm-test",
	TEST_PLUGIN_UUID,
	test_init,
	test_invoke,
};
