/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Compiled into every TA by the dev kit: turns the TA's user_ta_header_defines.h
 * (TA_UUID, TA_FLAGS, TA_STACK_SIZE, TA_DATA_SIZE, optional TA_VERSION, TA_DESCRIPTION,
 * TA_CURRENT_TA_EXT_PROPERTIES) into the __tzm_ta_head / __tzm_ta_props symbols that
 * tzm-ta-pack and tzm-ta-host read.
 */
#include <tee_internal_api.h>
#include <user_ta_header.h>
#include <user_ta_header_defines.h>

#ifndef TA_VERSION
#define TA_VERSION "Undefined version"
#endif
#ifndef TA_DESCRIPTION
#define TA_DESCRIPTION "Undefined description"
#endif

__attribute__((visibility("default"), used)) const struct tzm_ta_head __tzm_ta_head = {
	.magic = TZM_TA_HEAD_MAGIC,
	.version = TZM_TA_HEAD_VERSION,
	.uuid = TA_UUID,
	.flags = TA_FLAGS,
	.stack_size = TA_STACK_SIZE,
	.data_size = TA_DATA_SIZE,
	.reserved = 0,
};

#ifdef TA_CURRENT_TA_EXT_PROPERTIES
static const struct user_ta_property tzm_ta_ext_props[] = { TA_CURRENT_TA_EXT_PROPERTIES };
#define TZM_EXT_PROPS tzm_ta_ext_props
#define TZM_NUM_EXT_PROPS (sizeof(tzm_ta_ext_props) / sizeof(tzm_ta_ext_props[0]))
#else
#define TZM_EXT_PROPS NULL
#define TZM_NUM_EXT_PROPS 0
#endif

__attribute__((visibility("default"), used)) const struct tzm_ta_props __tzm_ta_props = {
	.version = TA_VERSION,
	.description = TA_DESCRIPTION,
	.ext = TZM_EXT_PROPS,
	.num_ext = TZM_NUM_EXT_PROPS,
};
