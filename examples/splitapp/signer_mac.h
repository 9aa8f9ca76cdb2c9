/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The signer's HMAC-SHA256: the GP MAC API (TEE_ALG_HMAC_SHA256, key in a transient key
 * object) in the TA build; the splitapp's own hmac_sha256.c in native developer builds.
 */
#ifndef SPLITAPP_SIGNER_MAC_H
#define SPLITAPP_SIGNER_MAC_H

#include <stddef.h>
#include <stdint.h>

#include "splitapp_proto.h"

/* Takes the key (copied into the key object; the caller may wipe its copy). 0 or -errno. */
int signer_mac_init(const uint8_t *key, size_t key_len);
/* mac = HMAC-SHA256(key, msg). 0 or -errno. */
int signer_mac(const void *msg, size_t len, uint8_t mac[SPLITAPP_MAC_SIZE]);
/* 1 if mac is HMAC-SHA256(key, msg) (constant-time compare), 0 if not, -errno on error. */
int signer_mac_verify(const void *msg, size_t len, const uint8_t mac[SPLITAPP_MAC_SIZE]);
/* Frees the key object / wipes the key. */
void signer_mac_end(void);

#endif
