/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Sandbox-proof TA: calls the C library directly, bypassing the Internal Core API.
 * CMD_PING:   p0 VALUE_OUTPUT a = 0x600d (the TA runs at all).
 * CMD_OPEN:   open("/etc/passwd", O_RDONLY); p0 VALUE_OUTPUT a = return value, b = errno.
 * CMD_SOCKET: socket(AF_INET, SOCK_STREAM, 0); same reporting.
 * CMD_EXEC:   execve("/bin/sh", ...); same reporting (only reached if execve returns).
 * A refused call answers with a = (uint32_t)-1 and b = errno; a killed instance answers
 * with TEEC_ERROR_TARGET_DEAD.
 * CMD_PID:    p0 VALUE_OUTPUT a = getpid() of the instance, b = gettid() of the TA
 *             thread (the host probes /proc/<pid>).
 * CMD_FDS:    p0 MEMREF_TEMP_OUTPUT: one struct sandbox_fd per open descriptor (probed
 *             with fcntl/fstat for 0..TA_SANDBOX_MAX_FD-1), size written back.
 * CMD_MALLOC: p0 VALUE_OUTPUT a = KiB that libc malloc() gave in 256 KiB blocks before
 *             failing (all freed again), b = 1 if it never failed up to 1 GiB.
 * CMD_DUMPABLE: p0 VALUE_OUTPUT a = prctl(PR_GET_DUMPABLE), b = errno.
 */
#ifndef SANDBOX_TA_H
#define SANDBOX_TA_H

#define TA_SANDBOX_UUID_STR "6de5375c-e118-49cf-bee5-29d667c3545f"
#define TA_SANDBOX_UUID                                                                            \
    {                                                                                              \
        0x6de5375c, 0xe118, 0x49cf,                                                                \
        {                                                                                          \
            0xbe, 0xe5, 0x29, 0xd6, 0x67, 0xc3, 0x54, 0x5f                                         \
        }                                                                                          \
    }

#define TA_SANDBOX_CMD_PING 0
#define TA_SANDBOX_CMD_OPEN 1
#define TA_SANDBOX_CMD_SOCKET 2
#define TA_SANDBOX_CMD_EXEC 3
#define TA_SANDBOX_CMD_PID 4
#define TA_SANDBOX_CMD_FDS 5
#define TA_SANDBOX_CMD_MALLOC 6
#define TA_SANDBOX_CMD_DUMPABLE 7

#define TA_SANDBOX_MAX_FD 1024
#define TA_SANDBOX_DATA_SIZE (32 * 1024)

#include <stdint.h>

struct sandbox_fd {
    uint32_t fd;
    uint32_t mode;  /* st_mode */
    uint32_t nlink; /* st_nlink (memfds: 0) */
    uint32_t rdev;  /* st_rdev (character devices) */
};

#endif
