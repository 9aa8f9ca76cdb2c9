/* SPDX-License-Identifier: BSD-2-Clause */
/* C11 threads: as pthread.h here, thrd_create fails (thrd_error) with one log line. */
#ifndef TZM_OPTEE_THREADS_H
#define TZM_OPTEE_THREADS_H

typedef unsigned long thrd_t;
typedef int (*thrd_start_t)(void *arg);
enum {
	thrd_success = 0,
	thrd_busy = 1,
	thrd_error = 2,
	thrd_nomem = 3,
	thrd_timedout = 4
};

int thrd_create(thrd_t *thr, thrd_start_t fn, void *arg);

#endif
