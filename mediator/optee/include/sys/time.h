/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef TZM_OPTEE_SYS_TIME_H
#define TZM_OPTEE_SYS_TIME_H

#include <time.h>

struct timeval {
	time_t tv_sec;
	suseconds_t tv_usec;
};

int gettimeofday(struct timeval *tv, void *tz);

int utimes(const char *path, const struct timeval tv[2]);
int lutimes(const char *path, const struct timeval tv[2]);
int futimes(int fd, const struct timeval tv[2]);
#endif
