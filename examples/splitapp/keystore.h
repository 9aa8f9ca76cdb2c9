/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Where the signer keeps its HMAC key. As a TA (TZM_POSIX_TA): a GP persistent object in
 * TEE_STORAGE_PRIVATE, created from TEE_GenerateRandom on first use, so the key only
 * exists inside the secure world and, encrypted, in the TEE's secure storage. The native
 * and local-transport builds (developer runs of the same source) instead keep it in a
 * plain file named on the command line, and say so loudly: they have no secure world.
 */
#ifndef SPLITAPP_KEYSTORE_H
#define SPLITAPP_KEYSTORE_H

#include <stdint.h>

#define SPLITAPP_KEY_SIZE 32

/*
 * Loads the key, generating and storing it first if none exists yet (*created = 1 then).
 * dev_file: the file used by non-TA builds (ignored, and must be NULL, in the TA).
 * Returns 0 or -errno (-EINVAL when dev_file is wrongly given or missing).
 */
int keystore_load(uint8_t key[SPLITAPP_KEY_SIZE], const char *dev_file, int *created);

#endif
