/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef TZM_OPTEE_LIMITS_H
#define TZM_OPTEE_LIMITS_H

#include_next <limits.h>

#define PATH_MAX 4096
#define NAME_MAX 255
#define SSIZE_MAX LONG_MAX

#endif
