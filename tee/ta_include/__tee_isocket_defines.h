/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * GP TEE Sockets API 1.0: the generic socket interface's version and error codes.
 * tzmediator does not implement the GP TEE Sockets API (CFG_GP_SOCKETS is n in the kit's
 * conf.h); the values are here, as in OP-TEE's kit, so that sources naming them compile.
 */
#ifndef TZM_TEE_ISOCKET_DEFINES_H
#define TZM_TEE_ISOCKET_DEFINES_H

#define TEE_ISOCKET_VERSION 0x01000000
#define TEE_ISOCKET_ERROR_PROTOCOL 0xF1007001
#define TEE_ISOCKET_ERROR_REMOTE_CLOSED 0xF1007002
#define TEE_ISOCKET_ERROR_TIMEOUT 0xF1007003
#define TEE_ISOCKET_ERROR_OUT_OF_RESOURCES 0xF1007004
#define TEE_ISOCKET_ERROR_LARGE_BUFFER 0xF1007005
#define TEE_ISOCKET_WARNING_PROTOCOL 0xF1007006
#define TEE_ISOCKET_ERROR_HOSTNAME 0xF1007007

#endif
