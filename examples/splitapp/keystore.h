/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Where the signer keeps its HMAC key. As a TA (TZM_POSIX_TA): a GP persistent object in
 * TEE_STORAGE_PRIVATE, created from TEE_GenerateRandom on first use, so the key only
 * exists inside the secure world and, encrypted, in the TEE's secure storage. In a realm
 * (TZM_POSIX_REALM), which has no sealing key, it is released by an attesting
 * key-release party (keyrelease.h) at every start. The native
 * and local-transport builds (developer runs of the same source) instead keep it in a
 * plain file named on the command line, and say so loudly: they have no secure world.
 */
#ifndef SPLITAPP_KEYSTORE_H
#define SPLITAPP_KEYSTORE_H

#include <stdint.h>

#define SPLITAPP_KEY_SIZE 32

/*
 * Loads the key, generating and storing it first if none exists yet (*created = 1 then).
 * where: the file used by native builds; in the realm build (TZM_POSIX_REALM) the UNIX
 * socket of the key-release party (keyrelease.h), which releases the key only to a realm
 * it attested (never *created); must be NULL in the TA.
 * Returns 0 or -errno (-EINVAL when where is wrongly given or missing, -EACCES when the
 * key-release party refused this realm).
 */
int keystore_load(uint8_t key[SPLITAPP_KEY_SIZE], const char *where, int *created);

#endif
