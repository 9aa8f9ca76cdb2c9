/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Emulated RPMB (storage_rpmb.c): per TA, the generation and SHA-256 of its committed
 * directory file, in one authenticated file whose write counter only grows. Callers hold
 * the storage lock. Functions return 0 or -errno; -EBADMSG: forged or rolled back.
 */
#ifndef TZM_STORAGE_RPMB_H
#define TZM_STORAGE_RPMB_H

#include <stdbool.h>
#include <stdint.h>

#include "storage_file.h"

/* Opens <state_fd>/rpmb.img (create: makes an empty one if absent; else -ENOENT). */
int storage__rpmb_open(struct sf_rpmb *r, int state_fd, const uint8_t key[SF_KEY_LEN], bool create);
void storage__rpmb_close(struct sf_rpmb *r);
/* The TA's record; -ENOENT if the TA never committed anything. */
int storage__rpmb_read(struct sf_rpmb *r, const uint8_t uuid[SF_UUID_LEN], uint64_t *gen,
		       uint8_t hash[SF_HASH_LEN]);
/* Sets the TA's record (the commit point of a storage update). */
int storage__rpmb_write(struct sf_rpmb *r, const uint8_t uuid[SF_UUID_LEN], uint64_t gen,
			const uint8_t hash[SF_HASH_LEN]);

#endif
