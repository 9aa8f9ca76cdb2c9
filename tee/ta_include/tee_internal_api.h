/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * GlobalPlatform TEE Internal Core API (v1.3.1) as provided to TAs by tzmediator's TA host.
 * Source-compatible with OP-TEE's libutee: the same header names (tee_api.h for the
 * functions, tee_ta_api.h for the entry points, tee_api_compat.h for the GP 1.1 names).
 * With __OPTEE_CORE_API_COMPAT_1_1 the size-taking functions are mapped, as in OP-TEE,
 * onto __GP11_ twins using uint32_t sizes; the TA host implements both sets.
 */
#ifndef TEE_INTERNAL_API_H
#define TEE_INTERNAL_API_H

#include <compiler.h>
#include <tee_api_defines.h>
#include <tee_api_types.h>
#include <tee_ta_api.h>
#include <tee_api.h>
#include <trace.h>

#endif
