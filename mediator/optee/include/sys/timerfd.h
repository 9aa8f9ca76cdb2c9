/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef TZM_OPTEE_SYS_TIMERFD_H
#define TZM_OPTEE_SYS_TIMERFD_H

#include <time.h>

#define TFD_TIMER_ABSTIME (1 << 0)
#define TFD_TIMER_CANCEL_ON_SET (1 << 1)
#define TFD_NONBLOCK 00004000
#define TFD_CLOEXEC 02000000

int timerfd_create(int clockid, int flags);
int timerfd_settime(int fd, int flags, const struct itimerspec *nv, struct itimerspec *old);
int timerfd_gettime(int fd, struct itimerspec *cur);

#endif
