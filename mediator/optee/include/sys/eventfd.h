/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef TZM_OPTEE_SYS_EVENTFD_H
#define TZM_OPTEE_SYS_EVENTFD_H

#include <stdint.h>

#define EFD_SEMAPHORE 00000001
#define EFD_NONBLOCK 00004000
#define EFD_CLOEXEC 02000000

typedef uint64_t eventfd_t;

int eventfd(unsigned int initval, int flags);
int eventfd_read(int fd, eventfd_t *value);
int eventfd_write(int fd, eventfd_t value);

#endif
