/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * POSIX message queues, one more IPC kind: the queue lives in the host (mqueue fs) and is
 * opened by the shadow; mqd_t is a TA descriptor like any other (Linux mqd_t is an fd).
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "tzm_int.h"

mqd_t mq_open(const char *name, int oflag, ...)
{
	struct tzm__call c;
	struct mq_attr *attr = NULL;
	mode_t mode = 0;
	int64_t r = 0;

	if (oflag & O_CREAT) {
		va_list ap;

		va_start(ap, oflag);
		mode = va_arg(ap, mode_t);
		attr = va_arg(ap, struct mq_attr *);
		va_end(ap);
	}
	if (tzm__begin_path(&c, TZM_OP_MQ_OPEN, name) != 0) {
		return (mqd_t)-1;
	}
	c.req.args[0] = oflag;
	c.req.args[1] = mode;
	c.req.args[2] = attr != NULL;
	c.req.args[3] = attr ? attr->mq_maxmsg : 0;
	c.req.args[4] = attr ? attr->mq_msgsize : 0;
	r = tzm__invoke(&c);
	if (r < 0 || tzm__fd_accept_new(&c, r) != 0) {
		return (mqd_t)-1;
	}
	return (mqd_t)r;
}

int mq_close(mqd_t q)
{
	return close((int)q);
}

int mq_unlink(const char *name)
{
	return tzm__path_call(TZM_OP_MQ_UNLINK, name, 0, 0, 0, 0) < 0 ? -1 : 0;
}

int mq_send(mqd_t q, const char *msg, size_t len, unsigned int prio)
{
	struct tzm__call c;

	tzm__begin(&c, TZM_OP_MQ_SEND);
	if (len > c.cap) {
		errno = EMSGSIZE;
		return -1;
	}
	memcpy(c.buf, msg, len);
	c.req.args[0] = q;
	c.req.args[1] = prio;
	c.req.data_len = (uint32_t)len;
	return tzm__invoke(&c) < 0 ? -1 : 0;
}

ssize_t mq_receive(mqd_t q, char *msg, size_t len, unsigned int *prio)
{
	struct tzm__call c;
	size_t want = 0;
	int64_t r = 0;

	tzm__begin(&c, TZM_OP_MQ_RECEIVE);
	want = len < c.cap ? len : c.cap;
	c.req.args[0] = q;
	c.req.args[1] = (int64_t)want;
	r = tzm__invoke(&c);
	if (r < 0) {
		return -1;
	}
	if ((uint64_t)r > want || c.resp.data_len != (uint64_t)r || c.resp.aux[0] < 0 ||
	    c.resp.aux[0] >= 32768) {
		return tzm__malformed(&c, "message length/priority");
	}
	memcpy(msg, c.buf, (size_t)r);
	if (prio) {
		*prio = (unsigned int)c.resp.aux[0];
	}
	return (ssize_t)r;
}

int mq_getattr(mqd_t q, struct mq_attr *attr)
{
	struct tzm__call c;

	if (tzm__null(attr)) {
		errno = EFAULT;
		return -1;
	}
	tzm__begin(&c, TZM_OP_MQ_GETATTR);
	c.req.args[0] = q;
	if (tzm__invoke(&c) < 0) {
		return -1;
	}
	/* Linux: flags is 0 or O_NONBLOCK, 1 <= maxmsg <= 65536, 1 <= msgsize <= 16 MiB */
	if ((c.resp.aux[0] != 0 && c.resp.aux[0] != O_NONBLOCK) || c.resp.aux[1] < 1 ||
	    c.resp.aux[1] > 65536 || c.resp.aux[2] < 1 || c.resp.aux[2] > 16 * 1024 * 1024 ||
	    c.resp.aux[3] < 0 || c.resp.aux[3] > c.resp.aux[1]) {
		return (int)tzm__malformed(&c, "mq attributes");
	}
	memset(attr, 0, sizeof(*attr));
	attr->mq_flags = c.resp.aux[0];
	attr->mq_maxmsg = c.resp.aux[1];
	attr->mq_msgsize = c.resp.aux[2];
	attr->mq_curmsgs = c.resp.aux[3];
	return 0;
}

int mq_timedsend(mqd_t q, const char *msg, size_t len, unsigned int prio, const struct timespec *ts)
{
	if (!tzm__null(ts)) {
		return tzm__unsupported("mq_timedsend");
	}
	return mq_send(q, msg, len, prio);
}

ssize_t mq_timedreceive(mqd_t q, char *msg, size_t len, unsigned int *prio,
			const struct timespec *ts)
{
	if (!tzm__null(ts)) {
		return tzm__unsupported("mq_timedreceive");
	}
	return mq_receive(q, msg, len, prio);
}
