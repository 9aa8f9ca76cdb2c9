/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TA metadata compiled into every TA by the dev kit's user_ta_header.c from the TA's
 * user_ta_header_defines.h. tzm-ta-pack reads __tzm_ta_head from the ELF file to fill the
 * .ta header; tzm-ta-host reads both symbols after loading and checks them against it.
 * Flag values and the property types are OP-TEE's.
 */
#ifndef USER_TA_HEADER_H
#define USER_TA_HEADER_H

#include <stddef.h>
#include <stdint.h>
#include <tee_api_types.h>

#include "ta_flags.h"

#define TZM_TA_HEAD_MAGIC 0x44484154u /* "TAHD" */
#define TZM_TA_HEAD_VERSION 1u

/* Fixed-layout part (no pointers: tzm-ta-pack reads it straight from the ELF file). */
struct tzm_ta_head {
	uint32_t magic;
	uint32_t version;
	TEE_UUID uuid;
	uint32_t flags;
	uint32_t stack_size;
	uint32_t data_size;
	uint32_t reserved;
};

enum user_ta_prop_type {
	USER_TA_PROP_TYPE_BOOL,         /* bool */
	USER_TA_PROP_TYPE_U32,          /* uint32_t */
	USER_TA_PROP_TYPE_UUID,         /* TEE_UUID */
	USER_TA_PROP_TYPE_IDENTITY,     /* TEE_Identity */
	USER_TA_PROP_TYPE_STRING,       /* zero terminated string of char */
	USER_TA_PROP_TYPE_BINARY_BLOCK, /* zero terminated base64 coded string */
	USER_TA_PROP_TYPE_U64,          /* uint64_t */
	USER_TA_PROP_TYPE_INVALID,
};

struct user_ta_property {
	const char *name;
	enum user_ta_prop_type type;
	const void *value;
};

/* Relocated part, read by the TA host after loading. */
struct tzm_ta_props {
	const char *version;
	const char *description;
	const struct user_ta_property *ext;
	size_t num_ext;
};

extern const struct tzm_ta_head __tzm_ta_head;
extern const struct tzm_ta_props __tzm_ta_props;

#endif
