/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tzmediator TA dev kit: the TEE's configuration for C, at the place OP-TEE's TA dev kit
 * has it (host_include/conf.h; OP-TEE's regression suite compiles with -include conf.h).
 * The same facts as conf.mk beside it: a CFG_ defined to 1 is provided; one not defined
 * (sockets, secure data path, PKCS#11, RPMB object storage, ...) is not.
 */
#ifndef TZM_KIT_CONF_H
#define TZM_KIT_CONF_H

#define CFG_REE_FS 1
#define CFG_CACHE_API 1
#define CFG_TA_FLOAT_SUPPORT 1

#endif
