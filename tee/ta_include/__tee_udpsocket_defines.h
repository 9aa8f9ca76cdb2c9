/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * GP TEE Sockets API 1.0: the UDP protocol's identifier, warning and ioctl commands.
 * tzmediator does not implement the GP TEE Sockets API (CFG_GP_SOCKETS is n in the kit's
 * conf.h); the values are here, as in OP-TEE's kit, so that sources naming them compile.
 */
#ifndef TZM_TEE_UDPSOCKET_DEFINES_H
#define TZM_TEE_UDPSOCKET_DEFINES_H

#define TEE_ISOCKET_PROTOCOLID_UDP 0x66
#define TEE_ISOCKET_UDP_WARNING_UNKNOWN_OUT_OF_BAND 0xF1020002
#define TEE_UDP_CHANGEADDR 0x66000001
#define TEE_UDP_CHANGEPORT 0x66000002

#endif
