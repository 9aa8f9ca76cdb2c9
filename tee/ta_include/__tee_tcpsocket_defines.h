/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * GP TEE Sockets API 1.0: the TCP protocol's identifier and warning.
 * tzmediator does not implement the GP TEE Sockets API (CFG_GP_SOCKETS is n in the kit's
 * conf.h); the values are here, as in OP-TEE's kit, so that sources naming them compile.
 */
#ifndef TZM_TEE_TCPSOCKET_DEFINES_H
#define TZM_TEE_TCPSOCKET_DEFINES_H

#define TEE_ISOCKET_PROTOCOLID_TCP 0x65
#define TEE_ISOCKET_TCP_WARNING_UNKNOWN_OUT_OF_BAND 0xF1010002

#endif
