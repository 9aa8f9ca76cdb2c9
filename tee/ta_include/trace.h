/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TA tracing, source-compatible with OP-TEE's <trace.h>: EMSG/IMSG/DMSG/FMSG honour the
 * compile-time CFG_TEE_TA_LOG_LEVEL (default 1 = errors only). Lines go through the TA
 * host to tzm-teed, which writes them to $TZM_RUNTIME_DIR/tee.log with a timestamp, the
 * level and the TA's UUID and instance. Disabled levels still type-check their arguments
 * (inside `if (0)`) so that variables used only in traces do not trigger warnings.
 */
#ifndef TZM_TRACE_H
#define TZM_TRACE_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TRACE_MIN 1
#define TRACE_ERROR 1
#define TRACE_INFO 2
#define TRACE_DEBUG 3
#define TRACE_FLOW 4
#define TRACE_MAX TRACE_FLOW

#ifndef CFG_TEE_TA_LOG_LEVEL
#define CFG_TEE_TA_LOG_LEVEL 1
#endif
#ifndef TRACE_LEVEL
#define TRACE_LEVEL CFG_TEE_TA_LOG_LEVEL
#endif

/* Implemented by the TA host. level_ok=false means "print without the prefix" (_RAW). */
void trace_printf(const char *func, int line, int level, bool level_ok, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void trace_ext_puts(const char *str);
int trace_get_level(void);
void trace_set_level(int level);

#define __TZM_TRACE(lvl, raw, ...)                                                                 \
	do {                                                                                       \
		if ((lvl) <= TRACE_LEVEL) {                                                        \
			trace_printf(__func__, __LINE__, (lvl), !(raw), __VA_ARGS__);              \
		}                                                                                  \
	} while (0)

#define EMSG(...) __TZM_TRACE(TRACE_ERROR, 0, __VA_ARGS__)
#define IMSG(...) __TZM_TRACE(TRACE_INFO, 0, __VA_ARGS__)
#define DMSG(...) __TZM_TRACE(TRACE_DEBUG, 0, __VA_ARGS__)
#define FMSG(...) __TZM_TRACE(TRACE_FLOW, 0, __VA_ARGS__)
#define EMSG_RAW(...) __TZM_TRACE(TRACE_ERROR, 1, __VA_ARGS__)
#define IMSG_RAW(...) __TZM_TRACE(TRACE_INFO, 1, __VA_ARGS__)
#define DMSG_RAW(...) __TZM_TRACE(TRACE_DEBUG, 1, __VA_ARGS__)
#define FMSG_RAW(...) __TZM_TRACE(TRACE_FLOW, 1, __VA_ARGS__)
/* MSG is printed at every level, like OP-TEE. */
#define MSG(...) trace_printf(__func__, __LINE__, TRACE_ERROR, true, __VA_ARGS__)
#define MSG_RAW(...) trace_printf(__func__, __LINE__, TRACE_ERROR, false, __VA_ARGS__)

#ifdef __cplusplus
}
#endif

#endif
