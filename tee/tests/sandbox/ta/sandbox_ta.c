/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Sandbox-proof TA: a hostile TA that calls open(), socket() and execve() itself. In a
 * locked-down instance each call must be refused (EPERM) or kill the instance; the host
 * side (tee_sandbox) asserts that and that nothing leaked out. It also reports what a TA
 * can see of its process (pid, open descriptors) and how far libc malloc() gets, so the
 * host can check "not dumpable", "no inherited descriptors" and the heap bound.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* gettid() */
#endif
#include <errno.h>
#include <fcntl.h>
#include <sandbox_ta.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
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

/* fcntl and fstat are allowed in the sandbox: probe every descriptor number. */
static TEE_Result list_fds(TEE_Param *p)
{
    struct sandbox_fd *out = p->memref.buffer;
    size_t cap = p->memref.size / sizeof(*out), n = 0;

    for (int fd = 0; fd < TA_SANDBOX_MAX_FD; fd++) {
        struct stat st;

        if (fcntl(fd, F_GETFD) < 0) {
            continue;
        }
        if (n < cap) {
            out[n].fd = (uint32_t)fd;
            out[n].mode = fstat(fd, &st) == 0 ? (uint32_t)st.st_mode : 0;
            out[n].nlink = (uint32_t)st.st_nlink;
            out[n].rdev = (uint32_t)st.st_rdev;
        }
        n++;
    }
    p->memref.size = n * sizeof(*out);
    return n <= cap ? TEE_SUCCESS : TEE_ERROR_SHORT_BUFFER;
}

/* libc malloc() is not TEE_Malloc: it must still hit the instance's data limit. Blocks
 * are chained through their first word and all freed before returning. */
static void malloc_until_failure(TEE_Param *p)
{
    const size_t blk = 256 * 1024;
    void **head = NULL;
    uint32_t kib = 0;

    for (;;) {
        void **b = malloc(blk);

        if (!b) {
            break;
        }
        *b = head;
        head = b;
        kib += (uint32_t)(blk / 1024);
        if (kib >= 1024u * 1024u) {
            break; /* 1 GiB: no bound worth the name */
        }
    }
    p->value.a = kib;
    p->value.b = kib >= 1024u * 1024u;
    while (head) {
        void **next = *head;
        free(head);
        head = next;
    }
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd_id, uint32_t param_types,
                                      TEE_Param params[TEE_NUM_PARAMS])
{
    char *const argv[] = {(char *)"sh", (char *)"-c", (char *)"true", NULL};
    char *const envp[] = {NULL};
    int ret = -1;

    (void)sess_ctx;
    if (cmd_id == TA_SANDBOX_CMD_FDS) {
        if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_OUTPUT, TEE_PARAM_TYPE_NONE,
                                           TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)) {
            return TEE_ERROR_BAD_PARAMETERS;
        }
        return list_fds(&params[0]);
    }
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
    case TA_SANDBOX_CMD_PID:
        report(&params[0], (int)getpid(), (int)gettid());
        return TEE_SUCCESS;
    case TA_SANDBOX_CMD_DUMPABLE:
        ret = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
        report(&params[0], ret, errno);
        return TEE_SUCCESS;
    case TA_SANDBOX_CMD_MALLOC:
        malloc_until_failure(&params[0]);
        return TEE_SUCCESS;
    default:
        return TEE_ERROR_NOT_SUPPORTED;
    }
}
