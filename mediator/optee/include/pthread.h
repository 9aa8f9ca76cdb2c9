/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One thread per TA for now (ta/proc.c): pthread_create fails with EAGAIN and one log
 * line, as Linux does at a thread limit. Nothing else of pthreads is offered, so a
 * program that needs mutexes or more fails to build rather than to run.
 */
#ifndef TZM_OPTEE_PTHREAD_H
#define TZM_OPTEE_PTHREAD_H

#include <signal.h>

typedef unsigned long pthread_t;
typedef struct {
	long __align[8]; /* Linux aarch64: 64 bytes */
} pthread_attr_t;

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*fn)(void *), void *arg);

#endif
