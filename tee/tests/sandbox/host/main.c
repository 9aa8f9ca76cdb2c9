/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tee_sandbox: proves TA isolation. A TA that calls open("/etc/passwd"), socket(AF_INET)
 * and execve("/bin/sh") directly must see each call fail with EPERM or be killed
 * (TEEC_ERROR_TARGET_DEAD, origin TEE); the same calls succeed in this (unsandboxed) host
 * process, so the refusal is the sandbox's doing; and the TEE keeps serving afterwards.
 * Skipped (exit 77) when TZM_INSECURE_NO_SANDBOX=1: under qemu-user no seccomp filter can
 * be installed, so there is no sandbox to prove.
 */
#include <errno.h>
#include <fcntl.h>
#include <sandbox_ta.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <tzm_test.h>

static void try_escape(TEEC_Context *ctx, uint32_t cmd, const char *what)
{
    TEEC_Session s;
    TEEC_Operation op;
    uint32_t origin = 0;
    TEEC_Result res;

    tt_open_session(ctx, &s, TA_SANDBOX_UUID_STR);
    memset(&op, 0, sizeof(op));
    op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
    res = TEEC_InvokeCommand(&s, TA_SANDBOX_CMD_PING, &op, &origin);
    TT_EXPECT(res, origin, TEEC_SUCCESS, TT_ANY_ORIGIN, "the sandboxed TA runs (CMD_PING)");
    TT_CHECK(op.params[0].value.a == 0x600d, "CMD_PING answered 0x%x", op.params[0].value.a);

    memset(&op, 0, sizeof(op));
    op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
    res = TEEC_InvokeCommand(&s, cmd, &op, &origin);
    if (res == TEEC_ERROR_TARGET_DEAD) {
        TT_CHECK(origin == TEEC_ORIGIN_TEE,
                 "%s inside the TA: the instance was killed (TARGET_DEAD, origin %s)", what,
                 tt_origin_name(origin));
    } else {
        TT_EXPECT(res, origin, TEEC_SUCCESS, TT_ANY_ORIGIN, what);
        TT_CHECK((int32_t)op.params[0].value.a == -1 && op.params[0].value.b == EPERM,
                 "%s inside the TA was refused: returned %d, errno %u (%s; want -1, EPERM)", what,
                 (int32_t)op.params[0].value.a, op.params[0].value.b,
                 strerror((int)op.params[0].value.b));
    }
    TEEC_CloseSession(&s);
}

int main(void)
{
    const char *insecure = getenv("TZM_INSECURE_NO_SANDBOX");
    TEEC_Context ctx;
    TEEC_Session s;
    TEEC_Operation op;
    uint32_t origin = 0;
    TEEC_Result res;
    int fd = -1;

    if (insecure && strcmp(insecure, "1") == 0) {
        printf("tee_sandbox: SKIPPED: TZM_INSECURE_NO_SANDBOX=1 (qemu-user cannot install "
               "seccomp filters, so TAs run without a sandbox and there is nothing to "
               "prove)\n");
        return TT_SKIP;
    }

    tt_section("control: the same calls work outside the sandbox");
    fd = open("/etc/passwd", O_RDONLY);
    TT_CHECK(fd >= 0, "open(\"/etc/passwd\") succeeds in the host process");
    close(fd);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    TT_CHECK(fd >= 0, "socket(AF_INET) succeeds in the host process");
    close(fd);

    tt_init_context(&ctx);
    tt_section("open(\"/etc/passwd\", O_RDONLY) from a TA");
    try_escape(&ctx, TA_SANDBOX_CMD_OPEN, "open(\"/etc/passwd\")");
    tt_section("socket(AF_INET, SOCK_STREAM) from a TA");
    try_escape(&ctx, TA_SANDBOX_CMD_SOCKET, "socket(AF_INET)");
    tt_section("execve(\"/bin/sh\") from a TA");
    try_escape(&ctx, TA_SANDBOX_CMD_EXEC, "execve(\"/bin/sh\")");

    tt_section("the TEE keeps serving");
    tt_open_session(&ctx, &s, TA_SANDBOX_UUID_STR);
    memset(&op, 0, sizeof(op));
    op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
    res = TEEC_InvokeCommand(&s, TA_SANDBOX_CMD_PING, &op, &origin);
    TT_EXPECT(res, origin, TEEC_SUCCESS, TT_ANY_ORIGIN, "fresh session, CMD_PING");
    TEEC_CloseSession(&s);
    TEEC_FinalizeContext(&ctx);
    printf("tee_sandbox: all checks passed\n");
    return 0;
}
