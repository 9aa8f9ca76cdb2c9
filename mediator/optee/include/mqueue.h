/* SPDX-License-Identifier: BSD-2-Clause */
/* POSIX message queues (ta/mq.c): opened by the shadow; mqd_t is a TA descriptor. */
#ifndef TZM_OPTEE_MQUEUE_H
#define TZM_OPTEE_MQUEUE_H

#include <fcntl.h>
#include <sys/types.h>
#include <time.h>

typedef int mqd_t;

/* Linux aarch64 layout */
struct mq_attr {
	long mq_flags;
	long mq_maxmsg;
	long mq_msgsize;
	long mq_curmsgs;
	long __pad[4];
};

mqd_t mq_open(const char *name, int oflag, ...);
int mq_close(mqd_t q);
int mq_unlink(const char *name);
int mq_send(mqd_t q, const char *msg, size_t len, unsigned int prio);
ssize_t mq_receive(mqd_t q, char *msg, size_t len, unsigned int *prio);
int mq_getattr(mqd_t q, struct mq_attr *attr);
int mq_timedsend(mqd_t q, const char *msg, size_t len, unsigned int prio,
		 const struct timespec *ts);
ssize_t mq_timedreceive(mqd_t q, char *msg, size_t len, unsigned int *prio,
			const struct timespec *ts);

#endif
