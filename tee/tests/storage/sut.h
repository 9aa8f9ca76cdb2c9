/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Helpers for the core-side storage unit tests: they drive core__storage_dispatch() the
 * way a TA host would (one request builder per command) with a fake TA identity. Checks
 * are tzm_test.h's (tests/support).
 */
#ifndef TZM_STORAGE_UNIT_TEST_H
#define TZM_STORAGE_UNIT_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <tzm_test.h>

#include "core_services.h"
#include "tee_storage_msg.h"

/* The storage service under test (created by the first sut_setup()). */
extern struct core_storage *g_sut;

/* Fresh state directory (under $TZM_TEST_TMPDIR or /tmp) with storage initialised. */
const char *sut_setup(void);
/* Re-initialises the storage as a restarted core would (drops no handles itself). */
void sut_restart(void);
/* Stops the storage as a core exiting would (closes files, forgets keys). */
void sut_stop(void);

struct core_ta_identity sut_ta(uint32_t uuid_tag, uint64_t instance_id);

/* Raw dispatch; resp_out (may be NULL) receives up to cap bytes. */
TEE_Result sut_call(const struct core_ta_identity *ta, uint32_t cmd, const void *req, size_t len,
		    void *resp_out, size_t cap, size_t *resp_len);

TEE_Result sut_open(const struct core_ta_identity *ta, const char *id, uint32_t flags,
		    uint32_t *handle);
TEE_Result sut_create(const struct core_ta_identity *ta, const char *id, uint32_t flags,
		      const void *data, size_t len, uint32_t *handle);
TEE_Result sut_close(const struct core_ta_identity *ta, uint32_t handle);
TEE_Result sut_read(const struct core_ta_identity *ta, uint32_t handle, void *buf, uint32_t size,
		    uint32_t *count);
TEE_Result sut_write(const struct core_ta_identity *ta, uint32_t handle, const void *data,
		     size_t len);
TEE_Result sut_stage(const struct core_ta_identity *ta, const void *data, size_t len);
TEE_Result sut_write_staged(const struct core_ta_identity *ta, uint32_t handle, const void *data,
			    size_t len);
TEE_Result sut_seek(const struct core_ta_identity *ta, uint32_t handle, int64_t off,
		    uint32_t whence, uint64_t *pos);
TEE_Result sut_truncate(const struct core_ta_identity *ta, uint32_t handle, uint64_t size);
TEE_Result sut_rename(const struct core_ta_identity *ta, uint32_t handle, const char *id);
TEE_Result sut_delete(const struct core_ta_identity *ta, uint32_t handle);
TEE_Result sut_info(const struct core_ta_identity *ta, uint32_t handle, struct tsm_obj_rsp *o);

/* Creates id (replacing an object of that id) holding the string data, and closes it. */
void sut_put(const struct core_ta_identity *ta, const char *id, const char *data);
/* Checks that id opens for reading and holds the string data, no more, no less. */
void sut_expect(const struct core_ta_identity *ta, const char *id, const char *data);

/* Path of the file holding an object's committed version (uuid_tag as in sut_ta()). */
void sut_obj_path(uint32_t uuid_tag, const char *id, char *out, size_t cap);
/* Path of the TA's storage directory. */
void sut_ta_dir(uint32_t uuid_tag, char *out, size_t cap);
/* Reads/writes a whole file; exits on I/O errors. */
uint8_t *sut_read_file(const char *path, size_t *len);
void sut_write_file(const char *path, const uint8_t *buf, size_t len);
/* Creates (or replaces the contents of) a 0600 file. */
void sut_write_file_new(const char *path, const uint8_t *buf, size_t len);

#endif
