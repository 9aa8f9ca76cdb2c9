/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Sandbox-proof TA: a hostile TA that calls open(), socket() and execve() itself. In a
 * locked-down instance each call must be refused (EPERM) or kill the instance; the host
 * side (tee_sandbox) asserts that and that nothing leaked out.
 */
#include <errno.h>
#include <fcntl.h>
#include <sandbox_ta.h>
#include <sys/socket.h>
#include <tee_internal_api.h>
#include <unistd.h>

TEE_Result TA_CreateEntryPoint(void)
{
    return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t param_types, TEE_Param params[TEE_NUM_PARAMS],
                                    void **sess_ctx)
{
    (void)param_types;
    (void)params;
    (void)sess_ctx;
    return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess_ctx)
{
    (void)sess_ctx;
}

static void report(TEE_Param *p, int ret, int err)
{
    p->value.a = (uint32_t)ret;
    p->value.b = (uint32_t)err;
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd_id, uint32_t param_types,
                                      TEE_Param params[TEE_NUM_PARAMS])
{
    char *const argv[] = {(char *)"sh", (char *)"-c", (char *)"true", NULL};
    char *const envp[] = {NULL};
    int ret = -1;

    (void)sess_ctx;
    if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
                                       TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)) {
        return TEE_ERROR_BAD_PARAMETERS;
    }
    errno = 0;
    switch (cmd_id) {
    case TA_SANDBOX_CMD_PING:
        report(&params[0], 0x600d, 0);
        return TEE_SUCCESS;
    case TA_SANDBOX_CMD_OPEN:
        ret = open("/etc/passwd", O_RDONLY);
        report(&params[0], ret, errno);
        return TEE_SUCCESS;
    case TA_SANDBOX_CMD_SOCKET:
        ret = socket(AF_INET, SOCK_STREAM, 0);
        report(&params[0], ret, errno);
        return TEE_SUCCESS;
    case TA_SANDBOX_CMD_EXEC:
        ret = execve("/bin/sh", argv, envp);
        report(&params[0], ret, errno);
        return TEE_SUCCESS;
    default:
        return TEE_ERROR_NOT_SUPPORTED;
    }
}
