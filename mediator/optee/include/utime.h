/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef TZM_OPTEE_UTIME_H
#define TZM_OPTEE_UTIME_H

#include <sys/types.h>
#include <time.h>

struct utimbuf {
	time_t actime;
	time_t modtime;
};

int utime(const char *path, const struct utimbuf *times);

#endif
